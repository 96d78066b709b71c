// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepsplot.h"

#include "plots/integerticker.h"
#include "plots/qcustomplotinclude.h"

#include <QEvent>
#include <QVBoxLayout>
#include <cmath>

namespace shapescope {

namespace {
// Markers on every point of a long run would be a smear; the line alone reads better.
constexpr int kMaxMarkedSteps = 200;
constexpr double kClickSlop = 4; // pixels a press may move and still be a click
} // namespace

StepsPlot::StepsPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName(QStringLiteral("stepsCustomPlot"));
    m_plot->plotLayout()->clear();
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    QCPAxisRect* lossRow = addRow(tr("mean loss"));
    QCPAxisRect* accuracyRow = addRow(tr("accuracy %"));
    QCPAxisRect* countRow = addRow(tr("count"));
    countRow->axis(QCPAxis::atBottom)->setLabel(tr("step"));
    // The rows share the step axis: its numbers under the last row only leave the rows height.
    for (QCPAxisRect* row : {lossRow, accuracyRow})
        row->axis(QCPAxis::atBottom)->setTickLabels(false);
    // Rows a third of the plot high: three value ticks read, six crowd.
    for (QCPAxisRect* row : m_rows)
        row->axis(QCPAxis::atLeft)->ticker()->setTickCount(row == accuracyRow ? 2 : 3);
    // The rows line up on the step axis whatever the width of their tick labels.
    auto* margins = new QCPMarginGroup(m_plot);
    for (QCPAxisRect* row : m_rows)
        row->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

    m_loss = m_plot->addGraph(lossRow->axis(QCPAxis::atBottom), lossRow->axis(QCPAxis::atLeft));
    m_loss->setName(tr("mean loss"));
    m_changed = m_plot->addGraph(lossRow->axis(QCPAxis::atBottom), lossRow->axis(QCPAxis::atLeft));
    m_changed->setName(tr("shape or dtype changed"));
    m_changed->setLineStyle(QCPGraph::lsNone);
    m_accuracy =
        m_plot->addGraph(accuracyRow->axis(QCPAxis::atBottom), accuracyRow->axis(QCPAxis::atLeft));
    m_accuracy->setName(tr("accuracy"));
    m_nonFinite =
        m_plot->addGraph(countRow->axis(QCPAxis::atBottom), countRow->axis(QCPAxis::atLeft));
    m_nonFinite->setName(tr("NaN losses"));
    m_nonFinite->setLineStyle(QCPGraph::lsStepCenter);
    m_ignored =
        m_plot->addGraph(countRow->axis(QCPAxis::atBottom), countRow->axis(QCPAxis::atLeft));
    m_ignored->setName(tr("ignored positions"));
    m_ignored->setLineStyle(QCPGraph::lsStepCenter);
    for (QCPGraph* graph : {m_loss, m_accuracy, m_nonFinite, m_ignored})
        graph->setAdaptiveSampling(true);

    // One legend for the five series of the three rows, in a line of its own above them: inside
    // a row it hid the last steps.
    auto* legend = new QCPLegend;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(5);
    legend->setMargins(QMargins(4, 2, 4, 2));
    legend->setLayer(QStringLiteral("legend"));
    for (QCPGraph* graph : {m_loss, m_changed, m_accuracy, m_nonFinite, m_ignored})
        graph->addToLegend(legend);
    m_plot->legend = legend;

    for (QCPAxisRect* row : m_rows) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(row);
        for (QCPItemPosition* p : {line->point1, line->point2})
            p->setAxes(row->axis(QCPAxis::atBottom), row->axis(QCPAxis::atLeft));
        line->setVisible(false);
        m_current.push_back(line);
    }

    connect(m_plot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* event) { m_pressPos = event->position(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* event) {
        if ((event->position() - m_pressPos).manhattanLength() > kClickSlop)
            return;
        if (const int step = stepAt(event->position()); step >= 0)
            Q_EMIT stepClicked(step);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { fitSteps(); });
    restyle();
    setMinimumHeight(260);
}

QCPAxisRect* StepsPlot::addRow(const QString& label)
{
    auto* row = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(int(m_rows.size()), 0, row);
    row->axis(QCPAxis::atLeft)->setLabel(label);
    row->axis(QCPAxis::atBottom)
        ->setTicker(QSharedPointer<IntegerTicker>::create(row->axis(QCPAxis::atBottom)));
    row->setRangeDrag(Qt::Horizontal);
    row->setRangeZoom(Qt::Horizontal);
    connect(row->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            &StepsPlot::syncRanges);
    m_rows.push_back(row);
    return row;
}

void StepsPlot::syncRanges(const QCPRange& range)
{
    if (m_syncing)
        return;
    m_syncing = true;
    for (QCPAxisRect* row : m_rows)
        row->axis(QCPAxis::atBottom)->setRange(range);
    m_syncing = false;
}

