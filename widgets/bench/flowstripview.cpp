// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowstripview.h"

#include "common/statuscolors.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace shapescope {

namespace {

QString compactShape(const Shape& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return parts.isEmpty() ? QStringLiteral("scalar") : parts.join(QLatin1Char('x'));
}

} // namespace

FlowStripView::FlowStripView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("flowStrip"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void FlowStripView::setStep(const AnalysisResult* result, int pair)
{
    m_stages.clear();
    m_divergesAt = FlowStage::None;
    m_guessed = false;
    const StepFlow* flow = result ? result->flowOfPair(pair) : nullptr;
    if (flow) {
        m_divergesAt = flow->divergesAt;
        m_guessed = flow->guessed;
        Stage loader{tr("Loader"), FlowStage::Loader, {}};
        Stage model{tr("Model"), FlowStage::Model, {}};
        Stage loss{tr("Loss"), FlowStage::Target, {}};
        for (const FlowTensor& t : flow->tensors) {
            const TensorInfo& info = result->dump.tensors[size_t(t.tensor)];
            Cell cell{info.name,
                      QStringLiteral("%1 · %2").arg(t.batch >= 0 ? QString::number(t.batch)
                                                                 : QStringLiteral("-"),
                                                    compactShape(info.shape)),
                      t.diverges, !t.carriesBatch};
            switch (t.role) {
            case TensorRole::Output:
                model.cells.push_back(cell);
                break;
            case TensorRole::Target:
                loss.cells.push_back(cell);
                break;
            default:
                loader.cells.push_back(cell);
                break;
            }
        }
        for (Stage* stage : {&loader, &model, &loss}) {
            if (!stage->cells.empty())
                m_stages.push_back(std::move(*stage));
        }
    }
    setAccessibleDescription(summary());
    updateGeometry();
    update();
}

QStringList FlowStripView::cellTexts() const
{
    QStringList texts;
    for (const Stage& stage : m_stages) {
        for (const Cell& cell : stage.cells)
            texts << QStringLiteral("%1: %2").arg(cell.name, cell.detail);
    }
    return texts;
}

QStringList FlowStripView::errorCells() const
{
    QStringList names;
    for (const Stage& stage : m_stages) {
        for (const Cell& cell : stage.cells) {
            if (cell.error)
                names << cell.name;
        }
    }
    return names;
}

QString FlowStripView::summary() const
{
    QString text;
    switch (m_divergesAt) {
    case FlowStage::None:
        text = tr("The batch is the same from the loader to the loss");
        break;
    case FlowStage::Loader:
        text = tr("The loader's tensors already disagree about the batch");
        break;
    case FlowStage::Model:
        text = tr("The batch changes in the model");
        break;
    case FlowStage::Target:
        text = tr("The model's output and the target disagree about the batch");
        break;
    }
    if (m_guessed)
        text += tr(" (the pair was guessed from shapes and dtypes)");
    return text;
}

int FlowStripView::cellWidth(const Cell& cell) const
{
    const QFontMetrics fm = fontMetrics();
    return std::max(fm.horizontalAdvance(cell.name), fm.horizontalAdvance(cell.detail)) +
           fm.height();
}

int FlowStripView::stageWidth(const Stage& stage) const
{
    int width = fontMetrics().horizontalAdvance(stage.title);
    int cells = 0;
    for (const Cell& cell : stage.cells)
        cells += cellWidth(cell) + fontMetrics().height() / 2;
    return std::max(width, cells);
}

QSize FlowStripView::sizeHint() const
{
    const int line = fontMetrics().height();
    int width = 0;
    for (const Stage& stage : m_stages)
        width += stageWidth(stage) + line * 3;
    return {width, m_stages.empty() ? 0 : line * 4 + line / 2};
}

QSize FlowStripView::minimumSizeHint() const
{
    return {fontMetrics().height() * 8, sizeHint().height()};
}

void FlowStripView::paintEvent(QPaintEvent*)
{
    if (m_stages.empty())
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const StatusColors colors = StatusColors::from(palette());
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const int top = line + line / 4; // stage titles above the cells
    const int cellHeight = line * 2 + line / 2;
    int x = line / 4;
    for (size_t s = 0; s < m_stages.size(); ++s) {
        const Stage& stage = m_stages[s];
        const bool broken = stage.stage == m_divergesAt;
        if (s > 0) {
            // The arrow into the stage where the batch changes is the error.
            const int y = top + cellHeight / 2;
            const QColor arrow = broken ? colors.error : colors.mutedText;
            p.setPen(QPen(arrow, broken ? 2 : 1));
            p.drawLine(x, y, x + line * 2 - 4, y);
            QPainterPath head;
            head.moveTo(x + line * 2, y);
            head.lineTo(x + line * 2 - line / 2, y - line / 3);
            head.lineTo(x + line * 2 - line / 2, y + line / 3);
            head.closeSubpath();
            p.fillPath(head, arrow);
            x += line * 2 + line / 2;
        }
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(broken ? colors.error : colors.text);
        p.drawText(QRect(x, 0, stageWidth(stage), line), Qt::AlignLeft | Qt::AlignVCenter,
                   stage.title);
        p.setFont(font());
        int cx = x;
        for (const Cell& cell : stage.cells) {
            const QRect r(cx, top, cellWidth(cell), cellHeight);
            p.setPen(QPen(cell.error ? colors.error : colors.border, cell.error ? 2 : 1));
            p.setBrush(cell.error   ? colors.errorFill
                       : cell.faint ? Qt::transparent
                                    : colors.neutralFill);
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4);
            p.setPen(cell.faint ? colors.mutedText : colors.text);
            p.drawText(r.adjusted(line / 2, line / 4, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                       cell.name);
            p.setPen(cell.error ? colors.error : colors.mutedText);
            p.drawText(r.adjusted(line / 2, 0, 0, -line / 4), Qt::AlignLeft | Qt::AlignBottom,
                       cell.detail);
            cx += r.width() + line / 2;
        }
        x += stageWidth(stage) + line / 2;
    }
}

} // namespace shapescope
