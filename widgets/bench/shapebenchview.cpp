// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapebenchview.h"

#include "common/statuscolors.h"

#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace shapescope {

namespace {

QFont scaled(const QFont& base, double factor, bool bold)
{
    QFont font = base;
    if (base.pointSizeF() > 0)
        font.setPointSizeF(base.pointSizeF() * factor);
    else
        font.setPixelSize(qRound(base.pixelSize() * factor));
    font.setBold(bold);
    return font;
}

QColor fillFor(const StatusColors& c, CellMark mark)
{
    switch (mark) {
    case CellMark::Error:
        return c.errorFill;
    case CellMark::Warning:
        return c.warningFill;
    case CellMark::Ok:
        return c.okFill;
    case CellMark::Neutral:
        return c.neutralFill;
    }
    return c.neutralFill;
}

QColor strokeFor(const StatusColors& c, CellMark mark)
{
    switch (mark) {
    case CellMark::Error:
        return c.error;
    case CellMark::Warning:
        return c.warning;
    case CellMark::Ok:
        return c.ok;
    case CellMark::Neutral:
        return c.border;
    }
    return c.border;
}

} // namespace

struct ShapeBenchView::Geometry
{
    int margin = 0;
    int pad = 0;
    int labelWidth = 0;
    int headerHeight = 0;
    int cellHeight = 0;
    int relationHeight = 0;
    int gap = 0;
    std::vector<int> x;
    std::vector<int> width;

    int inputTop() const { return margin + headerHeight; }
    int targetTop() const { return inputTop() + cellHeight + relationHeight; }
    QRect cell(size_t column, bool input) const
    {
        return {x[column], input ? inputTop() : targetTop(), width[column], cellHeight};
    }
    QSize size() const
    {
        const int right = x.empty() ? margin + labelWidth : x.back() + width.back();
        return {right + margin, targetTop() + cellHeight + margin};
    }
};

QString ShapeBenchView::cellCaption(const BenchCell& cell)
{
    return cell.role.isEmpty() ? tr("axis %1").arg(cell.axis)
                               : tr("%1 \u00b7 axis %2").arg(cell.role).arg(cell.axis);
}

ShapeBenchView::ShapeBenchView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("shapeBench"));
    setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    setMouseTracking(false);
}

void ShapeBenchView::setBench(BenchLayout bench)
{
    m_bench = std::move(bench);
    setAccessibleName(tr("Shape bench"));
    setAccessibleDescription(m_bench.describe());
    updateGeometry();
    update();
}

ShapeBenchView::Geometry ShapeBenchView::geometry() const
{
    Geometry g;
    const QFontMetrics fm(font());
    const QFontMetrics big(scaled(font(), 1.6, true));
    const QFontMetrics label(scaled(font(), 1.1, true));
    g.pad = fm.height() / 2;
    g.margin = fm.height() / 2;
    g.gap = fm.height() / 2;
    g.headerHeight = fm.height() + g.pad;
    g.cellHeight = big.height() + fm.height() + g.pad * 2;
    g.relationHeight = fm.height() + g.pad;
    const int pathWidth =
        std::max(fm.horizontalAdvance(m_bench.inputPath), fm.horizontalAdvance(m_bench.targetPath));
    g.labelWidth = std::clamp(pathWidth, label.horizontalAdvance(tr("Target")) + fm.height() * 4,
                              fm.averageCharWidth() * 28) +
                   g.pad;
    const QFontMetrics small(scaled(font(), 0.9, false));
    int x = g.margin + g.labelWidth + g.gap;
    for (const BenchColumn& column : m_bench.columns) {
        int w = std::max(fm.height() * 4, fm.horizontalAdvance(column.title) + g.pad * 2);
        for (const BenchCell* cell : {&column.input, &column.target}) {
            if (!cell->present)
                continue;
            w = std::max(w, big.horizontalAdvance(QString::number(cell->extent)) + g.pad * 3);
            w = std::max(w, small.horizontalAdvance(cellCaption(*cell)) + g.pad * 2);
        }
        g.x.push_back(x);
        g.width.push_back(w);
        x += w + g.gap;
    }
    return g;
}

QSize ShapeBenchView::sizeHint() const
{
    return m_bench.valid ? geometry().size() : QSize(0, 0);
}

QSize ShapeBenchView::minimumSizeHint() const
{
    return sizeHint();
}

