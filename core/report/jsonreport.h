#pragma once

#include "analysis/analysisresult.h"

#include <QJsonObject>

namespace shapescope {

// The machine-readable report (`shapescope check --json`, File > Export Report as JSON).
// Numbers that are NaN or infinite become null; JSON has no spelling for them.
QJsonObject analysisToJson(const AnalysisResult& result);
// The metadata part alone: file, format, tensors, notes.
QJsonObject dumpToJson(const DumpSummary& dump);
QJsonObject diagnosticToJson(const Diagnostic& diagnostic);

} // namespace shapescope
