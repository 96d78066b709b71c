// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "losskernels.h"
#include "pairlosses.h"

namespace shapescope {

// Examines up to `maxPositions` class vectors of a block: are they probabilities (a softmax was
// applied), log-probabilities (a log_softmax), or all in [0, 1] (a sigmoid)? Cheap: it looks at
// the first tile only.
template <typename T>
void probeInput(const ClassBlock<T>& block, qint64 maxPositions, InputProbe& probe);

// Examines up to `maxPositions` class vectors of a probability or multi-label target.
template <typename T>
void probeTarget(const ClassBlock<T>& block, qint64 maxPositions, TargetProbe& probe);

} // namespace shapescope
