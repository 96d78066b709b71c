// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"

#include <vector>

namespace shapescope {

// A run's usual value (batch size, input rows, class count): the most frequent one. On a tie the
// larger wins: a DataLoader's odd batch is its short last one (drop_last=False), so with 64 and
// 32 seen equally often, 64 is the batch size and 32 the ragged batch. 0 when `values` is empty.
qint64 typicalValue(const std::vector<qint64>& values);

// Fills run.batches (one per pair, in step order), the run's typical sizes and each batch's
// ragged flag. Views read these; none computes its own.
void summarizeRunBatches(const AnalysisResult& result, RunResult& run);

} // namespace shapescope
