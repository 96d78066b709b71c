// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stepseries.h"
#include "state/latestjob.h"

#include <QWidget>
#include <memory>

class QLabel;
class QStackedWidget;
class QTableView;

namespace shapescope {

class StepsModel;
class StepsPlot;

// The Steps tab: a run across its steps (a dump of batch_0000 ... batch_0999 groups, a folder
// of per-step files, a file a watched run keeps growing) as a timeline over a table of the
// steps. The figures come from core's stepSeries(), computed off the GUI thread; clicking a
// step in either asks for its pair (the window puts it on the bench).
class StepsPage : public QWidget
{
    Q_OBJECT

public:
    explicit StepsPage(QWidget* parent = nullptr);
    ~StepsPage() override;

    // A new analysis: its longest run is summarised in the background; seriesReady() follows.
    void setResult(std::shared_ptr<const AnalysisResult> result);
    void clear();
    // The pair on the bench: its step is outlined in the plot and bold in the table.
    void setCurrentPair(int pair);
    // Shown while the analysis runs (with the status bar's progress).
    void setPendingNote(const QString& note);

    const StepSeries& series() const;
    StepsPlot* plot() const { return m_plot; }
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void pairActivated(int pair);
    void seriesReady();

private:
    void showSeries(StepSeries series);
    void activateStep(int step);
    void showMessage(const QString& text);

    QStackedWidget* m_stack;
    QLabel* m_message;
    QLabel* m_summary;
    StepsPlot* m_plot;
    QTableView* m_table;
    StepsModel* m_model;
    LatestJob m_job{this};
    int m_currentPair = -1;
};

} // namespace shapescope
