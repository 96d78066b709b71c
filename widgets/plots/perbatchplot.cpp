// SPDX-License-Identifier: GPL-3.0-or-later
#include "perbatchplot.h"

#include "integerticker.h"
#include "qcustomplotinclude.h"

#include <cmath>

namespace shapescope {

namespace {
constexpr size_t kMaxLabels = 5; // short batches labelled by name; more are only coloured
}

PerBatchPlot::PerBatchPlot(QWidget* parent) : LossPlot(parent)
{
    QCustomPlot* plot = customPlot();
    m_sizes = new QCPBars(plot->xAxis, plot->yAxis);
    m_sizes->setName(tr("batch size"));
    m_sizes->setWidth(0.75);
    m_ragged = new QCPBars(plot->xAxis, plot->yAxis);
    m_ragged->setName(tr("short or long batch"));
    m_ragged->setWidth(0.75);
    m_loss = plot->addGraph(plot->xAxis, plot->yAxis2);
    m_loss->setName(tr("mean loss (right axis)"));
    m_loss->setAdaptiveSampling(true);
    m_typicalLine = new QCPItemStraightLine(plot);
    m_typicalLabel = new QCPItemText(plot);
    m_typicalLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    m_typicalLabel->position->setTypeY(QCPItemPosition::ptPlotCoords);
    m_typicalLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_typicalLabel->setPadding(QMargins(4, 0, 4, 2));

    plot->xAxis->setTicker(QSharedPointer<IntegerTicker>::create(plot->xAxis));
    plot->xAxis->setLabel(tr("batch (step order)"));
    plot->yAxis->setLabel(tr("samples in the batch"));
    plot->yAxis2->setVisible(true);
    plot->yAxis2->setLabel(tr("mean loss"));
    plot->yAxis2->grid()->setVisible(false);
    plot->legend->setVisible(true);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    restyle();
    setData(BatchSeries{});
}

void PerBatchPlot::restyle()
{
    const PlotColors& c = colors();
    QColor fill = c.dark ? c.primary.darker(160) : c.primary.lighter(185);
    m_sizes->setBrush(fill);
    // Hundreds of bars: outlines would be all there is to see.
    m_sizes->setPen(m_series.batches.size() > 300 ? QPen(Qt::NoPen) : QPen(c.primary, 1));
    m_ragged->setBrush(c.highlight);
    m_ragged->setPen(QPen(c.highlight.darker(c.dark ? 80 : 140), 1.5));
    m_loss->setPen(QPen(c.line, 2));
    // Thousands of batches: a marker per batch would be a smear.
    m_loss->setScatterStyle(m_series.batches.size() > 200
                                ? QCPScatterStyle(QCPScatterStyle::ssNone)
                                : QCPScatterStyle(QCPScatterStyle::ssDisc, c.line, c.line, 6));
    m_typicalLine->setPen(QPen(c.mutedText, 1, Qt::DashLine));
    m_typicalLabel->setColor(c.mutedText);
    for (QCPItemText* label : m_labels) {
        label->setColor(c.text);
        label->setPen(QPen(c.highlight, 1.5));
        QColor back = c.background;
        back.setAlpha(230);
        label->setBrush(back);
    }
}

void PerBatchPlot::setData(BatchSeries series)
{
    m_series = std::move(series);
    QCustomPlot* plot = customPlot();
    QVector<double> keys, sizes, raggedKeys, raggedSizes, lossKeys, losses;
    for (size_t b = 0; b < m_series.batches.size(); ++b) {
        const BatchEntry& batch = m_series.batches[b];
        const auto key = static_cast<double>(b);
        (batch.ragged ? raggedKeys : keys) << key;
        (batch.ragged ? raggedSizes : sizes) << static_cast<double>(batch.size);
        if (std::isfinite(batch.meanLoss)) {
            lossKeys << key;
            losses << batch.meanLoss;
        }
    }
    m_sizes->setData(keys, sizes, /*alreadySorted=*/true);
    m_ragged->setData(raggedKeys, raggedSizes, /*alreadySorted=*/true);
    m_loss->setData(lossKeys, losses, /*alreadySorted=*/true);
    // Hundreds of batches make bars narrower than a pixel; a short batch stays 3 pixels wide.
    const bool dense = m_series.batches.size() > 300;
    m_ragged->setWidthType(dense ? QCPBars::wtAbsolute : QCPBars::wtPlotCoords);
    m_ragged->setWidth(dense ? 3.0 : 0.75);
    m_ragged->setName(m_series.raggedCount > 0
                          ? tr("batch of another size (%1)").arg(m_series.raggedCount)
                          : tr("batch of another size"));
    if (m_series.raggedCount > 0)
        m_ragged->addToLegend();
    else
        m_ragged->removeFromLegend();

    for (QCPItemText* label : m_labels)
        plot->removeItem(label);
    m_labels.clear();
    for (size_t b = 0; b < m_series.batches.size() && m_labels.size() < kMaxLabels; ++b) {
        const BatchEntry& batch = m_series.batches[b];
        if (!batch.ragged)
            continue;
        auto* label = new QCPItemText(plot);
        label->position->setCoords(static_cast<double>(b), static_cast<double>(batch.size));
        // Towards the middle from the edges, so the label is never cut off.
        const double where = static_cast<double>(b) /
                             static_cast<double>(std::max<size_t>(1, m_series.batches.size() - 1));
        label->setPositionAlignment((m_series.batches.size() <= 20 ? Qt::AlignHCenter
                                     : where > 0.8                 ? Qt::AlignRight
                                     : where < 0.2                 ? Qt::AlignLeft
                                                                   : Qt::AlignHCenter) |
                                    Qt::AlignBottom);
        label->setTextAlignment(Qt::AlignCenter);
        label->setPadding(QMargins(5, 3, 5, 3));
        label->setText(tr("batch %1: %2 samples\n(usually %3)")
                           .arg(b)
                           .arg(batch.size)
                           .arg(m_series.typicalSize));
        QFont font = label->font();
        font.setBold(true);
        label->setFont(font);
        label->setClipToAxisRect(false);
        m_labels.push_back(label);
    }
    const bool showTypical = m_series.raggedCount > 0 && m_series.typicalSize > 0;
    m_typicalLine->setVisible(showTypical);
    m_typicalLabel->setVisible(showTypical);
    if (showTypical) {
        const auto typical = static_cast<double>(m_series.typicalSize);
        m_typicalLine->point1->setCoords(0, typical);
        m_typicalLine->point2->setCoords(1, typical);
        m_typicalLabel->position->setCoords(0.005, typical);
        m_typicalLabel->setText(tr("usual size %1").arg(m_series.typicalSize));
    }

    QString title = tr("Batch size and mean loss");
    if (!m_series.title.isEmpty())
        title += QStringLiteral(" \u2014 ") + m_series.title;
    setTitle(title);
    setHasData(!m_series.batches.empty());
    setMessage(hasData() ? QString() : tr("No batches to show"));
    restyle();
    resetView();
}

void PerBatchPlot::fitView()
{
    QCustomPlot* plot = customPlot();
    const auto n = static_cast<double>(m_series.batches.size());
    const double margin = n > 300 ? n * 0.01 : 0.0; // room for a 3-pixel short batch at the ends
    plot->xAxis->setRange(-0.6 - margin, std::max(1.0, n) - 0.4 + margin);
    double maxSize = 0, maxLoss = 0;
    for (const BatchEntry& b : m_series.batches) {
        maxSize = std::max(maxSize, static_cast<double>(b.size));
        if (std::isfinite(b.meanLoss))
            maxLoss = std::max(maxLoss, b.meanLoss);
    }
    // Headroom for the labels above a short bar and the legend-free top.
    plot->yAxis->setRange(0, maxSize > 0 ? maxSize * 1.25 : 1.0);
    plot->yAxis2->setRange(0, maxLoss > 0 ? maxLoss * 1.25 : 1.0);
}

int PerBatchPlot::batchAt(const QPointF& pos) const
{
    if (!customPlot()->axisRect()->rect().contains(pos.toPoint()))
        return -1;
    const auto index =
        static_cast<qint64>(std::llround(customPlot()->xAxis->pixelToCoord(pos.x())));
    if (index < 0 || index >= static_cast<qint64>(m_series.batches.size()))
        return -1;
    return static_cast<int>(index);
}

QString PerBatchPlot::toolTipAt(const QPointF& pos) const
{
    const int index = batchAt(pos);
    if (index < 0)
        return {};
    const BatchEntry& b = m_series.batches[static_cast<size_t>(index)];
    QString text = tr("batch %1 (%2)\n%3 samples").arg(index).arg(b.group).arg(b.size);
    if (b.ragged)
        text += tr(" (usually %1)").arg(m_series.typicalSize);
    text += std::isfinite(b.meanLoss) ? tr("\nmean loss %1").arg(b.meanLoss, 0, 'g', 5)
                                      : tr("\nloss not computed");
    return text;
}

void PerBatchPlot::clickedAt(const QPointF& pos)
{
    const int index = batchAt(pos);
    if (index >= 0)
        Q_EMIT batchActivated(m_series.batches[static_cast<size_t>(index)].pair);
}

} // namespace shapescope
