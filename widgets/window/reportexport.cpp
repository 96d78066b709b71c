// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportexport.h"

#include "common/atomicwrite.h"
#include "report/jsonreport.h"
#include "report/textreport.h"

#include <QFileInfo>

namespace shapescope {

QString suggestedReportName(const QString& dumpName, ReportFormat format)
{
    // Examples are named "x.h5 (example)"; the report is named after the file.
    const QString file = dumpName.section(QLatin1Char(' '), 0, 0);
    return QFileInfo(file).completeBaseName() + (format == ReportFormat::Json
                                                     ? QStringLiteral("-report.json")
                                                     : QStringLiteral("-report.txt"));
}

Status writeReport(const AnalysisResult& result, ReportFormat format, const QString& path,
                   const QString& protectedPath)
{
    if (format == ReportFormat::Json)
        return saveJsonReport(result, path, protectedPath);
    return writeAtomically(path, protectedPath, analysisToText(result).toUtf8());
}

} // namespace shapescope