void StepsPlot::restyle()
{
    m_colors = PlotColors::from(palette());
    applyPlotColors(m_plot, m_colors);
    for (QCPAxisRect* row : m_rows) {
        for (QCPAxis* axis : row->axes())
            styleAxis(axis, m_colors);
    }
    const bool marked = m_steps <= kMaxMarkedSteps;
    const auto disc = [&](const QColor& c) {
        return marked ? QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 5)
                      : QCPScatterStyle(QCPScatterStyle::ssNone);
    };
    m_loss->setPen(QPen(m_colors.primary, 2));
    m_loss->setScatterStyle(disc(m_colors.primary));
    m_changed->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle,
                                               QPen(m_colors.highlight.darker(130), 1.5),
                                               m_colors.highlight, 11));
    m_accuracy->setPen(QPen(m_colors.line, 2));
    m_accuracy->setScatterStyle(disc(m_colors.line));
    m_nonFinite->setPen(QPen(m_colors.wrong, 2));
    m_ignored->setPen(QPen(m_colors.ignored, 1.5));
    for (QCPItemStraightLine* line : m_current)
        line->setPen(QPen(m_colors.selection, 1.5, Qt::DashLine));
    if (m_plot->legend) {
        m_plot->legend->setBrush(m_colors.background);
        m_plot->legend->setTextColor(m_colors.text);
        m_plot->legend->setBorderPen(QPen(m_colors.grid));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StepsPlot::setSeries(const StepSeries& series)
{
    m_steps = int(series.steps.size());
    QVector<double> keys, loss, accuracy, nonFinite, ignored, changedKeys, changedLoss;
    double lastLoss = 0;
    for (int i = 0; i < m_steps; ++i) {
        const StepPoint& step = series.steps[size_t(i)];
        const double key = i;
        keys << key;
        // A NaN breaks QCustomPlot's line there: a step without a finite loss shows as a gap.
        loss << (step.hasLosses && std::isfinite(step.meanLoss) ? step.meanLoss : qQNaN());
        accuracy << (step.accuracy >= 0 ? step.accuracy * 100 : qQNaN());
        nonFinite << double(step.nonFinite);
        ignored << double(step.ignored);
        if (std::isfinite(loss.back()))
            lastLoss = loss.back();
        if (step.changed()) {
            changedKeys << key;
            changedLoss << (std::isfinite(loss.back()) ? loss.back() : lastLoss);
        }
    }
    m_loss->setData(keys, loss, true);
    m_changed->setData(changedKeys, changedLoss, true);
    m_accuracy->setData(keys, accuracy, true);
    m_nonFinite->setData(keys, nonFinite, true);
    m_ignored->setData(keys, ignored, true);
    restyle();
    fitSteps();
}

void StepsPlot::fitSteps()
{
    const double last = std::max(0, m_steps - 1);
    syncRanges(QCPRange(-0.5, last + 0.5));
    bool found = false;
    QCPRange lossRange = m_loss->getValueRange(found);
    if (found) {
        const double pad = std::max(1e-6, lossRange.size() * 0.08);
        m_rows[0]
            ->axis(QCPAxis::atLeft)
            ->setRange(std::min(0.0, lossRange.lower), lossRange.upper + pad);
    } else {
        m_rows[0]->axis(QCPAxis::atLeft)->setRange(0, 1);
    }
    m_rows[1]->axis(QCPAxis::atLeft)->setRange(0, 105);
    double most = 1;
    for (QCPGraph* graph : {m_nonFinite, m_ignored}) {
        const QCPRange range = graph->getValueRange(found);
        if (found)
            most = std::max(most, range.upper);
    }
    m_rows[2]->axis(QCPAxis::atLeft)->setRange(0, most * 1.1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StepsPlot::setCurrentStep(int step)
{
    for (QCPItemStraightLine* line : m_current) {
        line->setVisible(step >= 0 && step < m_steps);
        line->point1->setCoords(step, 0);
        line->point2->setCoords(step, 1);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int StepsPlot::stepAt(const QPointF& pos) const
{
    for (QCPAxisRect* row : m_rows) {
        if (!row->rect().contains(pos.toPoint()))
            continue;
        const double key = row->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
        const int step = int(std::lround(key));
        return step >= 0 && step < m_steps ? step : -1;
    }
    return -1;
}

QPoint StepsPlot::stepPosition(int step) const
{
    const QCPAxisRect* row = m_rows.front();
    const double x = row->axis(QCPAxis::atBottom)->coordToPixel(step);
    return m_plot->mapTo(this, QPoint(int(std::lround(x)), row->rect().center().y()));
}

std::pair<double, double> StepsPlot::visibleSteps() const
{
    const QCPRange range = m_rows.front()->axis(QCPAxis::atBottom)->range();
    return {range.lower, range.upper};
}

void StepsPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

} // namespace shapescope
