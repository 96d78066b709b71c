// SPDX-License-Identifier: GPL-3.0-or-later
#include "persampleplot.h"

#include "batchbands.h"
#include "common/displaytext.h"
#include "densegraph.h"
#include "integerticker.h"
#include "qcustomplotinclude.h"

#include <cmath>
#include <limits>

namespace shapescope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr qint64 kMaxHoverScan = 2'000'000; // indices examined per mouse event at most

QCPGraph* makeGraph(QCustomPlot* plot, const QString& name)
{
    QCPGraph* graph = new DenseScatterGraph(plot->xAxis, plot->yAxis);
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setAdaptiveSampling(true);
    return graph;
}

QString pointName(qint64 count, const QString& what)
{
    return QStringLiteral("%1 (%2)").arg(what, QLocale().toString(count));
}

} // namespace

PerSamplePlot::PerSamplePlot(QWidget* parent) : LossPlot(parent)
{
    QCustomPlot* plot = customPlot();
    plot->addLayer(QStringLiteral("bands"), plot->layer(QStringLiteral("grid")),
                   QCustomPlot::limBelow);
    m_bands = new BatchBands(plot->axisRect(), QStringLiteral("bands"));
    m_ignored = makeGraph(plot, tr("ignored"));
    m_other = makeGraph(plot, tr("loss"));
    m_correct = makeGraph(plot, tr("correct"));
    m_wrong = makeGraph(plot, tr("wrong"));
    m_selected = makeGraph(plot, tr("selected"));
    m_selected->removeFromLegend();
    plot->xAxis->setTicker(QSharedPointer<IntegerTicker>::create(plot->xAxis, 70));
    plot->xAxis->setLabel(tr("sample (batches in step order)"));
    plot->yAxis->setLabel(tr("loss"));
    plot->legend->setVisible(true);
    restyle();
    clear();
}

PerSamplePlot::~PerSamplePlot() = default;

void PerSamplePlot::restyle()
{
    const PlotColors& c = colors();
    auto dots = [](const QColor& color, double size) {
        QCPScatterStyle style(QCPScatterStyle::ssDisc, color, color, size);
        return style;
    };
    m_correct->setScatterStyle(dots(c.primary, m_dotSize));
    m_correct->setPen(QPen(c.primary));
    m_other->setScatterStyle(dots(c.other, m_dotSize));
    m_other->setPen(QPen(c.other));
    m_wrong->setScatterStyle(dots(c.wrong, m_dotSize));
    m_wrong->setPen(QPen(c.wrong));
    m_ignored->setScatterStyle(dots(c.ignored, m_dotSize - 1));
    m_ignored->setPen(QPen(c.ignored));
    m_selected->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c.selection, 2.5), Qt::NoBrush, 13));
    m_selected->setPen(QPen(c.selection));
    m_bands->setColors(c.band, c.raggedBand, c.boundary, c.mutedText);
}

void PerSamplePlot::clear()
{
    setData(PerSampleSeries{});
}