void ShapeBenchView::paintEvent(QPaintEvent*)
{
    if (!m_bench.valid)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const StatusColors colors = StatusColors::from(palette());
    const Geometry g = geometry();
    const QFont base = font();
    const QFont bigFont = scaled(base, 1.6, true);
    const QFont labelFont = scaled(base, 1.1, true);
    const QFont smallFont = scaled(base, 0.9, false);
    const QFontMetrics fm(base);
    const qreal radius = g.pad * 0.6;

    // Column titles.
    p.setFont(base);
    p.setPen(colors.mutedText);
    for (size_t c = 0; c < m_bench.columns.size(); ++c) {
        p.drawText(QRect(g.x[c], g.margin, g.width[c], g.headerHeight - g.pad / 2),
                   Qt::AlignHCenter | Qt::AlignBottom, m_bench.columns[c].title);
    }

    // Row labels: the side, the tensor path, its dtype as a chip.
    auto drawLabel = [&](int top, const QString& side, const QString& path, const QString& type,
                         CellMark typeMark) {
        const QRect area(g.margin, top, g.labelWidth, g.cellHeight);
        const int line = fm.height();
        int y = area.top() + (area.height() - line * 3 - g.pad / 2) / 2;
        p.setFont(labelFont);
        p.setPen(colors.text);
        p.drawText(QRect(area.left(), y, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                   side);
        y += line;
        p.setFont(base);
        p.setPen(colors.mutedText);
        p.drawText(QRect(area.left(), y, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(path, Qt::ElideMiddle, area.width() - g.pad));
        y += line + g.pad / 2;
        if (type.isEmpty())
            return;
        const QFontMetrics small(smallFont);
        const QRect chip(area.left(), y, small.horizontalAdvance(type) + g.pad * 2, line);
        p.setPen(QPen(strokeFor(colors, typeMark), typeMark == CellMark::Neutral ? 1 : 2));
        p.setBrush(fillFor(colors, typeMark));
        p.drawRoundedRect(QRectF(chip).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        p.setFont(smallFont);
        p.setPen(typeMark == CellMark::Neutral ? colors.text : strokeFor(colors, typeMark));
        p.drawText(chip, Qt::AlignCenter, type);
    };
    drawLabel(g.inputTop(), tr("Input"), m_bench.inputPath, m_bench.inputType,
              m_bench.inputTypeMark);
    drawLabel(g.targetTop(), tr("Target"), m_bench.targetPath, m_bench.targetType,
              m_bench.targetTypeMark);

    // Cells, and between them whether the extents agree.
    for (size_t c = 0; c < m_bench.columns.size(); ++c) {
        const BenchColumn& column = m_bench.columns[c];
        for (bool input : {true, false}) {
            const BenchCell& cell = input ? column.input : column.target;
            const QRectF rect = QRectF(g.cell(c, input)).adjusted(1.5, 1.5, -1.5, -1.5);
            if (!cell.present) {
                QPen dashed(colors.border, 1, Qt::DashLine);
                p.setPen(dashed);
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(rect, radius, radius);
                p.setFont(bigFont);
                p.setPen(colors.mutedText);
                p.drawText(rect, Qt::AlignCenter, QStringLiteral("\u2014"));
                continue;
            }
            const int penWidth = cell.highlighted ? 3 : cell.mark == CellMark::Neutral ? 1 : 2;
            p.setPen(QPen(strokeFor(colors, cell.mark), penWidth));
            p.setBrush(fillFor(colors, cell.mark));
            p.drawRoundedRect(rect, radius, radius);
            const QRectF top(rect.left(), rect.top() + g.pad / 2, rect.width(),
                             QFontMetrics(bigFont).height() + g.pad / 2);
            p.setFont(bigFont);
            p.setPen(cell.mark == CellMark::Error ? colors.error : colors.text);
            p.drawText(top, Qt::AlignCenter, QString::number(cell.extent));
            const QRectF bottom(rect.left(), top.bottom(), rect.width(),
                                rect.bottom() - top.bottom());
            p.setFont(smallFont);
            p.setPen(colors.mutedText);
            p.drawText(bottom, Qt::AlignHCenter | Qt::AlignTop, cellCaption(cell));
        }
        if (column.bothPresent()) {
            const QRect between(g.x[c], g.inputTop() + g.cellHeight, g.width[c], g.relationHeight);
            const bool differ = column.extentsDiffer();
            p.setFont(scaled(base, 1.3, differ));
            p.setPen(differ ? colors.error : colors.mutedText);
            p.drawText(between, Qt::AlignCenter,
                       differ ? QStringLiteral("\u2260") : QStringLiteral("="));
        }
    }
}

QString ShapeBenchView::toolTipAt(const QPoint& pos) const
{
    const Geometry g = geometry();
    for (size_t c = 0; c < m_bench.columns.size(); ++c) {
        const BenchColumn& column = m_bench.columns[c];
        for (bool input : {true, false}) {
            if (!g.cell(c, input).contains(pos))
                continue;
            const BenchCell& cell = input ? column.input : column.target;
            if (!cell.present)
                return column.missingNote;
            const QString side = input ? tr("Input") : tr("Target");
            return tr("%1 axis %2: %3 (%4)")
                .arg(side)
                .arg(cell.axis)
                .arg(cell.extent)
                .arg(column.title);
        }
    }
    return {};
}

bool ShapeBenchView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateGeometry();
    return QWidget::event(event);
}

} // namespace shapescope
