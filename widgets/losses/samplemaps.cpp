// SPDX-License-Identifier: GPL-3.0-or-later
#include "samplemaps.h"

#include "plots/plotstyle.h"
#include "plots/qcustomplotinclude.h"

#include <QEvent>
#include <QHBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

namespace shapescope {

namespace {

// Viridis: perceptually uniform, readable in grey and with colour-vision deficiencies.
QCPColorGradient lossGradient(const QColor& nan)
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(68, 1, 84));
    gradient.setColorStopAt(0.25, QColor(59, 82, 139));
    gradient.setColorStopAt(0.5, QColor(33, 145, 140));
    gradient.setColorStopAt(0.75, QColor(94, 201, 98));
    gradient.setColorStopAt(1.0, QColor(253, 231, 37));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(nan);
    return gradient;
}

QCPColorGradient classGradient(qint64 classes, const QColor& nan)
{
    QCPColorGradient gradient(QCPColorGradient::gpHues);
    gradient.setLevelCount(static_cast<int>(std::clamp<qint64>(classes, 2, 350)));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(nan);
    return gradient;
}

QCustomPlot* makeMapPlot(QWidget* parent, const QString& title, QCPColorMap** map,
                         QCPItemRect** cursor)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(200, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(
        0, 0,
        new QCPTextElement(plot, title,
                           QFont(plot->font().family(), plot->font().pointSize(), QFont::Bold)));
    *map = new QCPColorMap(plot->xAxis, plot->yAxis);
    (*map)->setInterpolate(false);
    (*map)->setTightBoundary(true);
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(1, 1, scale);
    scale->setType(QCPAxis::atRight);
    (*map)->setColorScale(scale);
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    plot->yAxis->setRangeReversed(true); // row 0 at the top, like an image
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // The selected position: a white frame over a black one, drawn first.
    auto* shadow = new QCPItemRect(plot);
    *cursor = new QCPItemRect(plot);
    (*cursor)->setBrush(Qt::NoBrush);
    shadow->setBrush(Qt::NoBrush);
    shadow->setPen(QPen(Qt::black, 4));
    shadow->topLeft->setParentAnchor((*cursor)->topLeft);
    shadow->bottomRight->setParentAnchor((*cursor)->bottomRight);
    shadow->topLeft->setCoords(0, 0);
    shadow->bottomRight->setCoords(0, 0);
    return plot;
}

} // namespace

SampleMaps::SampleMaps(QWidget* parent) : QWidget(parent)
{
    m_lossMap = makeMapPlot(this, tr("Loss per position"), &m_lossColors, &m_lossCursor);
    m_targetMap = makeMapPlot(this, tr("Target class"), &m_targetColors, &m_targetCursor);
    m_lossColors->colorScale()->axis()->setLabel(tr("loss"));
    m_targetColors->colorScale()->axis()->setLabel(tr("class (grey: ignored)"));
    auto* maps = new QHBoxLayout(this);
    maps->setContentsMargins(0, 0, 0, 0);
    maps->addWidget(m_lossMap);
    maps->addWidget(m_targetMap);
    for (auto [plot, map] :
         {std::pair{m_lossMap, m_lossColors}, std::pair{m_targetMap, m_targetColors}}) {
        connect(plot, &QCustomPlot::mousePress, this,
                [this, plot = plot, map = map](QMouseEvent* event) {
                    if (event->button() == Qt::LeftButton &&
                        (event->modifiers() & Qt::ShiftModifier) == 0)
                        onMapClicked(plot, map, event->position());
                });
    }
    restyle();
    setVisible(false);
}

void SampleMaps::setDetail(std::shared_ptr<const SampleDetail> detail, qint64 position)
{
    m_detail = std::move(detail);
    m_position = position;
    redraw();
}