void PerSamplePlot::setData(PerSampleSeries series)
{
    m_series = std::move(series);
    auto take = [](QCPGraph* graph, PointSeries& points, const QString& what) {
        graph->setData(points.keys, points.values, /*alreadySorted=*/true);
        graph->setName(pointName(graph->dataCount(), what));
        graph->setVisible(graph->dataCount() > 0);
        if (graph->visible())
            graph->addToLegend();
        else
            graph->removeFromLegend();
        points = PointSeries{}; // the graph holds its own copy; 10 M points are 160 MB
    };
    take(m_correct, m_series.correct, tr("correct"));
    take(m_wrong, m_series.wrong, tr("wrong"));
    take(m_other, m_series.other, m_series.hasPredictions ? tr("no prediction") : tr("loss"));
    take(m_ignored, m_series.ignored, tr("ignored (drawn at 0)"));
    m_selected->data()->clear();
    // A handful of samples reads better as larger dots; thousands need small ones.
    m_dotSize = m_series.total <= 200 ? 7 : m_series.total <= 5000 ? 5 : 4;
    restyle();

    std::vector<BatchBands::Band> bands;
    if (m_series.spans.size() > 1) {
        for (size_t i = 0; i < m_series.spans.size(); ++i) {
            const SampleSpan& span = m_series.spans[i];
            const double begin = static_cast<double>(span.first) - 0.5;
            bands.push_back({begin, begin + static_cast<double>(span.count),
                             span.ragged ? tr("batch %1: %2 samples").arg(i).arg(span.count)
                                         : tr("batch %1").arg(i),
                             span.ragged ? tr("%1: %2").arg(i).arg(span.count) : QString::number(i),
                             QString::number(i), span.ragged});
        }
    }
    m_bands->setBands(std::move(bands));

    const bool kdim = m_series.source && !m_series.spans.empty() &&
                      m_series.source->pairs[static_cast<size_t>(m_series.spans.front().pair)]
                              .layout.positionsPerSample() > 1;
    customPlot()->yAxis->setLabel(kdim ? tr("loss (mean over the sample's positions)")
                                       : tr("loss (reduction='none')"));
    customPlot()->xAxis->setLabel(m_series.spans.size() > 1 ? tr("sample (batches in step order)")
                                                            : tr("sample"));
    QString title = tr("Per-sample loss");
    if (!m_series.title.isEmpty())
        title += QStringLiteral(" \u2014 ") + m_series.title;
    if (m_series.nonFinite > 0)
        title += tr(" (%n NaN/Inf loss(es) not drawn)", nullptr,
                    static_cast<int>(std::min<qint64>(m_series.nonFinite, INT_MAX)));
    setTitle(title);
    const qint64 drawn = m_correct->dataCount() + m_wrong->dataCount() + m_other->dataCount() +
                         m_ignored->dataCount();
    setHasData(drawn > 0);
    setMessage(!m_series.source ? tr("No losses to show")
               : drawn == 0     ? tr("No sample of this selection has a loss")
                                : QString());
    m_hoverPair = -1;
    m_hoverSample = -1;
    resetView();
}

void PerSamplePlot::fitView()
{
    QCustomPlot* plot = customPlot();
    const double total = std::max<double>(1.0, static_cast<double>(m_series.total));
    plot->xAxis->setRange(-0.5 - total * 0.01, total - 0.5 + total * 0.01);
    const double top = m_series.maxLoss > 0 ? m_series.maxLoss * 1.08 : 1.0;
    plot->yAxis->setRange(-top * 0.03, top);
}

SamplePoint PerSamplePlot::sampleAt(const QPointF& pos, double radius) const
{
    SamplePoint best;
    if (!m_series.source || !hasData())
        return best;
    const QCustomPlot* plot = customPlot();
    if (!plot->axisRect()->rect().contains(pos.toPoint()))
        return best;
    const QCPAxis* x = plot->xAxis;
    const QCPAxis* y = plot->yAxis;
    const double k0 = x->pixelToCoord(pos.x() - radius);
    const double k1 = x->pixelToCoord(pos.x() + radius);
    qint64 first = std::max<qint64>(0, static_cast<qint64>(std::ceil(std::min(k0, k1))));
    qint64 last =
        std::min<qint64>(m_series.total - 1, static_cast<qint64>(std::floor(std::max(k0, k1))));
    if (last < first)
        return best;
    // Zoomed far out, a few pixels hold millions of samples: look at the nearest ones only.
    if (last - first > kMaxHoverScan) {
        const auto centre = static_cast<qint64>(std::llround(x->pixelToCoord(pos.x())));
        first = std::max(first, centre - kMaxHoverScan / 2);
        last = std::min(last, centre + kMaxHoverScan / 2);
    }
    double bestDistance = radius * radius;
    int span = m_series.spanAt(first);
    const AnalysisResult& result = *m_series.source;
    for (qint64 g = first; g <= last;) {
        if (span < 0 || span >= static_cast<int>(m_series.spans.size()))
            break;
        const SampleSpan& s = m_series.spans[static_cast<size_t>(span)];
        const qint64 end = std::min(last + 1, s.first + s.count);
        if (s.hasLosses) {
            const SampleValues& values = result.pairs[static_cast<size_t>(s.pair)].samples;
            for (; g < end; ++g) {
                const auto i = static_cast<size_t>(g - s.first);
                const double loss = values.ignored[i] ? 0.0 : values.loss[i];
                if (!std::isfinite(loss))
                    continue;
                const double dx = x->coordToPixel(static_cast<double>(g)) - pos.x();
                const double dy = y->coordToPixel(loss) - pos.y();
                const double distance = dx * dx + dy * dy;
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best.global = g;
                }
            }
        }
        g = end;
        ++span;
    }
    return best.global >= 0 ? m_series.point(best.global) : best;
}

