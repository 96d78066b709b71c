// SPDX-License-Identifier: GPL-3.0-or-later
#include "sliceheatmap.h"

#include "common/displaytext.h"
#include "plots/integerticker.h"
#include "plots/plotstyle.h"
#include "plots/qcustomplotinclude.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <cmath>

namespace shapescope {

namespace {

// Viridis, as the inspector's loss map: perceptually uniform, readable in grey.
QCPColorGradient valueGradient(const QColor& nan)
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

} // namespace

SliceHeatmap::SliceHeatmap(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_stats(new QLabel(this)),
      m_goTo(new QLineEdit(this)), m_nextNaN(new QPushButton(tr("Next NaN"), this))
{
    m_plot->setObjectName(QStringLiteral("valuesHeatmap"));
    m_plot->setMinimumSize(200, 160);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(true);
    auto* scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(12);
    m_map->setColorScale(scale);
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_plot->yAxis->setRangeReversed(true); // row 0 at the top, as in the table
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis})
        axis->setTicker(QSharedPointer<IntegerTicker>::create(axis, 40));
    m_plot->xAxis->setLabel(tr("column"));
    m_plot->yAxis->setLabel(tr("row"));
    m_cursor = new QCPItemRect(m_plot);
    m_cursor->setBrush(Qt::NoBrush);
    m_cursor->setPen(QPen(Qt::white, 2));
    m_cursor->setVisible(false);

    m_stats->setObjectName(QStringLiteral("sliceStatistics"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_goTo->setObjectName(QStringLiteral("goToIndex"));
    m_goTo->setPlaceholderText(tr("row, column"));
    m_goTo->setToolTip(tr("Go to a cell of the slice: its row and column (Enter)"));
    m_goTo->setClearButtonEnabled(true);
    m_nextNaN->setObjectName(QStringLiteral("nextNaN"));
    m_nextNaN->setToolTip(tr("Select the next NaN of the slice, row by row"));

    auto* tools = new QHBoxLayout;
    tools->addWidget(new QLabel(tr("Go to"), this));
    tools->addWidget(m_goTo, 1);
    tools->addWidget(m_nextNaN);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_stats);
    layout->addLayout(tools);

    connect(m_goTo, &QLineEdit::returnPressed, this, [this] { goTo(m_goTo->text()); });
    connect(m_nextNaN, &QPushButton::clicked, this, &SliceHeatmap::findNextNaN);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (!m_slice || event->button() != Qt::LeftButton ||
            !m_plot->axisRect()->rect().contains(event->position().toPoint()))
            return;
        const auto column =
            static_cast<qint64>(std::lround(m_plot->xAxis->pixelToCoord(event->position().x())));
        const auto row =
            static_cast<qint64>(std::lround(m_plot->yAxis->pixelToCoord(event->position().y())));
        if (row >= 0 && row < m_slice->rows && column >= 0 && column < m_slice->columns)
            Q_EMIT cellChosen(row, column);
    });
    restyle();
    clear();
}

void SliceHeatmap::showSlice(const QString& dumpPath, const TensorInfo& tensor, int rowAxis,
                             int columnAxis, const std::vector<qint64>& fixed)
{
    m_latest.supersede();
    if (tensor.path.isEmpty() || !tensor.readable() || !m_session) {
        clear();
        return;
    }
    m_stats->setText(tr("Reading the slice\u2026"));
    auto read = [session = m_session, dumpPath](const QString& path, const Slab& slab,
                                                DType*) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session->readSlice(SliceRequest{dumpPath, path, slab});
        if (!slice)
            return Error{slice.error()};
        return std::move(slice->values);
    };
    m_latest.run(
        nullptr,
        [read, tensor, rowAxis, columnAxis, fixed] {
            return readSliceValues(read, tensor, rowAxis, columnAxis, fixed);
        },
        [this](Expected<SliceValues> slice) { onLoaded(std::move(slice)); });
}

void SliceHeatmap::clear()
{
    m_latest.supersede();
    m_slice.reset();
    m_statistics = {};
    m_row = m_column = -1;
    m_stats->setText(tr("Choose a tensor to see its values as a picture."));
    m_nextNaN->setEnabled(false);
    m_goTo->setEnabled(false);
    draw();
}

void SliceHeatmap::onLoaded(Expected<SliceValues> slice)
{
    if (!slice) {
        m_slice.reset();
        m_statistics = {};
        m_stats->setText(tr("Could not read the slice: %1").arg(slice.error()));
        draw();
        return;
    }
    m_slice = std::make_shared<const SliceValues>(std::move(*slice));
    m_statistics = sliceStatistics(m_slice->values);
    m_stats->setText(statisticsText());
    m_nextNaN->setEnabled(m_statistics.nan > 0);
    m_goTo->setEnabled(true);
    if (m_row >= m_slice->rows || m_column >= m_slice->columns)
        m_row = m_column = -1;
    draw();
    Q_EMIT loaded();
}

