// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"

// Builders of the diagnostics found across a run's batches (rundiagnostics.cpp decides when).
namespace shapescope::advice {

// Batch `step` of `run` is ragged (BatchStatistic::ragged): its size or input rows differ from
// the run's typical ones.
Diagnostic raggedBatch(const RunResult& run, int runIndex, int step, const PairResult& pair);
// `pair`'s input has `classes` classes where the run's other batches have `usual`.
Diagnostic runClassCount(const PairResult& pair, int runIndex, qint64 classes, qint64 usual);
// A batch-size mismatch on the run's short batch: the model kept the usual size. The shape
// rules' ratio explanations (a flatten, DataParallel) are coincidences there, so `d` keeps its
// message and PyTorch's text but gets the ragged explanation and fix alone.
void explainShortBatch(Diagnostic& d, qint64 size, qint64 usual);

} // namespace shapescope::advice
