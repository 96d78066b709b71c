// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "analysispages.h"
#include "bench/shapebenchpage.h"
#include "common/icons.h"
#include "common/theme.h"
#include "compare/comparepage.h"
#include "diagnostics/diagnosticsdock.h"
#include "dumptree/dumptreedock.h"
#include "dumpwatcher.h"
#include "errorbanner.h"
#include "examplecatalog.h"
#include "losses/lossplotspage.h"
#include "losssettings/losssettingsdock.h"
#include "mainactions.h"
#include "recentfiles.h"
#include "reportexport.h"
#include "runpages.h"
#include "settingsnote.h"
#include "shortcutsdialog.h"
#include "state/metatypes.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "statusprogress.h"
#include "steps/stepspage.h"
#include "values/tensorvaluesview.h"
#include "welcomepage.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace shapescope {

namespace {

constexpr int kStateVersion = 1;
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kWatchKey = QStringLiteral("watch");
const QString kDumpFilter =
    QStringLiteral("Dumps (*.h5 *.hdf5 *.hdf *.he5 *.npy *.npz *.pt *.pth *.bin *.safetensors);;"
                   "HDF5 (*.h5 *.hdf5 *.hdf *.he5);;NumPy (*.npy *.npz);;torch.save (*.pt *.pth "
                   "*.bin);;safetensors (*.safetensors);;All files (*)");

} // namespace

MainWindow::MainWindow(std::shared_ptr<Session> session, QWidget* parent)
    : QMainWindow(parent), m_examples(std::make_unique<ExampleCatalog>()),
      m_workspace(new Workspace(session, this)), m_selection(new SelectionCoordinator(this)),
      m_recent(new RecentFiles(this)), m_watcher(new DumpWatcher(this))
{
    registerMetaTypes();
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_selection->setObjectName(QStringLiteral("selection"));
    m_recent->setObjectName(QStringLiteral("recentFiles"));
    m_watcher->setObjectName(QStringLiteral("dumpWatcher"));
    setWindowIcon(icons::app());
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_actions = new MainActions(this, *m_examples);
    m_actions->setObjectName(QStringLiteral("mainActions"));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new ErrorBanner(central);
    m_settingsNote = new SettingsNote(central);
    m_central = new QStackedWidget(central);
    m_welcome = new WelcomePage(*m_examples, m_central);
    m_tabs = new QTabWidget(m_central);
    m_tabs->setObjectName(QStringLiteral("analysisTabs"));
    m_tabs->setDocumentMode(true);
    m_bench = new ShapeBenchPage(m_selection, m_tabs);
    m_tabs->addTab(m_bench, tr("Shape bench"));
    connect(m_bench, &ShapeBenchPage::applyRequested, m_workspace, &Workspace::applyTransforms);
    connect(m_bench, &ShapeBenchPage::removeTransformRequested, m_workspace,
            &Workspace::removeTransform);
    connect(m_bench, &ShapeBenchPage::clearTransformsRequested, m_workspace,
            &Workspace::clearTransforms);
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_tabs);
    layout->addWidget(m_banner);
    layout->addWidget(m_settingsNote);
    layout->addWidget(m_central, 1);
    setCentralWidget(central);

    createDocks();
    m_status = new StatusProgress(statusBar());
    statusBar()->addWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(true);

    connectWorkspace();
    connectActions();
    auto* pages = new AnalysisPages(m_workspace, m_selection, m_actions, std::move(session), this);
    addAnalysisTab(pages->losses(), tr("Losses"));
    addAnalysisTab(pages->values(), tr("Values"));
    connect(pages, &AnalysisPages::message, statusBar(), &QStatusBar::showMessage);
    auto* runs = new RunPages(m_workspace, m_selection, m_actions,
                              m_workspace->controller()->session(), m_tabs, m_bench);
    addAnalysisTab(runs->steps(), tr("Steps"));
    addAnalysisTab(runs->compare(), tr("Compare"));
    connect(pages, &AnalysisPages::valuesShown, m_tabs,
            [this, pages] { m_tabs->setCurrentWidget(pages->values()); });
    createGoToActions();
    applyDefaultLayout();
    restoreSettings();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_tree = new DumpTreeDock(m_selection, this);
    m_diagnostics = new DiagnosticsDock(m_selection, this);
    m_loss = new LossSettingsDock(this);
    m_loss->setSelection(m_selection);
    addDockWidget(Qt::LeftDockWidgetArea, m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, m_loss);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagnostics);
    m_actions->addDockToggles({m_tree->toggleViewAction(), m_diagnostics->toggleViewAction(),
                               m_loss->toggleViewAction()});
}

