// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"

namespace shapescope {

// Findings across the batches of each run: a batch whose size differs from the others (the
// drop_last=False case), batches that disagree on the class count, and, for a batch-size
// mismatch inside a run, the note that it is the run's short batch. Appends to
// result.diagnostics and fills result.runs[].batches.
void diagnoseRuns(AnalysisResult& result);

} // namespace shapescope
