// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionfactory.h"

#include "commandline.h"
#include "progressprinter.h"
#include "session/sessionfactory.h"

#include <QCoreApplication>
#include <cmath>

namespace shapescope::cli {

void addSessionOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        {QStringLiteral("no-isolation"),
         QStringLiteral("Read the file in this process instead of a watched worker process "
                        "(a damaged or hostile file can then crash or hang ShapeScope).")},
        {QStringLiteral("worker-timeout"),
         QStringLiteral("Stop the worker process when it makes no progress for this long "
                        "(default 15)."),
         QStringLiteral("SECONDS"), QStringLiteral("15")},
        {QStringLiteral("hdf5-plugins"),
         QStringLiteral("Let HDF5 load the filter plugins a file names (runs code from "
                        "HDF5_PLUGIN_PATH; off by default).")},
    });
}

Expected<std::unique_ptr<Session>> createSession(const QCommandLineParser& parser)
{
    SessionOptions options;
    options.isolated = !parser.isSet(QStringLiteral("no-isolation"));
    options.hdf5Plugins = parser.isSet(QStringLiteral("hdf5-plugins"));
    bool ok = false;
    const double timeout = parser.value(QStringLiteral("worker-timeout")).toDouble(&ok);
    if (!ok || !std::isfinite(timeout) || timeout <= 0 || timeout > 86400)
        return Error{QStringLiteral("--worker-timeout needs a positive number of seconds")};
    options.timeoutMs = std::max(1, static_cast<int>(std::lround(timeout * 1000)));
    options.workerProgram = QCoreApplication::applicationFilePath();
    return shapescope::createSession(options);
}

Expected<AnalysisResult> analyzePairs(const QCommandLineParser& parser, const QString& file)
{
    Expected<AnalysisOptions> options = lossOptions(parser);
    if (!options)
        return Error{options.error()};
    options->verifyUnpaired = false;
    Expected<std::unique_ptr<Session>> session = createSession(parser);
    if (!session)
        return Error{session.error()};
    Expected<AnalysisResult> result =
        (*session)->analyze(AnalyzeRequest{file, *options}, terminalProgress());
    clearTerminalProgress();
    return result;
}

} // namespace shapescope::cli
