// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusionplot.h"

#include "classpalette.h"
#include "qcustomplotinclude.h"

#include <QEvent>
#include <QVBoxLayout>
#include <cmath>

namespace shapescope {

namespace {

constexpr qint64 kMaxLabelledClasses = 30;

QSharedPointer<QCPAxisTickerText> classTicker(qint64 classes, const QStringList& names)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const qint64 step = std::max<qint64>(1, classes / 40);
    for (qint64 c = 0; c < classes; c += step)
        ticker->addTick(double(c),
                        classes <= kMaxLabelledClasses ? classLabel(names, c) : QString::number(c));
    return ticker;
}

} // namespace

ConfusionPlot::ConfusionPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), -1, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->xAxis->setLabel(tr("predicted class"));
    m_plot->yAxis->setLabel(tr("target class"));
    m_plot->yAxis->setRangeReversed(true);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(1, 1, m_scale);
    m_scale->setLabel(tr("share of the target's positions"));
    m_map->setColorScale(m_scale);
    QCPColorGradient gradient(QCPColorGradient::gpGrayscale);
    gradient.clearColorStops();
    gradient.setColorStopAt(0, QColor(0xf7, 0xfb, 0xff));
    gradient.setColorStopAt(0.5, QColor(0x6b, 0xae, 0xd6));
    gradient.setColorStopAt(1, QColor(0x08, 0x30, 0x6b));
    m_map->setGradient(gradient);
    m_map->setDataRange(QCPRange(0, 1));
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const auto [target, predicted] = cellAt(event->position());
        if (target >= 0)
            Q_EMIT cellClicked(target, predicted);
    });
    m_colors = PlotColors::from(palette());
    applyPlotColors(m_plot, m_colors);
    m_title->setTextColor(m_colors.text);
    m_scale->axis()->setLabelColor(m_colors.text);
    m_scale->axis()->setTickLabelColor(m_colors.text);
    redraw();
}

ConfusionPlot::~ConfusionPlot() = default;

void ConfusionPlot::setMatrix(std::shared_ptr<const ConfusionMatrix> matrix)
{
    m_matrix = std::move(matrix);
    redraw();
}

void ConfusionPlot::setClassNames(const QStringList& names)
{
    m_names = names;
    redraw();
}

QString ConfusionPlot::title() const
{
    return m_title->text();
}

std::pair<qint64, qint64> ConfusionPlot::cellAt(const QPointF& pos) const
{
    if (!m_matrix || !m_plot->axisRect()->rect().contains(pos.toPoint()))
        return {-1, -1};
    const auto p = qint64(std::floor(m_plot->xAxis->pixelToCoord(pos.x()) + 0.5));
    const auto t = qint64(std::floor(m_plot->yAxis->pixelToCoord(pos.y()) + 0.5));
    if (t < 0 || p < 0 || t >= m_matrix->classes || p >= m_matrix->classes)
        return {-1, -1};
    return {t, p};
}

void ConfusionPlot::redraw()
{
    m_plot->clearItems();
    const qint64 classes = m_matrix ? m_matrix->classes : 0;
    if (classes <= 0) {
        m_map->data()->clear();
        m_title->setText(tr("Confusion matrix · nothing counted"));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const ConfusionMatrix& m = *m_matrix;
    const std::vector<ClassScore> scores = classScores(m);
    m_map->data()->setSize(int(classes), int(classes));
    m_map->data()->setRange(QCPRange(0, double(classes - 1)), QCPRange(0, double(classes - 1)));
    for (qint64 t = 0; t < classes; ++t) {
        const qint64 row = scores[size_t(t)].targets;
        for (qint64 p = 0; p < classes; ++p) {
            const double share = row > 0 ? double(m.count(t, p)) / double(row) : 0.0;
            m_map->data()->setCell(int(p), int(t), share);
            if (classes > kMaxLabelledClasses)
                continue;
            auto* label = new QCPItemText(m_plot);
            label->position->setCoords(double(p), double(t));
            label->setText(QString::number(m.count(t, p)));
            label->setColor(share > 0.5 ? Qt::white : Qt::black);
            label->setClipToAxisRect(true);
        }
    }
    m_plot->xAxis->setTicker(classTicker(classes, m_names));
    m_plot->yAxis->setTicker(classTicker(classes, m_names));
    m_plot->xAxis->setTickLabelRotation(classes > 10 || !m_names.isEmpty() ? 45 : 0);
    m_plot->xAxis->setRange(-0.5, double(classes) - 0.5);
    m_plot->yAxis->setRange(-0.5, double(classes) - 0.5);
    m_title->setText(
        tr("Confusion matrix · %1 positions · mean IoU %2 · pixel accuracy %3 · %4 ignored")
            .arg(m.counted())
            .arg(meanIou(scores), 0, 'f', 3)
            .arg(pixelAccuracy(m), 0, 'f', 3)
            .arg(m.ignored));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ConfusionPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_colors = PlotColors::from(palette());
        applyPlotColors(m_plot, m_colors);
        m_title->setTextColor(m_colors.text);
        m_scale->axis()->setLabelColor(m_colors.text);
        m_scale->axis()->setTickLabelColor(m_colors.text);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace shapescope
