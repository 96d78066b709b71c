// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

class QCustomPlot;
class QCPAxis;

namespace shapescope {

// The plots' colours, derived from the palette so they read on light and dark themes alike.
// Data colours are Okabe-Ito (distinguishable with the common colour-vision deficiencies),
// lightened on a dark background.
struct PlotColors
{
    bool dark = false;
    QColor background;
    QColor text;
    QColor mutedText;
    QColor axis;
    QColor grid;
    QColor subGrid;
    QColor band;       // alternating batch background
    QColor raggedBand; // background of a short batch
    QColor boundary;   // batch boundary lines
    QColor primary;    // bars, correct predictions
    QColor wrong;      // wrong predictions
    QColor other;      // losses with no prediction to judge
    QColor ignored;    // ignored samples
    QColor line;       // a second series (mean loss over batches, counts per class)
    QColor highlight;  // the short batch, the target class
    QColor selection;  // the selected sample

    static PlotColors from(const QPalette& palette);
};

// Axes, grids, tick labels, legend and background in `colors`.
void applyPlotColors(QCustomPlot* plot, const PlotColors& colors);
void styleAxis(QCPAxis* axis, const PlotColors& colors);

} // namespace shapescope