QString SliceHeatmap::statisticsText() const
{
    if (!m_slice)
        return {};
    const SliceStatistics& s = m_statistics;
    QString text = tr("%1 \u00d7 %2: min <b>%3</b>, max <b>%4</b>, mean <b>%5</b>; NaN <b>%6</b>, "
                      "Inf <b>%7</b>")
                       .arg(m_slice->rows)
                       .arg(m_slice->columns)
                       .arg(numberText(s.min, 5), numberText(s.max, 5), numberText(s.mean, 5))
                       .arg(s.nan)
                       .arg(s.inf);
    if (m_slice->clipped)
        text +=
            tr("<br>Only the first %1 rows and columns are drawn and counted.").arg(maxSliceSide);
    return text;
}

void SliceHeatmap::setCurrentCell(qint64 row, qint64 column)
{
    m_row = row;
    m_column = column;
    const bool shown = m_slice && row >= 0 && column >= 0;
    m_cursor->setVisible(shown);
    if (shown) {
        m_cursor->topLeft->setCoords(double(column) - 0.5, double(row) - 0.5);
        m_cursor->bottomRight->setCoords(double(column) + 0.5, double(row) + 0.5);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SliceHeatmap::goTo(const QString& text)
{
    if (!m_slice)
        return;
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\s*\[?\s*(\d+)\s*(?:[,\s]\s*(\d+))?\s*\]?\s*$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    bool ok = match.hasMatch();
    const qint64 row = match.captured(1).toLongLong();
    const qint64 column = match.captured(2).isEmpty() ? 0 : match.captured(2).toLongLong();
    ok = ok && (match.captured(2).isEmpty() ? m_slice->columns == 1 : true);
    ok = ok && row < m_slice->rows && column < m_slice->columns;
    m_goTo->setStyleSheet(
        ok ? QString() : QStringLiteral("color: %1").arg(PlotColors::from(palette()).wrong.name()));
    if (!ok) {
        m_stats->setText(statisticsText() +
                         tr("<br>No cell \u201c%1\u201d: rows 0\u2013%2, columns 0\u2013%3.")
                             .arg(text.toHtmlEscaped())
                             .arg(m_slice->rows - 1)
                             .arg(m_slice->columns - 1));
        return;
    }
    m_stats->setText(statisticsText());
    Q_EMIT cellChosen(row, column);
}

void SliceHeatmap::findNextNaN()
{
    if (!m_slice)
        return;
    const qint64 after = m_row >= 0 ? m_row * m_slice->columns + m_column : -1;
    const qint64 next = nextNaN(m_slice->values, after);
    if (next >= 0)
        Q_EMIT cellChosen(next / m_slice->columns, next % m_slice->columns);
}

void SliceHeatmap::draw()
{
    const bool show = m_slice && m_slice->rows > 0 && m_slice->columns > 0;
    m_map->setVisible(show);
    if (show) {
        const auto rows = static_cast<int>(m_slice->rows);
        const auto columns = static_cast<int>(m_slice->columns);
        // QCPColorMap cannot draw a single row or column (its cells have no extent), so such a
        // slice is drawn doubled.
        const int drawnRows = std::max(rows, 2);
        const int drawnColumns = std::max(columns, 2);
        m_map->data()->setSize(drawnColumns, drawnRows);
        m_map->data()->setRange(columns == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, columns - 1),
                                rows == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, rows - 1));
        for (int r = 0; r < drawnRows; ++r)
            for (int c = 0; c < drawnColumns; ++c)
                m_map->data()->setCell(c, r,
                                       m_slice->values[size_t(std::min(r, rows - 1)) * columns +
                                                       std::min(c, columns - 1)]);
        const SliceStatistics& s = m_statistics;
        const bool finite = std::isfinite(s.min) && std::isfinite(s.max);
        m_map->setDataRange(!finite         ? QCPRange(0, 1)
                            : s.max > s.min ? QCPRange(s.min, s.max)
                                            : QCPRange(s.min - 0.5, s.max + 0.5));
    }
    setCurrentCell(m_row, m_column);
    fitSquare();
}

// Square cells: the axis with room to spare shows more than the slice.
void SliceHeatmap::fitSquare()
{
    const double columns = m_slice ? double(m_slice->columns) : 1.0;
    const double rows = m_slice ? double(m_slice->rows) : 1.0;
    const QRect rect = m_plot->axisRect()->rect();
    m_plot->xAxis->setRange(-0.5, columns - 0.5);
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
    if (rect.width() > 0 && rect.height() > 0) {
        // The spare room is shared on both sides, so the picture stays centred.
        const double cell = std::min(rect.width() / columns, rect.height() / rows);
        const double width = rect.width() / cell;
        const double height = rect.height() / cell;
        m_plot->xAxis->setRange((columns - 1) / 2.0 - width / 2, (columns - 1) / 2.0 + width / 2);
        m_plot->yAxis->setRange((rows - 1) / 2.0 - height / 2, (rows - 1) / 2.0 + height / 2);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SliceHeatmap::restyle()
{
    const PlotColors c = PlotColors::from(palette());
    applyPlotColors(m_plot, c);
    styleAxis(m_map->colorScale()->axis(), c);
    m_map->setGradient(valueGradient(c.ignored));
}

void SliceHeatmap::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
        draw();
    }
}

void SliceHeatmap::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    // The plot lays out its axis rect on replot: once now, then the ranges fit it.
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    fitSquare();
}

} // namespace shapescope
