// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossspec.h"
#include "tensor/tensorinfo.h"

namespace shapescope {

class DumpReader;

// What torch returns for an elementwise loss whose input and target broadcast to `broadcast`:
// the mean (kl_div: batchmean) of the broadcast loss matrix, in double. The tensors are read
// whole; std::nullopt when the broadcast is too large to evaluate here (over 2^26 elements).
Expected<std::optional<double>> broadcastLossMean(DumpReader& reader, int input, int target,
                                                  const LossSpec& spec, const Shape& broadcast);

} // namespace shapescope
