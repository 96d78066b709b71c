// SPDX-License-Identifier: GPL-3.0-or-later
#include "runpages.h"

#include "compare/comparepage.h"
#include "mainactions.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "steps/stepspage.h"

#include <QAction>
#include <QFileDialog>
#include <QTabWidget>

namespace shapescope {

RunPages::RunPages(Workspace* workspace, SelectionCoordinator* selection, MainActions* actions,
                   std::shared_ptr<Session> session, QTabWidget* tabs, QWidget* bench)
    : QObject(tabs), m_workspace(workspace), m_selection(selection), m_actions(actions),
      m_session(std::move(session)), m_tabs(tabs), m_bench(bench), m_steps(new StepsPage(tabs)),
      m_compare(new ComparePage(tabs))
{
    setObjectName(QStringLiteral("runPages"));
    m_steps->setObjectName(QStringLiteral("stepsPage"));
    m_compare->setObjectName(QStringLiteral("comparePage"));

    connect(workspace, &Workspace::analysisReady, m_steps,
            [this](std::shared_ptr<const AnalysisResult> result) {
                m_steps->setResult(std::move(result));
            });
    connect(workspace, &Workspace::analysisCleared, m_steps, &StepsPage::clear);
    connect(workspace, &Workspace::stateChanged, m_steps, [this](Workspace::State state) {
        if (state == Workspace::State::Opening || state == Workspace::State::Analyzing)
            m_steps->setPendingNote(tr("Analysing the steps\u2026 (progress in the status bar; "
                                       "Esc cancels)"));
        else if (state == Workspace::State::Cancelled && !m_workspace->result())
            m_steps->setPendingNote(tr("The analysis was cancelled. Press F5 to analyse the "
                                       "steps."));
    });
    connect(selection, &SelectionCoordinator::selectionChanged, m_steps,
            [this] { m_steps->setCurrentPair(m_selection->currentPair()); });
    connect(m_steps, &StepsPage::seriesReady, m_steps,
            [this] { m_steps->setCurrentPair(m_selection->currentPair()); });
    connect(m_steps, &StepsPage::pairActivated, this, [this](int pair) {
        m_selection->selectPair(pair);
        m_tabs->setCurrentWidget(m_bench);
    });

    connect(actions->compareWith, &QAction::triggered, this, &RunPages::chooseCompareFile);
    auto enable = [this] { m_actions->compareWith->setEnabled(m_workspace->hasDump()); };
    connect(workspace, &Workspace::stateChanged, this, enable);
    enable();
}

void RunPages::chooseCompareFile()
{
    const QString path = QFileDialog::getOpenFileName(
        m_tabs, tr("Compare With"), QString(),
        tr("Dumps (*.h5 *.hdf5 *.hdf *.he5 *.npy *.npz *.pt *.pth *.bin *.safetensors);;"
           "All files (*)"));
    if (!path.isEmpty())
        compareWith(path);
}

void RunPages::compareWith(const QString& other)
{
    if (!m_workspace->hasDump())
        return;
    AnalysisOptions options;
    options.spec = m_workspace->spec();
    m_compare->compare(m_session, m_workspace->path(), other, options);
    m_tabs->setCurrentWidget(m_compare);
}

} // namespace shapescope
