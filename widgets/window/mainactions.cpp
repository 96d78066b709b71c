// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainactions.h"

#include "common/icons.h"
#include "examplecatalog.h"

#include <QAction>
#include <QActionGroup>
#include <QMainWindow>
#include <QMenuBar>
#include <QToolBar>

namespace shapescope {

QAction* MainActions::make(const QString& text, const QKeySequence& shortcut, const QString& icon)
{
    auto* action = new QAction(text, m_window);
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(
            QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("\u2026")),
            shortcut.toString(QKeySequence::NativeText)));
    }
    if (!icon.isEmpty())
        action->setIcon(icons::named(icon));
    m_window->addAction(action); // shortcuts work while the menu bar is hidden too
    return action;
}

MainActions::MainActions(QMainWindow* window, const ExampleCatalog& examples)
    : QObject(window), m_window(window)
{
    open = make(tr("&Open\u2026"), QKeySequence::Open, QStringLiteral("open"));
    openFolder =
        make(tr("Open &Folder\u2026"), QKeySequence(tr("Ctrl+Shift+O")), QStringLiteral("folder"));
    compareWith = make(tr("Compare &With\u2026"), QKeySequence(tr("Ctrl+Shift+D")));
    compareWith->setStatusTip(tr("Put a second dump beside this one: before and after a fix"));
    reload = make(tr("&Reload"), QKeySequence(Qt::Key_F5), QStringLiteral("reload"));
    watch =
        make(tr("&Watch for Changes"), QKeySequence(tr("Ctrl+Shift+W")), QStringLiteral("watch"));
    watch->setCheckable(true);
    watch->setStatusTip(tr("Reload the dump when a training run overwrites it"));
    exportPlot = make(tr("Export &Plot\u2026"), QKeySequence(tr("Ctrl+Shift+P")));
    exportLosses = make(tr("Export &Losses (CSV)\u2026"), QKeySequence(tr("Ctrl+Shift+L")));
    exportMarkdown = make(tr("Export Report as &Markdown\u2026"), QKeySequence(tr("Ctrl+Shift+M")));
    exportJson = make(tr("Export Report as &JSON\u2026"), QKeySequence(tr("Ctrl+E")));
    exportText = make(tr("Export Report as &Text\u2026"), QKeySequence(tr("Ctrl+Shift+E")));
    loadClassNames = make(tr("Load &Class Names…"), {});
    loadClassNames->setObjectName(QStringLiteral("loadClassNames"));
    loadClassNames->setStatusTip(
        tr("Name the classes from a file: one name per line, a JSON list, or {\"id\": name}"));
    quit = make(tr("&Quit"), QKeySequence(tr("Ctrl+Q")));
    quit->setMenuRole(QAction::QuitRole);
    cancel = make(tr("&Cancel"), QKeySequence(Qt::Key_Escape), QStringLiteral("cancel"));
    cancel->setEnabled(false);
    focusFilter = make(tr("&Find Tensor"), QKeySequence::Find);
    previousPair = make(tr("&Previous Pair"), QKeySequence(tr("Alt+Up")));
    nextPair = make(tr("&Next Pair"), QKeySequence(tr("Alt+Down")));
    previousDiagnostic = make(tr("Previous &Diagnostic"), QKeySequence(tr("Shift+F8")));
    nextDiagnostic = make(tr("Next D&iagnostic"), QKeySequence(Qt::Key_F8));
    copyFix = make(tr("Copy &Fix"), QKeySequence(tr("Ctrl+Shift+C")), QStringLiteral("copy"));
    resetLayout = make(tr("&Reset Layout"), {});
    about = make(tr("&About ShapeScope"), {});
    keyboardShortcuts = make(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents);
    about->setMenuRole(QAction::AboutRole);

    themes = new QActionGroup(this);
    themeSystem = make(tr("&System"), {});
    themeLight = make(tr("&Light"), {});
    themeDark = make(tr("&Dark"), {});
    for (QAction* action : {themeSystem, themeLight, themeDark}) {
        action->setCheckable(true);
        themes->addAction(action);
    }

    QMenuBar* bar = window->menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(open);
    file->addAction(openFolder);
    recentMenu = file->addMenu(tr("Open &Recent"));
    recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addAction(compareWith);
    file->addSeparator();
    file->addAction(reload);
    file->addAction(watch);
    file->addAction(loadClassNames);
    file->addSeparator();
    file->addAction(exportPlot);
    file->addAction(exportLosses);
    file->addAction(exportMarkdown);
    file->addAction(exportJson);
    file->addAction(exportText);
    file->addSeparator();
    file->addAction(quit);

    QMenu* analysis = bar->addMenu(tr("&Analysis"));
    analysis->addAction(previousPair);
    analysis->addAction(nextPair);
    analysis->addAction(previousDiagnostic);
    analysis->addAction(nextDiagnostic);
    analysis->addSeparator();
    analysis->addAction(copyFix);
    analysis->addAction(focusFilter);
    analysis->addSeparator();
    analysis->addAction(cancel);

    viewMenu = bar->addMenu(tr("&View"));
    QMenu* theme = viewMenu->addMenu(tr("&Theme"));
    theme->addActions(themes->actions());
    viewMenu->addAction(resetLayout);
    goToMenu = viewMenu->addMenu(tr("&Go To"));
    m_dockSeparator = viewMenu->addSeparator();

    QMenu* help = bar->addMenu(tr("&Help"));
    examplesMenu = help->addMenu(icons::named(QStringLiteral("example")), tr("&Examples"));
    examplesMenu->setToolTipsVisible(true);
    for (const Example& example : examples.examples()) {
        QAction* action = examplesMenu->addAction(example.title);
        action->setToolTip(example.description);
        connect(action, &QAction::triggered, this,
                [this, file = example.file] { Q_EMIT exampleRequested(file); });
    }
    help->addSeparator();
    help->addAction(keyboardShortcuts);
    help->addAction(about);

    QToolBar* tools = window->addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(open);
    tools->addAction(openFolder);
    tools->addAction(reload);
    tools->addAction(watch);
    tools->addSeparator();
    tools->addAction(copyFix);
}

void MainActions::addDockToggles(const QList<QAction*>& toggles)
{
    int number = 1;
    for (QAction* toggle : toggles) {
        toggle->setShortcut(QKeySequence(QStringLiteral("Alt+%1").arg(number++)));
        viewMenu->addAction(toggle);
    }
}

QAction* MainActions::addGoTo(const QString& part)
{
    const int number = int(goTo.size()) + 1;
    QAction* action =
        make(tr("Go to %1").arg(part), QKeySequence(QStringLiteral("Ctrl+%1").arg(number)));
    action->setObjectName(QStringLiteral("goTo%1").arg(number));
    goToMenu->addAction(action);
    goTo << action;
    return action;
}

} // namespace shapescope
