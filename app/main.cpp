// SPDX-License-Identifier: GPL-3.0-or-later
// ShapeScope: the GUI by default, a worker process (`worker`), or a command for scripts and CI
// (check, losses, plot).
#include "commands.h"
#include "formats/hdf5reader.h"
#include "session/workerserver.h"
#include "sessionfactory.h"
#include "window/guiapplication.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>

namespace {

void printUsage()
{
    QTextStream(stdout)
        << "Usage: shapescope [FILE]              open the GUI (on FILE, else the welcome page)\n"
           "       shapescope check FILE [--json] check a dump like PyTorch would\n"
           "       shapescope losses FILE --csv OUT  per-sample losses as CSV\n"
           "       shapescope plot FILE --kind KIND -o OUT.png|.pdf|.svg|.jpg  a loss plot\n"
           "       shapescope check FILE --markdown OUT.md [--no-plot]  the report as Markdown\n"
           "       shapescope diff A B [--json]     two dumps side by side\n"
           "GUI options: --theme system|light|dark, --no-isolation, --worker-timeout SECONDS\n"
           "Run 'shapescope COMMAND --help' for a command's options.\n";
}

} // namespace

int main(int argc, char** argv)
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // HDF5 files cannot be opened then, so say why once, before anything else.
    if (const shapescope::Status hdf5 = shapescope::Hdf5Reader::threadSafety(); !hdf5)
        QTextStream(stderr) << "shapescope: warning: " << hdf5.error() << '\n';
    // The isolated reader (session/workersession.h): the worker protocol on stdin and stdout.
    if (command == QLatin1String("worker"))
        shapescope::worker::runWorkerProcess();
    QCoreApplication::setApplicationName(QStringLiteral("shapescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHAPESCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("ShapeScope"));
    if (shapescope::cli::commandRenders(argc, argv)) {
        shapescope::cli::preferOffscreenPlatform();
        QApplication app(argc, argv);
        const QStringList arguments = QCoreApplication::arguments();
        return command == QLatin1String("plot") ? shapescope::cli::runPlot(arguments)
                                                : shapescope::cli::runCheck(arguments);
    }
    if (command == QLatin1String("check") || command == QLatin1String("losses")) {
        QCoreApplication app(argc, argv);
        const QStringList arguments = QCoreApplication::arguments();
        return command == QLatin1String("check") ? shapescope::cli::runCheck(arguments)
                                                 : shapescope::cli::runLosses(arguments);
    }
    if (command == QLatin1String("diff")) {
        QCoreApplication app(argc, argv);
        return shapescope::cli::runDiff(QCoreApplication::arguments());
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")) {
        QCoreApplication app(argc, argv);
        printUsage();
        return 0;
    }
    // The window reads through a watched worker process too, unless --no-isolation.
    return shapescope::runGui(
        argc, argv, {&shapescope::cli::addSessionOptions, [](const QCommandLineParser& parser) {
                         return shapescope::cli::createSession(parser);
                     }});
}
