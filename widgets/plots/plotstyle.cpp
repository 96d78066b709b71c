// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotstyle.h"

#include "qcustomplotinclude.h"

namespace shapescope {

namespace {

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

PlotColors PlotColors::from(const QPalette& palette)
{
    PlotColors c;
    c.background = palette.color(QPalette::Base);
    c.text = palette.color(QPalette::Text);
    c.dark = c.background.lightnessF() < 0.5;
    c.mutedText = blend(c.text, c.background, 0.35);
    c.axis = blend(c.text, c.background, 0.45);
    c.grid = blend(c.text, c.background, 0.85);
    c.subGrid = blend(c.text, c.background, 0.93);
    c.band = blend(c.text, c.background, c.dark ? 0.9 : 0.95);
    c.boundary = blend(c.text, c.background, 0.7);
    if (c.dark) {
        c.primary = QColor(0x56, 0xB4, 0xE9); // sky blue
        c.wrong = QColor(0xFF, 0x7F, 0x3F);   // a lighter vermillion
        c.other = QColor(0x56, 0xB4, 0xE9);
        c.line = QColor(0x3F, 0xD0, 0xA0);      // a lighter bluish green
        c.highlight = QColor(0xFF, 0xB0, 0x20); // orange
        c.selection = QColor(0xF0, 0xE4, 0x42); // yellow
    } else {
        c.primary = QColor(0x00, 0x72, 0xB2); // blue
        c.wrong = QColor(0xD5, 0x5E, 0x00);   // vermillion
        c.other = QColor(0x00, 0x72, 0xB2);
        c.line = QColor(0x00, 0x9E, 0x73);      // bluish green
        c.highlight = QColor(0xE6, 0x9F, 0x00); // orange
        c.selection = QColor(0xCC, 0x79, 0xA7); // reddish purple
    }
    c.ignored = blend(c.text, c.background, 0.6);
    c.raggedBand = blend(c.highlight, c.background, c.dark ? 0.75 : 0.8);
    return c;
}

void styleAxis(QCPAxis* axis, const PlotColors& colors)
{
    const QPen axisPen(colors.axis, 1);
    axis->setBasePen(axisPen);
    axis->setTickPen(axisPen);
    axis->setSubTickPen(axisPen);
    axis->setTickLabelColor(colors.text);
    axis->setLabelColor(colors.text);
    axis->grid()->setPen(QPen(colors.grid, 1, Qt::SolidLine));
    axis->grid()->setSubGridPen(QPen(colors.subGrid, 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

void applyPlotColors(QCustomPlot* plot, const PlotColors& colors)
{
    plot->setBackground(colors.background);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(colors.background);
        for (QCPAxis* axis : rect->axes())
            styleAxis(axis, colors);
    }
    if (plot->legend) {
        QColor legendBackground = colors.background;
        legendBackground.setAlpha(225);
        plot->legend->setBrush(legendBackground);
        plot->legend->setBorderPen(QPen(colors.grid));
        plot->legend->setTextColor(colors.text);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(colors.text);
    }
}

} // namespace shapescope
