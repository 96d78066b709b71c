// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "common/expected.h"
#include "pairing.h"

#include <functional>

namespace shapescope {

class DumpReader;
class WorkerPool;
struct AnalysisOptions;

// One CTC pair (log_probs with its targets, their lengths found by ctctensors.h): torch's checks
// (ctcchecks.h), then every sample's F.ctc_loss(reduction="none") on the pool's threads, the
// samples no path can emit and a probe for log_softmax output. Appends the pair's PairResult
// (index `pairIndex`) and its diagnostics to `result`. `progress(doneElements)` gets log_probs
// elements read; false cancels.
Status analyzeCtcPair(DumpReader& reader, WorkerPool& pool, const AnalysisOptions& options,
                      const TensorPair& pair, int pairIndex,
                      const std::function<bool(qint64)>& progress, AnalysisResult& result);

} // namespace shapescope
