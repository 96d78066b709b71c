// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stepseries.h"
#include "plots/plotstyle.h"

#include <QWidget>

class QCPAxisRect;
class QCPRange;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;

namespace shapescope {

// A run's timeline: mean loss, accuracy, and the counts of NaN losses and ignored positions
// per step, in three rows sharing the step axis. The wheel zooms and a drag pans the steps;
// a double-click fits them. Steps whose shapes or dtypes changed are marked on the loss row,
// the step on the bench by a dashed line. Clicking a step emits stepClicked.
class StepsPlot : public QWidget
{
    Q_OBJECT

public:
    explicit StepsPlot(QWidget* parent = nullptr);

    void setSeries(const StepSeries& series);
    void setCurrentStep(int step);
    int stepCount() const { return m_steps; }
    QCustomPlot* customPlot() const { return m_plot; }
    // Where step `step` is drawn in this widget's coordinates (on the loss row).
    QPoint stepPosition(int step) const;
    // The visible steps (after zoom or pan).
    std::pair<double, double> visibleSteps() const;

public Q_SLOTS:
    void fitSteps();

Q_SIGNALS:
    void stepClicked(int step);

protected:
    void changeEvent(QEvent* event) override;

private:
    QCPAxisRect* addRow(const QString& label);
    void restyle();
    void syncRanges(const QCPRange& range);
    int stepAt(const QPointF& pos) const;

    QCustomPlot* m_plot;
    std::vector<QCPAxisRect*> m_rows;
    QCPGraph* m_loss;
    QCPGraph* m_changed;
    QCPGraph* m_accuracy;
    QCPGraph* m_nonFinite;
    QCPGraph* m_ignored;
    std::vector<QCPItemStraightLine*> m_current; // one per row
    PlotColors m_colors;
    QPointF m_pressPos;
    int m_steps = 0;
    bool m_syncing = false;
};

} // namespace shapescope
