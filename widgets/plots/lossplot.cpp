// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossplot.h"

#include "qcustomplotinclude.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace shapescope {

QString plotKindName(PlotKind kind)
{
    switch (kind) {
    case PlotKind::PerSample:
        return QStringLiteral("per-sample");
    case PlotKind::Histogram:
        return QStringLiteral("histogram");
    case PlotKind::PerClass:
        return QStringLiteral("per-class");
    case PlotKind::PerBatch:
        return QStringLiteral("per-batch");
    }
    return {};
}

QString plotKindTitle(PlotKind kind)
{
    switch (kind) {
    case PlotKind::PerSample:
        return QStringLiteral("Per sample");
    case PlotKind::Histogram:
        return QStringLiteral("Histogram");
    case PlotKind::PerClass:
        return QStringLiteral("Per class");
    case PlotKind::PerBatch:
        return QStringLiteral("Per batch");
    }
    return {};
}

std::optional<PlotKind> plotKindFromName(const QString& name)
{
    for (PlotKind kind : kAllPlotKinds) {
        if (plotKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

LossPlot::LossPlot(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_tools(new QHBoxLayout),
      m_reset(new QToolButton(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_tools->setContentsMargins(4, 2, 4, 0);
    m_reset->setText(tr("Reset view"));
    m_reset->setToolTip(tr("Fit the axes to the data (or double-click the plot). Drag to pan, "
                           "wheel to zoom."));
    m_reset->setObjectName(QStringLiteral("resetView"));
    m_tools->addStretch(1);
    m_tools->addWidget(m_reset);
    layout->addLayout(m_tools);
    layout->addWidget(m_plot, 1);
    connect(m_reset, &QToolButton::clicked, this, &LossPlot::resetView);

    m_plot->setMinimumSize(240, 180);
    m_plot->setMouseTracking(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setPlottingHint(QCP::phCacheLabels, true);
    // The title row: part of the plot, so exported images carry it.
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(),
                                 QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->installEventFilter(this);
    // The legend in a row of its own below the axes, so it never hides data.
    // centred between two empty elements that take the spare width.
    m_plot->legend->setVisible(false);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(6);
    auto* legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(2, 0, legendRow);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    legendRow->addElement(0, 0, new QCPLayoutElement(m_plot));
    legendRow->addElement(0, 1, m_plot->legend);
    legendRow->addElement(0, 2, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(0, 1);
    legendRow->setColumnStretchFactor(1, 0.01);
    legendRow->setColumnStretchFactor(2, 1);
    m_plot->plotLayout()->setRowStretchFactor(2, 0.001);
    m_plot->legend->setMargins(QMargins(6, 2, 6, 2));

    m_message = new QCPItemText(m_plot);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    m_message->setTextAlignment(Qt::AlignCenter);
    m_message->setClipToAxisRect(false);
    m_message->setVisible(false);

    connect(m_plot, &QCustomPlot::mousePress, this, &LossPlot::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &LossPlot::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseMove, this, &LossPlot::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    updateColors();
}

LossPlot::~LossPlot() = default;

QString LossPlot::title() const
{
    return m_title->text();
}

QString LossPlot::message() const
{
    return m_message->visible() ? m_message->text() : QString();
}

QString LossPlot::toolTipAt(const QPointF& pos) const
{
    Q_UNUSED(pos);
    return {};
}

void LossPlot::resetView()
{
    fitView();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT viewReset();
}

void LossPlot::clickedAt(const QPointF& pos)
{
    Q_UNUSED(pos);
}

void LossPlot::hoveredAt(const QPointF& pos)
{
    showToolTip(pos, toolTipAt(pos));
}

void LossPlot::setTitle(const QString& title)
{
    m_fullTitle = title;
    const QString separator = QStringLiteral(" \u2014 ");
    const bool fits = QFontMetrics(m_title->font()).horizontalAdvance(title) <= m_plot->width() - 8;
    // "Per-sample loss — run /batch_# (8 batches)" on a narrow plot: the kind above the scope.
    m_title->setText(fits || !title.contains(separator)
                         ? title
                         : title.section(separator, 0, 0) + QLatin1Char('\n') +
                               title.section(separator, 1));
}

bool LossPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Resize && !m_fullTitle.isEmpty())
        setTitle(m_fullTitle);
    return QWidget::eventFilter(watched, event);
}

void LossPlot::setMessage(const QString& message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void LossPlot::addToolWidget(QWidget* widget)
{
    m_tools->insertWidget(m_tools->count() - 2, widget);
}

void LossPlot::showToolTip(const QPointF& pos, const QString& text)
{
    if (text == m_lastToolTip && (text.isEmpty() || QToolTip::isVisible()))
        return;
    m_lastToolTip = text;
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(m_plot->mapToGlobal(pos.toPoint()), text, m_plot);
}

void LossPlot::queueReplot()
{
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        updateColors();
        restyle(); // subclasses colour their plottables in their constructors, and here after
        queueReplot();
    }
}

void LossPlot::updateColors()
{
    m_colors = PlotColors::from(palette());
    applyPlotColors(m_plot, m_colors);
    m_message->setColor(m_colors.mutedText);
}

void LossPlot::onMousePress(QMouseEvent* event)
{
    m_pressPos = event->position();
    m_pressed = event->button() == Qt::LeftButton;
}

void LossPlot::onMouseRelease(QMouseEvent* event)
{
    const bool click = m_pressed && (event->position() - m_pressPos).manhattanLength() < 4;
    m_pressed = false;
    if (click)
        clickedAt(event->position());
}

void LossPlot::onMouseMove(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton)
        return; // panning
    hoveredAt(event->position());
}

} // namespace shapescope