void MainWindow::createGoToActions()
{
    for (QDockWidget* dock : {static_cast<QDockWidget*>(m_tree), static_cast<QDockWidget*>(m_loss),
                              static_cast<QDockWidget*>(m_diagnostics)}) {
        connect(m_actions->addGoTo(dock->windowTitle()), &QAction::triggered, dock, [dock] {
            dock->show();
            dock->raise();
            focusFirstIn(dock->widget());
        });
    }
    for (int tab = 0; tab < m_tabs->count(); ++tab) {
        connect(m_actions->addGoTo(m_tabs->tabText(tab)), &QAction::triggered, m_tabs, [this, tab] {
            m_tabs->setCurrentIndex(tab);
            // Without a dump the welcome page stands in for the tabs.
            focusFirstIn(m_central->currentWidget() == m_tabs ? m_tabs->widget(tab)
                                                              : m_central->currentWidget());
        });
    }
}

void MainWindow::focusFirstIn(QWidget* part)
{
    // The first widget of the part that takes Tab focus, in the order Tab visits them.
    for (QWidget* w = part->nextInFocusChain(); w != part; w = w->nextInFocusChain()) {
        if (part->isAncestorOf(w) && w->isVisible() && w->isEnabled() &&
            (w->focusPolicy() & Qt::TabFocus)) {
            w->setFocus(Qt::ShortcutFocusReason);
            return;
        }
    }
    part->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::applyDefaultLayout()
{
    applyDefaultLayout(this->screen() ? this->screen()->availableGeometry().size()
                                      : QSize(1600, 1000));
}

void MainWindow::applyDefaultLayout(QSize screen)
{
    // A small screen is used whole: at 1024 x 700 a tenth less width cuts the bench's columns.
    const bool small = screen.width() < 1280 || screen.height() < 800;
    const QSize size = small ? screen
                             : QSize(std::min(1600, screen.width() * 9 / 10),
                                     std::min(1000, screen.height() * 9 / 10));
    for (QToolBar* bar : findChildren<QToolBar*>())
        bar->show();
    for (QDockWidget* dock :
         {static_cast<QDockWidget*>(m_tree), static_cast<QDockWidget*>(m_diagnostics),
          static_cast<QDockWidget*>(m_loss)}) {
        dock->setFloating(false);
        dock->show();
    }
    // The dump and the loss settings on the left, the diagnostics under the bench: the bench
    // gets the width, since shapes and explanations are read side by side.
    addDockWidget(Qt::LeftDockWidgetArea, m_tree);
    splitDockWidget(m_tree, m_loss, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagnostics);
    // After the docks are back in place: the window's minimum size depends on where they are.
    layout()->activate();
    resize(size);
    // On a small screen the tree needs a larger share to show shape, type and size unscrolled.
    resizeDocks({m_tree}, {size.width() * (small ? 38 : 36) / 100}, Qt::Horizontal);
    resizeDocks({m_tree, m_loss}, {size.height() * 50 / 100, size.height() * 40 / 100},
                Qt::Vertical);
    resizeDocks({m_diagnostics}, {size.height() * 21 / 100}, Qt::Vertical);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray(), kStateVersion);
    m_actions->watch->setChecked(settings.value(kWatchKey, false).toBool());
    switch (savedTheme()) {
    case Theme::System:
        m_actions->themeSystem->setChecked(true);
        break;
    case Theme::Light:
        m_actions->themeLight->setChecked(true);
        break;
    case Theme::Dark:
        m_actions->themeDark->setChecked(true);
        break;
    }
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kStateVersion));
    settings.setValue(kWatchKey, m_actions->watch->isChecked());
}

