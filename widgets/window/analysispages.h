#pragma once

#include "session/session.h"

#include <QObject>
#include <memory>

namespace shapescope {

class LossPlotsPage;
class MainWindow;
class TensorValuesView;

// The pages beside the shape bench that follow the window's workspace and selection: the loss
// plots with the sample inspector, and the values table of the selected tensor. Also serves the
// File menu's plot, losses and Markdown exports. The window creates one and forgets it.
class AnalysisPages : public QObject
{
    Q_OBJECT

public:
    AnalysisPages(MainWindow* window, std::shared_ptr<Session> session);

    LossPlotsPage* losses() const { return m_losses; }
    TensorValuesView* values() const { return m_values; }

private:
    void followSelection();
    void updateActions();

    MainWindow* m_window;
    LossPlotsPage* m_losses;
    TensorValuesView* m_values;
    QString m_shownTensor;
};

} // namespace shapescope
