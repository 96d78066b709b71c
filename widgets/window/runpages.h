// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QObject>
#include <memory>

class QTabWidget;
class QWidget;

namespace shapescope {

class ComparePage;
class MainActions;
class SelectionCoordinator;
class StepsPage;
class Workspace;

// The pages that look beyond the one step on the bench: Steps (a run across its steps, following
// the workspace; a click puts the step on the bench) and Compare (File > Compare With...: the
// dump beside a second one). The window creates one and adds its pages as tabs.
class RunPages : public QObject
{
    Q_OBJECT

public:
    RunPages(Workspace* workspace, SelectionCoordinator* selection, MainActions* actions,
             std::shared_ptr<Session> session, QTabWidget* tabs, QWidget* bench);

    StepsPage* steps() const { return m_steps; }
    ComparePage* compare() const { return m_compare; }

public Q_SLOTS:
    // Compares the dump in the window with `other` and shows the Compare tab.
    void compareWith(const QString& other);
    void chooseCompareFile();

private:
    Workspace* m_workspace;
    SelectionCoordinator* m_selection;
    MainActions* m_actions;
    std::shared_ptr<Session> m_session;
    QTabWidget* m_tabs;
    QWidget* m_bench;
    StepsPage* m_steps;
    ComparePage* m_compare;
};

} // namespace shapescope
