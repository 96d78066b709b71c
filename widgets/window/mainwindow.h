// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QMainWindow>
#include <memory>

class QStackedWidget;
class QTabWidget;

namespace shapescope {

class DiagnosticsDock;
class DumpTreeDock;
class DumpWatcher;
class ErrorBanner;
class SettingsNote;
class ExampleCatalog;
class LossSettingsDock;
class MainActions;
class RecentFiles;
class SelectionCoordinator;
class ShapeBenchPage;
class StatusProgress;
class WelcomePage;
class Workspace;

// The main window: composes the docks (dump tree, diagnostics, loss settings), the analysis
// tabs (the shape bench first), the status bar and the error banner around one Workspace and
// one SelectionCoordinator. It holds no analysis logic; it wires parts together.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // All reading goes through `session` (in this process or a worker process).
    explicit MainWindow(std::shared_ptr<Session> session, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFile(const QString& path);
    bool openExample(const QString& file);

    // Adds a page beside the shape bench. Tests find the window's parts by object name
    // (findChild), so the window exposes no accessors for them.
    int addAnalysisTab(QWidget* page, const QString& title, const QIcon& icon = {});
    // The first start's layout on a screen of `screen` (View > Reset Layout uses the window's
    // screen): the window's size, and the docks' places and shares of it.
    void applyDefaultLayout(QSize screen);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void connectWorkspace();
    void connectActions();
    void createGoToActions();
    static void focusFirstIn(QWidget* part);
    // The window's size and the docks' places and sizes a first start has; View > Reset Layout.
    void applyDefaultLayout();
    void restoreSettings();
    void saveSettings() const;
    void chooseFile();
    void chooseFolder();
    void exportReport(bool json);
    void copyCurrentFix();
    void showAbout();
    void updateStatus();
    void updateTitle();
    void updateSettingsNote();
    // The diagnostic whose fix Copy Fix copies (the current one, else the current pair's
    // first with a fix), or -1.
    int fixToCopy() const;
    QString pendingNote() const;

    std::unique_ptr<ExampleCatalog> m_examples;
    Workspace* m_workspace;
    SelectionCoordinator* m_selection;
    MainActions* m_actions = nullptr;
    RecentFiles* m_recent;
    DumpWatcher* m_watcher;
    SettingsNote* m_settingsNote = nullptr;
    ErrorBanner* m_banner = nullptr;
    QStackedWidget* m_central = nullptr;
    WelcomePage* m_welcome = nullptr;
    QTabWidget* m_tabs = nullptr;
    ShapeBenchPage* m_bench = nullptr;
    DumpTreeDock* m_tree = nullptr;
    DiagnosticsDock* m_diagnostics = nullptr;
    LossSettingsDock* m_loss = nullptr;
    StatusProgress* m_status = nullptr;
};

} // namespace shapescope
