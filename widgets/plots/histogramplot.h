// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossplot.h"
#include "plotdata.h"

class QCheckBox;
class QCPBars;
class QCPItemStraightLine;
class QCPItemText;

namespace shapescope {

// A histogram of per-sample losses with the analysis's bins (Freedman-Diaconis), linear or
// logarithmic counts, and the mean marked.
class LossHistogramPlot : public LossPlot
{
    Q_OBJECT

public:
    explicit LossHistogramPlot(QWidget* parent = nullptr);

    PlotKind kind() const override { return PlotKind::Histogram; }
    void setData(HistogramSeries series);
    const HistogramSeries& series() const { return m_series; }
    bool logCounts() const { return m_log; }
    QString toolTipAt(const QPointF& pos) const override;
    // The bin under a plot widget position, or -1.
    int binAt(const QPointF& pos) const;

public Q_SLOTS:
    void setLogCounts(bool log);

protected:
    void fitView() override;
    void restyle() override;

private:
    QCPBars* m_bars;
    QCPItemStraightLine* m_meanLine;
    QCPItemText* m_meanLabel;
    QCheckBox* m_logBox;
    HistogramSeries m_series;
    bool m_log = false;
};

} // namespace shapescope