void MainWindow::connectWorkspace()
{
    connect(m_workspace, &Workspace::dumpOpened, this,
            [this](const DumpSummary& summary, Workspace::OpenReason reason) {
                m_selection->resetForDump(reason == Workspace::OpenReason::Reload);
                m_tree->setDump(summary, m_workspace->displayName());
                m_loss->setDump(summary);
                // setDump keeps the old choices; the form must show what the analysis uses.
                m_loss->setSpec(m_workspace->spec());
                updateSettingsNote();
                m_bench->setPlaceholder(tr("Analyzing %1\u2026").arg(m_workspace->displayName()));
                m_watcher->setPath(m_workspace->path());
                if (!m_examples->isCopy(m_workspace->path()))
                    m_recent->add(m_workspace->path());
                m_banner->hide();
                m_central->setCurrentWidget(m_tabs);
                updateTitle();
            });
    connect(m_workspace, &Workspace::analysisCleared, this, [this] {
        m_tree->setAnalysis(nullptr);
        m_diagnostics->clear();
        m_selection->clearAnalysis();
    });
    connect(m_workspace, &Workspace::analysisReady, this,
            [this](std::shared_ptr<const AnalysisResult> result) {
                m_tree->setAnalysis(result.get());
                m_diagnostics->setResult(result);
                m_bench->setResult(result, pendingNote());
                m_selection->setAnalysis(result);
                m_loss->setLossKindReason(result->lossKindReason);
                updateStatus();
            });
    connect(m_workspace, &Workspace::stateChanged, this, [this](Workspace::State state) {
        const bool hasResult = m_workspace->result() != nullptr;
        if (state == Workspace::State::Cancelled && !hasResult)
            m_bench->setPlaceholder(tr("The analysis was cancelled. The tree shows the dump; press "
                                       "F5 or change a loss setting to analyze it again."));
        else if (state == Workspace::State::Failed)
            m_bench->setPlaceholder(tr("The analysis failed; see the message above."));
        else if (state == Workspace::State::Cancelled && m_workspace->isPreliminary())
            m_bench->setResult(m_workspace->result(), pendingNote());
        m_central->setCurrentWidget(m_workspace->hasDump() ? static_cast<QWidget*>(m_tabs)
                                                           : m_welcome);
        updateStatus();
    });
    connect(m_workspace, &Workspace::progress, m_status, &StatusProgress::setProgress);
    connect(m_workspace, &Workspace::errorOccurred, this,
            [this](const QString&, const QString& title, const QString& message) {
                m_banner->showError(title, message);
            });
    connect(m_workspace, &Workspace::specChanged, m_loss, &LossSettingsDock::setSpec);
    connect(m_loss, &LossSettingsDock::specChanged, m_workspace, &Workspace::setSpec);
    connect(m_tree, &DumpTreeDock::tensorRoleChosen, m_workspace, &Workspace::setTensorRole);
    connect(m_workspace, &Workspace::specRestoredChanged, this, &MainWindow::updateSettingsNote);
    connect(m_selection, &SelectionCoordinator::selectionChanged, this, [this] { updateStatus(); });
    connect(m_settingsNote, &SettingsNote::resetRequested, m_loss,
            &LossSettingsDock::resetToDefaults);
    connect(m_loss, &LossSettingsDock::torchChanged, m_workspace, &Workspace::setTorchVersion);
    connect(m_status, &StatusProgress::cancelRequested, m_workspace, &Workspace::cancel);
    connect(m_watcher, &DumpWatcher::changed, m_workspace, [this] { m_workspace->reload(); });
}

