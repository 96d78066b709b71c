// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QObject>
#include <memory>

class QWidget;

namespace shapescope {

class LossPlotsPage;
class MainActions;
class SelectionCoordinator;
class TensorValuesView;
class Workspace;

// The pages beside the shape bench that follow the workspace and the selection: the loss plots
// with the sample inspector, and the values table of the selected tensor. Also serves the File
// menu's plot, losses and Markdown exports. The window creates one, adds its pages as tabs and
// shows its messages.
class AnalysisPages : public QObject
{
    Q_OBJECT

public:
    // The pages are created as children of `pageParent`, ready for the window's tab widget.
    AnalysisPages(Workspace* workspace, SelectionCoordinator* selection, MainActions* actions,
                  std::shared_ptr<Session> session, QWidget* pageParent);

    LossPlotsPage* losses() const { return m_losses; }
    TensorValuesView* values() const { return m_values; }

Q_SIGNALS:
    // A short note for the status bar (a file written).
    void message(const QString& text, int timeoutMs);
    // The inspector asked to see a sample's values: the Values tab shows them.
    void valuesShown();

private:
    void followSelection();
    void selectSamplePair(int pair);
    void updateActions();

    Workspace* m_workspace;
    SelectionCoordinator* m_selection;
    MainActions* m_actions;
    LossPlotsPage* m_losses;
    TensorValuesView* m_values;
    QString m_shownTensor;
    bool m_following = false; // the losses page shows a sample because the selection moved
};

} // namespace shapescope
