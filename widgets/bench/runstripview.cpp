// SPDX-License-Identifier: GPL-3.0-or-later
#include "runstripview.h"

#include "common/statuscolors.h"
#include "common/textformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

namespace shapescope {

RunStripView::RunStripView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("runStrip"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void RunStripView::setRun(const AnalysisResult* result, int run, int currentPair)
{
    m_bars.clear();
    m_current = -1;
    m_max = 0;
    m_typical = 0;
    if (result && run >= 0 && size_t(run) < result->runs.size()) {
        const RunResult& r = result->runs[size_t(run)];
        m_typical = r.typicalBatchSize;
        for (const BatchStatistic& b : r.batches) {
            Bar bar;
            bar.pair = b.pair;
            bar.group = b.group;
            bar.size = b.size;
            bar.meanLoss = b.meanLoss;
            bar.ragged = b.ragged;
            for (const Diagnostic& d : result->diagnostics) {
                if (d.pair == b.pair && b.pair >= 0)
                    bar.severity = std::max(bar.severity, int(d.severity));
            }
            if (const StepFlow* flow = result->flowOfPair(b.pair))
                bar.flowBreak = flow->divergesAt;
            if (bar.pair == currentPair)
                m_current = int(m_bars.size());
            m_max = std::max(m_max, b.size);
            m_bars.push_back(bar);
        }
    }
    setAccessibleDescription(text::count(int(m_bars.size()), tr("batch"), tr("batches")));
    updateGeometry();
    update();
}

QList<int> RunStripView::raggedBatches() const
{
    QList<int> ragged;
    for (size_t i = 0; i < m_bars.size(); ++i) {
        if (m_bars[i].ragged)
            ragged << int(i);
    }
    return ragged;
}

QList<int> RunStripView::flowBreaks() const
{
    QList<int> breaks;
    for (size_t i = 0; i < m_bars.size(); ++i) {
        if (m_bars[i].flowBreak != FlowStage::None)
            breaks << int(i);
    }
    return breaks;
}

QSize RunStripView::sizeHint() const
{
    const int line = fontMetrics().height();
    const int width = int(std::min<size_t>(m_bars.size(), 40)) * line * 2 + line * 2;
    return {width, line * 6};
}

QSize RunStripView::minimumSizeHint() const
{
    return {fontMetrics().height() * 8, fontMetrics().height() * 6};
}

QRect RunStripView::plotArea() const
{
    const int line = fontMetrics().height();
    // A size label above the bars, the step numbers below.
    return rect().adjusted(line / 2, line + line / 4, -line / 2, -(line + line / 4));
}

QRect RunStripView::barRect(int index) const
{
    const QRect area = plotArea();
    const int n = int(m_bars.size());
    const int line = fontMetrics().height();
    const double slot = std::min<double>(double(area.width()) / std::max(n, 1), line * 3.0);
    const int gap = slot >= 6 ? std::max(1, int(slot / 6)) : 0;
    const double fraction = m_max > 0 ? double(m_bars[size_t(index)].size) / double(m_max) : 0;
    const int height = std::max(2, int(std::round(area.height() * fraction)));
    const int left = area.left() + int(std::round(index * slot));
    const int width = std::max(1, int(std::round(slot)) - gap);
    return {left, area.bottom() - height + 1, width, height};
}

int RunStripView::barAt(const QPoint& pos) const
{
    const QRect area = plotArea();
    for (int i = 0; i < int(m_bars.size()); ++i) {
        const QRect bar = barRect(i);
        if (pos.x() >= bar.left() && pos.x() <= bar.right() &&
            pos.y() >= area.top() - fontMetrics().height())
            return i;
    }
    return -1;
}

void RunStripView::paintEvent(QPaintEvent*)
{
    if (m_bars.empty())
        return;
    QPainter p(this);
    const StatusColors colors = StatusColors::from(palette());
    const QFontMetrics fm = fontMetrics();
    const QRect area = plotArea();
    p.setPen(QPen(colors.border, 1));
    p.drawLine(area.bottomLeft() + QPoint(0, 1), area.bottomRight() + QPoint(0, 1));
    const int labelEvery = std::max(1, int(std::ceil(fm.horizontalAdvance(QStringLiteral("0000")) /
                                                     std::max(1.0, double(barRect(0).width())))));
    for (int i = 0; i < int(m_bars.size()); ++i) {
        const Bar& bar = m_bars[size_t(i)];
        const QRect r = barRect(i);
        QColor fill = colors.okFill;
        QColor edge = colors.ok;
        if (bar.severity >= int(Severity::Error)) {
            fill = colors.errorFill;
            edge = colors.error;
        } else if (bar.ragged || bar.severity == int(Severity::Warning)) {
            fill = colors.warning;
            edge = colors.warning;
        }
        p.setPen(r.width() > 3 ? QPen(edge, 1) : Qt::NoPen);
        p.setBrush(r.width() > 3 ? fill : edge);
        p.drawRect(r.adjusted(0, 0, -1, -1));
        if (bar.flowBreak != FlowStage::None) {
            // Under the axis, where the step number would stand beside it.
            p.setPen(Qt::NoPen);
            p.setBrush(colors.error);
            p.drawRect(QRect(r.left(), area.bottom() + 2, r.width(), 3));
        }
        const bool labelled = bar.ragged || i == m_current || i % labelEvery == 0;
        if (labelled &&
            fm.horizontalAdvance(QString::number(bar.size)) <= r.width() + fm.height()) {
            p.setPen(bar.ragged ? colors.warning : colors.mutedText);
            p.drawText(QRect(r.center().x() - fm.height() * 2, r.top() - fm.height() - 2,
                             fm.height() * 4, fm.height()),
                       Qt::AlignHCenter | Qt::AlignBottom, QString::number(bar.size));
        }
        if (i % labelEvery == 0 || i == m_current) {
            p.setPen(colors.mutedText);
            p.drawText(QRect(r.center().x() - fm.height() * 2, area.bottom() + 3, fm.height() * 4,
                             fm.height()),
                       Qt::AlignHCenter | Qt::AlignTop, QString::number(i));
        }
    }
    if (m_current >= 0) {
        const QRect r = barRect(m_current).adjusted(-2, -2, 1, 1);
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r);
    }
}

void RunStripView::mousePressEvent(QMouseEvent* event)
{
    const int bar = barAt(event->position().toPoint());
    if (bar >= 0 && m_bars[size_t(bar)].pair >= 0)
        Q_EMIT pairClicked(m_bars[size_t(bar)].pair);
}

bool RunStripView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = barAt(help->pos());
        if (index < 0) {
            QToolTip::hideText();
            return true;
        }
        const Bar& bar = m_bars[size_t(index)];
        QString tip = tr("Batch %1 (%2): %3 samples").arg(index).arg(bar.group).arg(bar.size);
        if (!std::isnan(bar.meanLoss))
            tip += tr(", mean loss %1").arg(numberText(bar.meanLoss, 5));
        if (bar.ragged)
            tip += tr("\nRagged: the other batches have %1").arg(m_typical);
        if (bar.flowBreak == FlowStage::Model)
            tip += tr("\nThe batch changes in the model");
        else if (bar.flowBreak == FlowStage::Loader)
            tip += tr("\nThe loader's tensors disagree about the batch");
        else if (bar.flowBreak == FlowStage::Target)
            tip += tr("\nThe output and the target disagree about the batch");
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace shapescope
