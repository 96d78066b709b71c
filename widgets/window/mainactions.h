// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAction;
class QActionGroup;
class QMainWindow;
class QMenu;

namespace shapescope {

class ExampleCatalog;

// Every action of the main window with its shortcut and icon, and the menus holding them.
// The window connects them; keeping them here keeps the window's code to composition.
class MainActions : public QObject
{
    Q_OBJECT

public:
    MainActions(QMainWindow* window, const ExampleCatalog& examples);

    // Adds the dock toggles (docks exist after the actions) to View.
    void addDockToggles(const QList<QAction*>& toggles);
    // Adds "Go to <part>" under View > Go To with Ctrl+<number> (numbered in call order):
    // every dock and tab is one keystroke away. The window connects the action.
    QAction* addGoTo(const QString& part);

    QAction* open;
    QAction* openFolder;
    QAction* compareWith;
    QAction* reload;
    QAction* watch;
    QAction* exportPlot;
    QAction* exportLosses;
    QAction* exportMarkdown;
    QAction* exportJson;
    QAction* exportText;
    QAction* loadClassNames;
    QAction* quit;
    QAction* cancel;
    QAction* focusFilter;
    QAction* previousPair;
    QAction* nextPair;
    QAction* previousDiagnostic;
    QAction* nextDiagnostic;
    QAction* copyFix;
    QAction* resetLayout;
    QAction* themeSystem;
    QAction* themeLight;
    QAction* themeDark;
    QAction* about;
    QAction* keyboardShortcuts;
    QActionGroup* themes;
    QMenu* recentMenu;
    QMenu* examplesMenu;
    QMenu* viewMenu;
    QMenu* goToMenu;
    QList<QAction*> goTo;

Q_SIGNALS:
    void exampleRequested(const QString& file);

private:
    QAction* make(const QString& text, const QKeySequence& shortcut, const QString& icon = {});

    QMainWindow* m_window;
    QAction* m_dockSeparator = nullptr;
};

} // namespace shapescope
