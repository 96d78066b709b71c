// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossplot.h"
#include "plotdata.h"

class QComboBox;
class QCPBars;
class QCPGraph;

namespace shapescope {

// Mean loss (bars, left axis) and sample count (markers, right axis) per target class, sorted by
// class, mean loss or count. Class labels on the x axis thin out when there are many classes.
class PerClassPlot : public LossPlot
{
    Q_OBJECT

public:
    explicit PerClassPlot(QWidget* parent = nullptr);

    PlotKind kind() const override { return PlotKind::PerClass; }
    void setData(ClassSeries series);
    // The classes in the order drawn (x = 0, 1, ...).
    const std::vector<ClassEntry>& classes() const { return m_series.classes; }
    ClassOrder order() const { return m_order; }
    QString toolTipAt(const QPointF& pos) const override;
    int entryAt(const QPointF& pos) const;

public Q_SLOTS:
    void setOrder(shapescope::ClassOrder order);

Q_SIGNALS:
    void classActivated(qint64 classIndex);

protected:
    void fitView() override;
    void restyle() override;
    void clickedAt(const QPointF& pos) override;

private:
    void rebuild();

    QCPBars* m_bars;
    QCPGraph* m_counts;
    QComboBox* m_orderBox;
    ClassSeries m_series;
    ClassOrder m_order = ClassOrder::ByClass;
};

} // namespace shapescope
