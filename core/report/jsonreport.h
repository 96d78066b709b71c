// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/expected.h"

#include <QJsonObject>

namespace shapescope {

// The machine-readable report (`shapescope check --json`, File > Export Report as JSON).
// Numbers that are NaN or infinite become null; JSON has no spelling for them.
QJsonObject analysisToJson(const AnalysisResult& result);
// The report into the file `path`, atomically, never over `protectedPath` (atomicwrite.h).
Status saveJsonReport(const AnalysisResult& result, const QString& path,
                      const QString& protectedPath);
// The metadata part alone: file, format, tensors, notes.
QJsonObject dumpToJson(const DumpSummary& dump);
QJsonObject diagnosticToJson(const Diagnostic& diagnostic);

} // namespace shapescope
