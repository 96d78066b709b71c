#include "reportexport.h"

#include "report/jsonreport.h"
#include "report/textreport.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace shapescope {

QString suggestedReportName(const QString& dumpName, ReportFormat format)
{
    // Examples are named "x.h5 (example)"; the report is named after the file.
    const QString file = dumpName.section(QLatin1Char(' '), 0, 0);
    return QFileInfo(file).completeBaseName() + (format == ReportFormat::Json
                                                     ? QStringLiteral("-report.json")
                                                     : QStringLiteral("-report.txt"));
}

Status writeReport(const AnalysisResult& result, ReportFormat format, const QString& path)
{
    const QByteArray bytes = format == ReportFormat::Json
                                 ? QJsonDocument(analysisToJson(result)).toJson()
                                 : analysisToText(result).toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error{
            QStringLiteral("%1: cannot write the report: %2").arg(path, file.errorString())};
    return Status::success();
}

} // namespace shapescope
