// SPDX-License-Identifier: GPL-3.0-or-later
#include "perclassplot.h"

#include "analysis/classnames.h"
#include "integerticker.h"
#include "qcustomplotinclude.h"

#include <QComboBox>
#include <QLabel>
#include <cmath>

namespace shapescope {

PerClassPlot::PerClassPlot(QWidget* parent) : LossPlot(parent), m_orderBox(new QComboBox(this))
{
    QCustomPlot* plot = customPlot();
    m_bars = new QCPBars(plot->xAxis, plot->yAxis);
    m_bars->setName(tr("mean loss"));
    m_bars->setWidth(0.7);
    m_counts = plot->addGraph(plot->xAxis, plot->yAxis2);
    m_counts->setName(tr("samples (right axis)"));
    m_counts->setLineStyle(QCPGraph::lsNone);
    plot->xAxis->setTicker(QSharedPointer<IntegerTicker>::create(plot->xAxis));
    plot->xAxis->setLabel(tr("target class"));
    plot->yAxis->setLabel(tr("mean loss"));
    plot->yAxis2->setVisible(true);
    plot->yAxis2->setLabel(tr("samples"));
    plot->yAxis2->grid()->setVisible(false);
    plot->legend->setVisible(true);
    // Pan and zoom along the classes; the value axes refit.
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);

    auto* label = new QLabel(tr("Sort by"), this);
    m_orderBox->setObjectName(QStringLiteral("classOrder"));
    m_orderBox->addItem(tr("class"), static_cast<int>(ClassOrder::ByClass));
    m_orderBox->addItem(tr("mean loss"), static_cast<int>(ClassOrder::ByMeanLoss));
    m_orderBox->addItem(tr("samples"), static_cast<int>(ClassOrder::ByCount));
    addToolWidget(label);
    addToolWidget(m_orderBox);
    connect(m_orderBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setOrder(static_cast<ClassOrder>(m_orderBox->itemData(index).toInt()));
    });
    restyle();
    setData(ClassSeries{});
}

void PerClassPlot::restyle()
{
    const PlotColors& c = colors();
    QColor fill = c.primary;
    fill.setAlpha(200);
    m_bars->setBrush(fill);
    m_bars->setPen(QPen(c.primary.darker(c.dark ? 70 : 130), 1));
    m_counts->setPen(QPen(c.line, 1.5));
    m_counts->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(c.line, 1.5), c.line, 7));
}

void PerClassPlot::setData(ClassSeries series)
{
    m_series = std::move(series);
    QString title = tr("Loss per target class");
    if (!m_series.title.isEmpty())
        title += QStringLiteral(" \u2014 ") + m_series.title;
    setTitle(title);
    setHasData(!m_series.classes.empty());
    setMessage(hasData() ? QString()
                         : tr("No per-class losses: the targets are not class indices, or no "
                              "losses were computed"));
    rebuild();
}

void PerClassPlot::setOrder(ClassOrder order)
{
    m_order = order;
    {
        const QSignalBlocker blocker(m_orderBox);
        m_orderBox->setCurrentIndex(m_orderBox->findData(static_cast<int>(order)));
    }
    rebuild();
}

void PerClassPlot::rebuild()
{
    sortClasses(m_series.classes, m_order);
    QVector<double> keys, means, counts;
    std::vector<qint64> labels;
    for (size_t i = 0; i < m_series.classes.size(); ++i) {
        const ClassEntry& e = m_series.classes[i];
        keys << static_cast<double>(i);
        means << (std::isfinite(e.meanLoss) ? e.meanLoss : 0.0);
        counts << static_cast<double>(e.count);
        labels.push_back(e.classIndex);
    }
    m_bars->setData(keys, means, /*alreadySorted=*/true);
    m_counts->setData(keys, counts, /*alreadySorted=*/true);
    // Markers alone: a line between classes would suggest an order they do not have, unless
    // they are drawn in class order.
    m_counts->setLineStyle(m_order == ClassOrder::ByClass || m_order == ClassOrder::ByCount
                               ? QCPGraph::lsLine
                               : QCPGraph::lsNone);
    auto* ticker = static_cast<IntegerTicker*>(customPlot()->xAxis->ticker().data());
    ticker->setLabels(std::move(labels));
    ticker->setNames(m_series.names);
    // Names are longer than numbers: slanted, they still fit a class every few pixels.
    const bool named = !m_series.names.isEmpty();
    customPlot()->xAxis->setTickLabelRotation(named ? -35 : 0);
    ticker->setSpacing(named ? customPlot()->fontMetrics().height() * 2 : 32);
    customPlot()->xAxis->setLabel(m_order == ClassOrder::ByClass ? tr("target class")
                                  : m_order == ClassOrder::ByMeanLoss
                                      ? tr("target class (highest mean loss first)")
                                      : tr("target class (most samples first)"));
    resetView();
}

void PerClassPlot::fitView()
{
    QCustomPlot* plot = customPlot();
    const auto n = static_cast<double>(m_series.classes.size());
    plot->xAxis->setRange(-0.6, std::max(1.0, n) - 0.4);
    double maxMean = 0;
    double maxCount = 0;
    for (const ClassEntry& e : m_series.classes) {
        if (std::isfinite(e.meanLoss))
            maxMean = std::max(maxMean, e.meanLoss);
        maxCount = std::max(maxCount, static_cast<double>(e.count));
    }
    plot->yAxis->setRange(0, maxMean > 0 ? maxMean * 1.1 : 1.0);
    plot->yAxis2->setRange(0, maxCount > 0 ? maxCount * 1.1 : 1.0);
}

int PerClassPlot::entryAt(const QPointF& pos) const
{
    if (!customPlot()->axisRect()->rect().contains(pos.toPoint()))
        return -1;
    const auto index =
        static_cast<qint64>(std::llround(customPlot()->xAxis->pixelToCoord(pos.x())));
    if (index < 0 || index >= static_cast<qint64>(m_series.classes.size()))
        return -1;
    return static_cast<int>(index);
}

QString PerClassPlot::toolTipAt(const QPointF& pos) const
{
    const int index = entryAt(pos);
    if (index < 0)
        return {};
    const ClassEntry& e = m_series.classes[static_cast<size_t>(index)];
    return tr("class %1\nmean loss %2\n%3 samples")
        .arg(classLabel(m_series.names, e.classIndex))
        .arg(e.meanLoss, 0, 'g', 5)
        .arg(QLocale().toString(e.count));
}

void PerClassPlot::clickedAt(const QPointF& pos)
{
    const int index = entryAt(pos);
    if (index >= 0)
        Q_EMIT classActivated(m_series.classes[static_cast<size_t>(index)].classIndex);
}

} // namespace shapescope
