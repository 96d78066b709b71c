// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossplot.h"
#include "plotdata.h"

class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;

namespace shapescope {

// A run's batches: batch size as bars (left axis, from 0, so a short batch is a short bar) and
// mean loss as a line (right axis). Batches whose size differs from the usual one are drawn in
// the highlight colour and labelled; a dashed line marks the usual size.
class PerBatchPlot : public LossPlot
{
    Q_OBJECT

public:
    explicit PerBatchPlot(QWidget* parent = nullptr);

    PlotKind kind() const override { return PlotKind::PerBatch; }
    void setData(BatchSeries series);
    const BatchSeries& series() const { return m_series; }
    QString toolTipAt(const QPointF& pos) const override;
    int batchAt(const QPointF& pos) const;

Q_SIGNALS:
    void batchActivated(int pair);

protected:
    void fitView() override;
    void restyle() override;
    void clickedAt(const QPointF& pos) override;

private:
    QCPBars* m_sizes;
    QCPBars* m_ragged;
    QCPGraph* m_loss;
    QCPItemStraightLine* m_typicalLine;
    QCPItemText* m_typicalLabel;
    std::vector<QCPItemText*> m_labels;
    BatchSeries m_series;
};

} // namespace shapescope
