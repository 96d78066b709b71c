// SPDX-License-Identifier: GPL-3.0-or-later
#include "histogramplot.h"

#include "qcustomplotinclude.h"

#include <QCheckBox>
#include <cmath>

namespace shapescope {

LossHistogramPlot::LossHistogramPlot(QWidget* parent)
    : LossPlot(parent), m_logBox(new QCheckBox(tr("Log counts"), this))
{
    QCustomPlot* plot = customPlot();
    m_bars = new QCPBars(plot->xAxis, plot->yAxis);
    m_bars->setWidthType(QCPBars::wtPlotCoords);
    m_bars->setName(tr("samples per bin"));
    m_meanLine = new QCPItemStraightLine(plot);
    m_meanLabel = new QCPItemText(plot);
    m_meanLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_meanLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_meanLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_meanLabel->setPadding(QMargins(4, 2, 4, 2));
    plot->xAxis->setLabel(tr("per-sample loss"));
    plot->yAxis->setLabel(tr("samples"));
    plot->legend->setVisible(false);
    m_logBox->setObjectName(QStringLiteral("logCounts"));
    m_logBox->setToolTip(tr("Logarithmic counts show the few samples in the long tail."));
    addToolWidget(m_logBox);
    connect(m_logBox, &QCheckBox::toggled, this, &LossHistogramPlot::setLogCounts);
    restyle();
    setData(HistogramSeries{});
}

void LossHistogramPlot::restyle()
{
    const PlotColors& c = colors();
    QColor fill = c.primary;
    fill.setAlpha(200);
    m_bars->setBrush(fill);
    m_bars->setPen(QPen(c.primary.darker(c.dark ? 70 : 130), 1));
    m_meanLine->setPen(QPen(c.highlight, 2, Qt::DashLine));
    m_meanLabel->setColor(c.text);
}

void LossHistogramPlot::setData(HistogramSeries series)
{
    m_series = std::move(series);
    m_bars->setData(m_series.centers, m_series.counts, /*alreadySorted=*/true);
    m_bars->setWidth(m_series.binWidth);
    const bool hasMean = std::isfinite(m_series.mean) && m_series.total > 0;
    m_meanLine->setVisible(hasMean);
    m_meanLabel->setVisible(hasMean);
    if (hasMean) {
        m_meanLine->point1->setCoords(m_series.mean, 0);
        m_meanLine->point2->setCoords(m_series.mean, 1);
        m_meanLabel->position->setCoords(m_series.mean, 0.02);
        m_meanLabel->setText(tr("mean %1").arg(m_series.mean, 0, 'g', 4));
    }
    QString title = tr("Loss histogram");
    if (!m_series.title.isEmpty())
        title += QStringLiteral(" \u2014 ") + m_series.title;
    if (m_series.total > 0)
        title += tr(" (%1 samples, %2 bins)")
                     .arg(QLocale().toString(m_series.total))
                     .arg(m_series.counts.size());
    setTitle(title);
    setHasData(!m_series.counts.isEmpty());
    setMessage(hasData() ? QString() : tr("No losses to show"));
    resetView();
}

void LossHistogramPlot::setLogCounts(bool log)
{
    if (m_log == log)
        return;
    m_log = log;
    {
        const QSignalBlocker blocker(m_logBox);
        m_logBox->setChecked(log);
    }
    QCPAxis* y = customPlot()->yAxis;
    if (log) {
        y->setScaleType(QCPAxis::stLogarithmic);
        y->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        y->setNumberFormat(QStringLiteral("gb"));
        y->setLabel(tr("samples (log)"));
    } else {
        y->setScaleType(QCPAxis::stLinear);
        y->setTicker(QSharedPointer<QCPAxisTicker>::create());
        y->setNumberFormat(QStringLiteral("g"));
        y->setLabel(tr("samples"));
    }
    resetView();
}

void LossHistogramPlot::fitView()
{
    QCustomPlot* plot = customPlot();
    if (m_series.counts.isEmpty()) {
        plot->xAxis->setRange(0, 1);
        plot->yAxis->setRange(m_log ? 0.5 : 0, m_log ? 10 : 1);
        return;
    }
    const double margin = m_series.binWidth;
    plot->xAxis->setRange(m_series.low - margin, m_series.high() + margin);
    if (m_log)
        plot->yAxis->setRange(0.5, std::max(2.0, m_series.maxCount * 2.0));
    else
        plot->yAxis->setRange(0, std::max(1.0, m_series.maxCount * 1.08));
}

int LossHistogramPlot::binAt(const QPointF& pos) const
{
    if (m_series.counts.isEmpty() || !customPlot()->axisRect()->rect().contains(pos.toPoint()))
        return -1;
    const double key = customPlot()->xAxis->pixelToCoord(pos.x());
    const double bin = std::floor((key - m_series.low) / m_series.binWidth);
    if (bin < 0 || bin >= static_cast<double>(m_series.counts.size()))
        return -1;
    return static_cast<int>(bin);
}

QString LossHistogramPlot::toolTipAt(const QPointF& pos) const
{
    const int bin = binAt(pos);
    if (bin < 0)
        return {};
    const double from = m_series.low + bin * m_series.binWidth;
    return tr("loss %1 to %2\n%3 samples")
        .arg(from, 0, 'g', 5)
        .arg(from + m_series.binWidth, 0, 'g', 5)
        .arg(QLocale().toString(static_cast<qint64>(m_series.counts[bin])));
}

} // namespace shapescope