void SampleMaps::redraw()
{
    const bool show = m_detail && !m_detail->mapShape.empty();
    setVisible(show);
    if (!show)
        return;
    const SampleDetail& d = *m_detail;
    const int columns = static_cast<int>(d.mapShape.back());
    const int rows = d.mapShape.size() == 2 ? static_cast<int>(d.mapShape.front()) : 1;
    // QCPColorMap cannot draw a single row (its cells have no height), so a sequence is drawn
    // as two equal rows.
    const int drawnRows = std::max(rows, 2);
    const PlotColors c = PlotColors::from(palette());
    for (QCPColorMap* map : {m_lossColors, m_targetColors}) {
        map->data()->setSize(columns, drawnRows);
        map->data()->setRange(QCPRange(0, columns - 1),
                              rows == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, rows - 1));
    }
    double lossMax = 0;
    for (int r = 0; r < drawnRows; ++r) {
        for (int col = 0; col < columns; ++col) {
            const auto p = static_cast<size_t>(std::min(r, rows - 1)) * columns + col;
            const double loss = d.loss[p];
            m_lossColors->data()->setCell(col, r, loss);
            if (std::isfinite(loss))
                lossMax = std::max(lossMax, loss);
            const bool counted =
                d.targetKind != TargetKind::ClassIndices || (!d.ignored[p] && !d.outOfRange[p]);
            m_targetColors->data()->setCell(col, r,
                                            counted ? static_cast<double>(d.target[p])
                                                    : std::numeric_limits<double>::quiet_NaN());
        }
    }
    m_lossColors->setGradient(lossGradient(c.ignored));
    m_lossColors->setDataRange(QCPRange(0, lossMax > 0 ? lossMax : 1));
    m_targetColors->setGradient(classGradient(d.classes, c.ignored));
    m_targetColors->setDataRange(
        QCPRange(-0.5, static_cast<double>(std::max<qint64>(1, d.classes)) - 0.5));
    const int row = rows > 1 ? static_cast<int>(m_position / columns) : 0;
    const int column = static_cast<int>(m_position % columns);
    for (auto [plot, cursor] :
         {std::pair{m_lossMap, m_lossCursor}, std::pair{m_targetMap, m_targetCursor}}) {
        plot->xAxis->setRange(-0.5, columns - 0.5);
        plot->yAxis->setRange(-0.5, rows - 0.5);
        cursor->topLeft->setCoords(column - 0.5, row - 0.5);
        cursor->bottomRight->setCoords(column + 0.5, row + 0.5);
        // White on a dark outline: visible on every colour of both maps.
        cursor->setPen(QPen(Qt::white, 2));
        cursor->setBrush(Qt::NoBrush);
        plot->xAxis->setLabel(d.mapAxes.size() >= 1 ? tr("axis %1").arg(d.mapAxes.back())
                                                    : QString());
        plot->yAxis->setLabel(d.mapAxes.size() == 2 ? tr("axis %1").arg(d.mapAxes.front())
                                                    : QString());
        plot->yAxis->setTickLabels(rows > 1);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void SampleMaps::onMapClicked(QCustomPlot* plot, QCPColorMap* map, const QPointF& pos)
{
    if (!m_detail || m_detail->mapShape.empty() ||
        !plot->axisRect()->rect().contains(pos.toPoint()))
        return;
    double key = 0, value = 0;
    map->pixelsToCoords(pos, key, value);
    int column = 0, row = 0;
    map->data()->coordToCell(key, value, &column, &row);
    const qint64 columns = m_detail->mapShape.back();
    const qint64 rows = m_detail->mapShape.size() == 2 ? m_detail->mapShape.front() : 1;
    if (column < 0 || column >= columns || row < 0 || row >= rows)
        return;
    Q_EMIT positionClicked(row * columns + column);
}

void SampleMaps::restyle()
{
    const PlotColors c = PlotColors::from(palette());
    applyPlotColors(m_lossMap, c);
    applyPlotColors(m_targetMap, c);
    for (QCPColorMap* map : {m_lossColors, m_targetColors})
        styleAxis(map->colorScale()->axis(), c);
    for (QCustomPlot* plot : {m_lossMap, m_targetMap}) {
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
            title->setTextColor(c.text);
    }
}

void SampleMaps::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
        redraw();
    }
}

} // namespace shapescope
