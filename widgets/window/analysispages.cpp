// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysispages.h"

#include "losses/lossplotspage.h"
#include "losses/sampleinspector.h"
#include "mainactions.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "values/tensorvaluesmodel.h"
#include "values/tensorvaluesview.h"

#include <QAction>

namespace shapescope {

AnalysisPages::AnalysisPages(Workspace* workspace, SelectionCoordinator* selection,
                             MainActions* actions, std::shared_ptr<Session> session,
                             QWidget* pageParent)
    : QObject(pageParent), m_workspace(workspace), m_selection(selection), m_actions(actions),
      m_losses(new LossPlotsPage(pageParent)), m_values(new TensorValuesView(pageParent))
{
    setObjectName(QStringLiteral("analysisPages"));
    m_losses->setObjectName(QStringLiteral("lossPlotsPage"));
    m_values->setObjectName(QStringLiteral("valuesPage"));
    m_losses->setSession(session);
    m_values->setSession(session);

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
    connect(workspace, &Workspace::stateChanged, this, [this](Workspace::State state) {
        QString note;
        if (state == Workspace::State::Opening || state == Workspace::State::Analyzing)
            note = tr("Computing the losses\u2026 (progress in the status bar; Esc cancels)");
        else if (state == Workspace::State::Cancelled)
            note = tr("The analysis was cancelled before the losses were computed. Press F5 "
                      "(File > Reload) to compute them.");
        m_losses->setPendingNote(note);
    });
    connect(workspace, &Workspace::dumpOpened, this, [this] {
        m_values->clear();
        m_shownTensor.clear();
    });
    connect(selection, &SelectionCoordinator::selectionChanged, this,
            &AnalysisPages::followSelection);
    connect(m_losses, &LossPlotsPage::sampleActivated, this,
            [this](int pair, qint64) { selectSamplePair(pair); });
    connect(m_losses->inspector(), &SampleInspector::valuesRequested, this,
            [this](int tensor, qint64 row) {
                const TensorInfo* info = m_workspace->summary().tensor(tensor);
                if (!info)
                    return;
                if (info->path != m_shownTensor || m_values->model()->tensor().path != info->path)
                    m_values->showTensor(m_workspace->path(), *info);
                m_shownTensor = info->path;
                m_values->goToSample(row);
                Q_EMIT valuesShown();
            });

    connect(actions->exportPlot, &QAction::triggered, m_losses,
            &LossPlotsPage::exportPlotInteractive);
    connect(actions->exportLosses, &QAction::triggered, m_losses,
            &LossPlotsPage::exportLossesInteractive);
    connect(actions->exportMarkdown, &QAction::triggered, m_losses,
            &LossPlotsPage::exportReportInteractive);
    connect(m_losses, &LossPlotsPage::exported, this,
            [this](const QString& path) { Q_EMIT message(tr("Written to %1").arg(path), 4000); });
    updateActions();
}

void AnalysisPages::followSelection()
{
    const SelectionCoordinator* selection = m_selection;
    const std::shared_ptr<const AnalysisResult> result = selection->result();
    if (!result || result != m_losses->result())
        return;
    const int pair = selection->currentPair();
    const int diagnostic = selection->currentDiagnostic();
    const Diagnostic* chosen = diagnostic >= 0 && size_t(diagnostic) < result->diagnostics.size()
                                   ? &result->diagnostics[size_t(diagnostic)]
                                   : nullptr;
    m_following = true;
    if (chosen && chosen->pair >= 0 && !chosen->samples.empty())
        m_losses->showSample(chosen->pair, chosen->samples.front());
    else if (pair >= 0)
        m_losses->showPair(pair);
    m_following = false;

    const QStringList& tensors = selection->selectedTensors();
    const QString path = tensors.isEmpty() ? QString() : tensors.front();
    if (path.isEmpty() || path == m_shownTensor)
        return;
    for (const TensorInfo& tensor : m_workspace->summary().tensors) {
        if (tensor.path == path) {
            m_values->showTensor(m_workspace->path(), tensor);
            m_shownTensor = path;
            break;
        }
    }
}

// A sample the user clicked (a plot point, a row of the highest losses, the inspector) selects
// its pair, so the tree shows the two tensors it came from. A click within the pair already
// selected keeps a chosen diagnostic, unless the tree shows other tensors.
void AnalysisPages::selectSamplePair(int pair)
{
    const std::shared_ptr<const AnalysisResult> result = m_selection->result();
    if (m_following || !result || pair < 0 || size_t(pair) >= result->pairs.size())
        return;
    const PairResult& p = result->pairs[size_t(pair)];
    const QStringList& shown = m_selection->selectedTensors();
    if (pair == m_selection->currentPair() && shown.contains(p.input) && shown.contains(p.target))
        return;
    m_selection->selectPair(pair);
}

void AnalysisPages::updateActions()
{
    const bool hasResult = m_losses->hasResult();
    m_actions->exportPlot->setEnabled(hasResult);
    m_actions->exportLosses->setEnabled(hasResult);
    m_actions->exportMarkdown->setEnabled(hasResult);
}

} // namespace shapescope
