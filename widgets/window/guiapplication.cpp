// SPDX-License-Identifier: GPL-3.0-or-later
#include "guiapplication.h"

#include "common/icons.h"
#include "common/theme.h"
#include "mainwindow.h"
#include "state/metatypes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

namespace shapescope {

int runGui(int& argc, char** argv, const SessionFactory& sessions)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("ShapeScope"));
    QApplication::setDesktopFileName(QStringLiteral("shapescope"));
    registerMetaTypes();
    initResources();
    QApplication::setWindowIcon(icons::app());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tensor-shape debugger for PyTorch dumps"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption themeOption(
        QStringLiteral("theme"), QStringLiteral("Theme for this run: system, light or dark."),
        QStringLiteral("theme"));
    parser.addOption(themeOption);
    if (sessions.addOptions)
        sessions.addOptions(parser);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The dump to open."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    Theme theme = savedTheme();
    if (parser.isSet(themeOption)) {
        const std::optional<Theme> chosen = themeFromName(parser.value(themeOption));
        if (!chosen) {
            QTextStream(stderr) << "shapescope: --theme takes system, light or dark\n";
            return 2;
        }
        theme = *chosen;
    }
    applyTheme(theme);

    Expected<std::unique_ptr<Session>> session = sessions.create(parser);
    if (!session.ok()) {
        QTextStream(stderr) << "shapescope: " << session.error() << '\n';
        return 2;
    }
    MainWindow window(std::shared_ptr<Session>(std::move(*session)));
    window.show();
    // Without a file the welcome page shows: an example opens only when asked for.
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openFile(files.first());
    return app.exec();
}

} // namespace shapescope