QPointF PerSamplePlot::pixelOf(int pair, qint64 sample) const
{
    const qint64 global = m_series.globalIndex(pair, sample);
    if (global < 0)
        return {kNaN, kNaN};
    const SamplePoint point = m_series.point(global);
    const double value = point.ignored ? 0.0 : point.loss;
    return {customPlot()->xAxis->coordToPixel(static_cast<double>(global)),
            customPlot()->yAxis->coordToPixel(value)};
}

QString PerSamplePlot::describe(const SamplePoint& point, const PerSampleSeries& series)
{
    if (point.pair < 0 || !series.source)
        return {};
    const PairResult& pair = series.source->pairs[static_cast<size_t>(point.pair)];
    const int span = series.spanAt(point.global);
    QStringList lines;
    lines << tr("Sample %1 of %2").arg(point.sample).arg(pair.input);
    if (span >= 0 && series.spans.size() > 1)
        lines << series.spans[static_cast<size_t>(span)].label +
                     tr(", index %1 on the axis").arg(point.global);
    if (point.target >= 0 || point.predicted >= 0) {
        QString verdict;
        if (!point.ignored && point.target >= 0 && point.predicted >= 0)
            verdict = point.predicted == point.target ? tr(" (correct)") : tr(" (wrong)");
        lines << tr("target %1, predicted %2%3")
                     .arg(point.ignored ? tr("%1 (ignore_index)").arg(point.target)
                                        : QString::number(point.target))
                     .arg(point.predicted >= 0 ? QString::number(point.predicted)
                                               : tr("none (NaN in the logits)"))
                     .arg(verdict);
        if (!point.ignored)
            lines << tr("p(target) %1").arg(numberText(point.pTarget, 5));
    }
    lines << (point.ignored ? tr("loss 0 (ignored)")
                            : tr("loss %1").arg(numberText(point.loss, 5)));
    return lines.join(QLatin1Char('\n'));
}

QString PerSamplePlot::toolTipAt(const QPointF& pos) const
{
    return describe(sampleAt(pos), m_series);
}

void PerSamplePlot::hoveredAt(const QPointF& pos)
{
    const SamplePoint point = sampleAt(pos);
    showToolTip(pos, describe(point, m_series));
    if (point.pair != m_hoverPair || point.sample != m_hoverSample) {
        m_hoverPair = point.pair;
        m_hoverSample = point.sample;
        Q_EMIT sampleHovered(point.pair, point.sample);
    }
}

void PerSamplePlot::clickedAt(const QPointF& pos)
{
    const SamplePoint point = sampleAt(pos);
    if (point.pair < 0)
        return;
    setSelectedSample(point.pair, point.sample);
    Q_EMIT sampleActivated(point.pair, point.sample);
}

void PerSamplePlot::setSelectedSample(int pair, qint64 sample)
{
    m_selected->data()->clear();
    const qint64 global = m_series.globalIndex(pair, sample);
    if (global >= 0) {
        const SamplePoint point = m_series.point(global);
        const double value = point.ignored ? 0.0 : point.loss;
        if (std::isfinite(value))
            m_selected->addData(static_cast<double>(global), value);
    }
    queueReplot();
}

} // namespace shapescope

namespace shapescope {

void PerSamplePlot::zoomToPair(int pair)
{
    for (const SampleSpan& span : m_series.spans) {
        if (span.pair != pair)
            continue;
        const double margin = std::max(1.0, static_cast<double>(span.count) * 0.02);
        customPlot()->xAxis->setRange(static_cast<double>(span.first) - 0.5 - margin,
                                      static_cast<double>(span.first + span.count) - 0.5 + margin);
        queueReplot();
        return;
    }
}

} // namespace shapescope
