// ShapeScope: a GUI by default, or a command for scripts and CI (check, losses).
#include "commands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

void printUsage()
{
    QTextStream(stdout)
        << "Usage: shapescope [FILE]              open the GUI (on FILE)\n"
           "       shapescope check FILE [--json] check a dump like PyTorch would\n"
           "       shapescope losses FILE --csv OUT  per-sample losses as CSV\n"
           "Run 'shapescope COMMAND --help' for a command's options.\n";
}

} // namespace

int main(int argc, char** argv)
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    QCoreApplication::setApplicationName(QStringLiteral("shapescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHAPESCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("ShapeScope"));
    if (command == QLatin1String("check") || command == QLatin1String("losses")) {
        QCoreApplication app(argc, argv);
        const QStringList arguments = QCoreApplication::arguments();
        return command == QLatin1String("check") ? shapescope::cli::runCheck(arguments)
                                                 : shapescope::cli::runLosses(arguments);
    }
    QCoreApplication app(argc, argv);
    printUsage();
    return command == QLatin1String("--help") || command == QLatin1String("-h") ? 0 : 2;
}
