// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossplot.h"
#include "plotdata.h"

class QCPGraph;

namespace shapescope {

class BatchBands;

// Loss against sample index: a run's batches concatenated in step order, batch boundaries and
// alternating batch backgrounds (a short batch tinted), correct and wrong predictions in two
// colours, ignored samples grey at 0. Hovering shows the sample's target, prediction, p(target)
// and loss; clicking a point emits sampleActivated. Ten million points replot in well under
// 100 ms (QCustomPlot's adaptive sampling; the bands are one layerable).
class PerSamplePlot : public LossPlot
{
    Q_OBJECT

public:
    explicit PerSamplePlot(QWidget* parent = nullptr);
    ~PerSamplePlot() override;

    PlotKind kind() const override { return PlotKind::PerSample; }

    // The point vectors move into the graphs; the series keeps spans and its source for lookups.
    void setData(PerSampleSeries series);
    const PerSampleSeries& series() const { return m_series; }
    void clear();

    // The drawn sample nearest to `pos` (plot widget coordinates) within `radius` pixels, or a
    // point with pair -1.
    SamplePoint sampleAt(const QPointF& pos, double radius = 8) const;
    // Where a pair's sample is drawn, in plot widget coordinates (NaN when not drawn).
    QPointF pixelOf(int pair, qint64 sample) const;
    static QString describe(const SamplePoint& point, const PerSampleSeries& series);
    QString toolTipAt(const QPointF& pos) const override;

    // Zooms the x axis onto one pair's samples (a batch of the run).
    void zoomToPair(int pair);
    // Rings a sample (pair -1 clears the ring).
    void setSelectedSample(int pair, qint64 sample);

Q_SIGNALS:
    void sampleHovered(int pair, qint64 sample); // pair -1 when the mouse left every point
    void sampleActivated(int pair, qint64 sample);

protected:
    void fitView() override;
    void restyle() override;
    void clickedAt(const QPointF& pos) override;
    void hoveredAt(const QPointF& pos) override;

private:
    QCPGraph* m_correct;
    QCPGraph* m_wrong;
    QCPGraph* m_other;
    QCPGraph* m_ignored;
    QCPGraph* m_selected;
    BatchBands* m_bands;
    PerSampleSeries m_series;
    double m_dotSize = 4;
    int m_hoverPair = -1;
    qint64 m_hoverSample = -1;
};

} // namespace shapescope
