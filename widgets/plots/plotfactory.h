// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossplot.h"
#include "plotdata.h"

#include <memory>

namespace shapescope {

// One place that turns an analysis into a plot of each kind, for the page, the CLI's
// `shapescope plot` and the Markdown report, so all three look the same.
std::unique_ptr<LossPlot> createLossPlot(PlotKind kind,
                                         std::shared_ptr<const AnalysisResult> result,
                                         const PlotScope& scope, QWidget* parent = nullptr);
std::unique_ptr<LossPlot> createLossPlot(PlotKind kind, QWidget* parent = nullptr);
// Gives `plot` (of any kind) the data of `scope`; a null result clears it.
void setLossPlotData(LossPlot* plot, std::shared_ptr<const AnalysisResult> result,
                     const PlotScope& scope);

// The plot a report shows: per batch for a dump with a run, else per sample.
PlotKind reportPlotKind(const AnalysisResult& result);

} // namespace shapescope
