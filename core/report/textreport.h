// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QString>

namespace shapescope {

// The readable report `shapescope check` prints without --json: the tensors as a table, each
// pair with its layout and loss, and each diagnostic with PyTorch's message, the cause and the
// fix, wrapped to `width` columns.
QString analysisToText(const AnalysisResult& result, int width = 96);
// The tensor table alone (metadata-only listing).
QString dumpToText(const DumpSummary& dump, int width = 96);
// Everything after the tensor table: pairs and diagnostics (analysisToText = dump + findings).
QString findingsToText(const AnalysisResult& result, int width = 96);

} // namespace shapescope
