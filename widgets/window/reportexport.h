// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/expected.h"

namespace shapescope {

// File > Export Report: the analysis as the CLI's JSON or text report.
enum class ReportFormat
{
    Json,
    Text
};

// "run-report.json" for the dump "run.h5".
QString suggestedReportName(const QString& dumpName, ReportFormat format);
// Writes atomically (a failed write leaves no half file), refusing to write over
// `protectedPath` (the open dump); the error names the path.
Status writeReport(const AnalysisResult& result, ReportFormat format, const QString& path,
                   const QString& protectedPath);

} // namespace shapescope
