#include "analysispages.h"

#include "mainactions.h"
#include "mainwindow.h"
#include "losses/lossplotspage.h"
#include "state/selectioncoordinator.h"
#include "values/tensorvaluesview.h"
#include "state/workspace.h"

#include <QAction>
#include <QStatusBar>

namespace shapescope {

AnalysisPages::AnalysisPages(MainWindow* window, std::shared_ptr<Session> session)
    : QObject(window), m_window(window), m_losses(new LossPlotsPage(window)),
      m_values(new TensorValuesView(window))
{
    m_losses->setObjectName(QStringLiteral("lossPlotsPage"));
    m_values->setObjectName(QStringLiteral("valuesPage"));
    m_losses->setSession(session);
    m_values->setSession(session);
    window->addAnalysisTab(m_losses, tr("Losses"));
    window->addAnalysisTab(m_values, tr("Values"));

    Workspace* workspace = window->workspace();
    connect(workspace, &Workspace::analysisReady, this,
            [this, workspace](std::shared_ptr<const AnalysisResult> result) {
                m_losses->setResult(std::move(result), workspace->path());
                followSelection();
                updateActions();
            });
    connect(workspace, &Workspace::analysisCleared, this, [this] {
        m_losses->clear();
        updateActions();
    });
    connect(workspace, &Workspace::dumpOpened, this, [this] {
        m_values->clear();
        m_shownTensor.clear();
    });
    connect(window->selection(), &SelectionCoordinator::selectionChanged, this,
            &AnalysisPages::followSelection);

    MainActions* actions = window->actions();
    connect(actions->exportPlot, &QAction::triggered, m_losses, &LossPlotsPage::exportPlotInteractive);
    connect(actions->exportLosses, &QAction::triggered, m_losses,
            &LossPlotsPage::exportLossesInteractive);
    connect(actions->exportMarkdown, &QAction::triggered, m_losses,
            &LossPlotsPage::exportReportInteractive);
    connect(m_losses, &LossPlotsPage::exported, this, [this](const QString& path) {
        m_window->statusBar()->showMessage(tr("Written to %1").arg(path), 4000);
    });
    updateActions();
}

void AnalysisPages::followSelection()
{
    const SelectionCoordinator* selection = m_window->selection();
    const std::shared_ptr<const AnalysisResult> result = selection->result();
    if (!result || result != m_losses->result())
        return;
    const int pair = selection->currentPair();
    const int diagnostic = selection->currentDiagnostic();
    const Diagnostic* chosen =
        diagnostic >= 0 && size_t(diagnostic) < result->diagnostics.size() ? &result->diagnostics[size_t(diagnostic)]
                                                                           : nullptr;
    if (chosen && chosen->pair >= 0 && !chosen->samples.empty())
        m_losses->showSample(chosen->pair, chosen->samples.front());
    else if (pair >= 0)
        m_losses->showPair(pair);

    const QStringList& tensors = selection->selectedTensors();
    const QString path = tensors.isEmpty() ? QString() : tensors.front();
    if (path.isEmpty() || path == m_shownTensor)
        return;
    for (const TensorInfo& tensor : m_window->workspace()->summary().tensors) {
        if (tensor.path == path) {
            m_values->showTensor(m_window->workspace()->path(), tensor);
            m_shownTensor = path;
            break;
        }
    }
}

void AnalysisPages::updateActions()
{
    MainActions* actions = m_window->actions();
    const bool hasResult = m_losses->hasResult();
    actions->exportPlot->setEnabled(hasResult);
    actions->exportLosses->setEnabled(hasResult);
    actions->exportMarkdown->setEnabled(hasResult);
}

} // namespace shapescope