void MainWindow::connectActions()
{
    MainActions* a = m_actions;
    connect(a->open, &QAction::triggered, this, &MainWindow::chooseFile);
    connect(a->openFolder, &QAction::triggered, this, &MainWindow::chooseFolder);
    connect(a->reload, &QAction::triggered, m_workspace, [this] {
        m_loss->applyPending();
        m_workspace->reload();
    });
    connect(a->watch, &QAction::toggled, m_watcher, &DumpWatcher::setEnabled);
    connect(a->exportJson, &QAction::triggered, this, [this] { exportReport(true); });
    connect(a->exportText, &QAction::triggered, this, [this] { exportReport(false); });
    connect(a->loadClassNames, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load Class Names"), QFileInfo(m_workspace->path()).absolutePath(),
            tr("Class names (*.txt *.json);;All files (*)"));
        if (!path.isEmpty())
            m_workspace->setClassNamesFile(path);
    });
    connect(a->quit, &QAction::triggered, this, &QWidget::close);
    connect(a->cancel, &QAction::triggered, m_workspace, &Workspace::cancel);
    connect(a->focusFilter, &QAction::triggered, m_tree, &DumpTreeDock::focusFilter);
    connect(a->previousPair, &QAction::triggered, m_selection,
            [this] { m_selection->selectNextPair(-1); });
    connect(a->nextPair, &QAction::triggered, m_selection,
            [this] { m_selection->selectNextPair(1); });
    connect(a->previousDiagnostic, &QAction::triggered, m_selection,
            [this] { m_selection->selectNextDiagnostic(-1); });
    connect(a->nextDiagnostic, &QAction::triggered, m_selection,
            [this] { m_selection->selectNextDiagnostic(1); });
    connect(a->copyFix, &QAction::triggered, this, &MainWindow::copyCurrentFix);
    connect(a->resetLayout, &QAction::triggered, this,
            qOverload<>(&MainWindow::applyDefaultLayout));
    connect(a->about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(a->keyboardShortcuts, &QAction::triggered, this, [this] {
        auto* dialog = new ShortcutsDialog(*this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    connect(a->themes, &QActionGroup::triggered, this, [a](QAction* action) {
        const Theme theme = action == a->themeDark    ? Theme::Dark
                            : action == a->themeLight ? Theme::Light
                                                      : Theme::System;
        applyTheme(theme);
        saveTheme(theme);
    });
    connect(a, &MainActions::exampleRequested, this, &MainWindow::openExample);
    connect(a->recentMenu, &QMenu::aboutToShow, this,
            [this] { m_recent->populate(m_actions->recentMenu); });
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openFile);
    connect(m_welcome, &WelcomePage::openFileRequested, this, &MainWindow::chooseFile);
    connect(m_welcome, &WelcomePage::openFolderRequested, this, &MainWindow::chooseFolder);
    connect(m_welcome, &WelcomePage::exampleRequested, this, &MainWindow::openExample);
    connect(m_welcome, &WelcomePage::recentFileRequested, this, &MainWindow::openFile);
    connect(m_recent, &RecentFiles::changed, m_welcome,
            [this] { m_welcome->setRecentFiles(m_recent->files()); });
    m_welcome->setRecentFiles(m_recent->files());
    connect(m_banner, &ErrorBanner::openRequested, this, &MainWindow::chooseFile);
}

void MainWindow::openFile(const QString& path)
{
    m_workspace->open(path);
}

bool MainWindow::openExample(const QString& file)
{
    const Expected<QString> path = m_examples->materialize(file);
    if (!path) {
        m_banner->showError(tr("Could not open the example %1").arg(file), path.error());
        return false;
    }
    m_workspace->open(*path, tr("%1 (example)").arg(file));
    return true;
}

int MainWindow::addAnalysisTab(QWidget* page, const QString& title, const QIcon& icon)
{
    return m_tabs->addTab(page, icon, title);
}

void MainWindow::chooseFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Dump"), QString(), kDumpFilter);
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::chooseFolder()
{
    // Without ShowDirsOnly the dialog lists the .npy files too: the user sees which folder
    // holds the dump before choosing it.
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open Folder of .npy Files"),
                                                           QString(), QFileDialog::Options());
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::exportReport(bool json)
{
    const std::shared_ptr<const AnalysisResult> result = m_workspace->result();
    if (!result) {
        statusBar()->showMessage(tr("Nothing to export: no analysis yet"), 4000);
        return;
    }
    const ReportFormat format = json ? ReportFormat::Json : ReportFormat::Text;
    const QString path = QFileDialog::getSaveFileName(
        this, json ? tr("Export Report as JSON") : tr("Export Report as Text"),
        suggestedReportName(m_workspace->displayName(), format),
        json ? tr("JSON (*.json)") : tr("Text (*.txt)"));
    if (path.isEmpty())
        return;
    if (const Status written = writeReport(*result, format, path, m_workspace->path()); !written) {
        QMessageBox::warning(this, tr("Export failed"), written.error());
        return;
    }
    statusBar()->showMessage(tr("Report written to %1").arg(path), 4000);
}

int MainWindow::fixToCopy() const
{
    const std::shared_ptr<const AnalysisResult> result = m_selection->result();
    if (!result)
        return -1;
    int index = m_selection->currentDiagnostic();
    if (index >= 0 && result->diagnostics[size_t(index)].fix.isEmpty())
        index = -1;
    for (size_t i = 0; index < 0 && i < result->diagnostics.size(); ++i) {
        if (result->diagnostics[i].pair == m_selection->currentPair() &&
            !result->diagnostics[i].fix.isEmpty())
            index = int(i);
    }
    return index;
}

void MainWindow::copyCurrentFix()
{
    const int index = fixToCopy();
    if (index < 0)
        return;
    const std::shared_ptr<const AnalysisResult> result = m_selection->result();
    QApplication::clipboard()->setText(result->diagnostics[size_t(index)].fix);
    statusBar()->showMessage(
        tr("Fix of %1 copied").arg(result->diagnostics[size_t(index)].codeName()), 3000);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About ShapeScope"),
        tr("<b>ShapeScope %1</b><p>A tensor-shape debugger: it pairs model outputs "
           "with targets, applies PyTorch's own checks with PyTorch's exact error "
           "texts, computes per-sample losses, and explains each problem with a fix.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::updateStatus()
{
    m_actions->cancel->setEnabled(m_workspace->isBusy());
    m_actions->reload->setEnabled(m_workspace->hasDump());
    const bool hasResult = m_workspace->result() != nullptr;
    m_actions->exportJson->setEnabled(hasResult);
    m_actions->exportText->setEnabled(hasResult);
    // Nothing to act on: no dump to watch, no fix to copy.
    m_actions->watch->setEnabled(m_workspace->hasDump() || m_actions->watch->isChecked());
    m_actions->copyFix->setEnabled(fixToCopy() >= 0);
    m_status->showWorkspace(*m_workspace);
}

QString MainWindow::pendingNote() const
{
    if (!m_workspace->isPreliminary())
        return {};
    return m_workspace->state() == Workspace::State::Cancelled
               ? tr("Losses not computed and values not checked: the analysis was cancelled.")
               : tr("Computing the losses and checking the values\u2026");
}

void MainWindow::updateSettingsNote()
{
    if (m_workspace->hasDump() && m_workspace->isSpecRestored())
        m_settingsNote->showRestored(m_workspace->displayName(), lossSpecText(m_workspace->spec()));
    else
        m_settingsNote->hide();
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_workspace->hasDump()
                       ? tr("%1 \u2014 ShapeScope").arg(m_workspace->displayName())
                       : tr("ShapeScope"));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    m_workspace->cancel();
    // Nothing the session reads is wanted any more: a worker hanging on a hostile file is
    // killed now instead of holding the exit up until its watchdog fires.
    m_workspace->controller()->session()->stop();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(urls.first().toLocalFile());
}

} // namespace shapescope
