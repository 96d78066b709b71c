// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotfactory.h"

#include "histogramplot.h"
#include "perbatchplot.h"
#include "perclassplot.h"
#include "persampleplot.h"

namespace shapescope {

std::unique_ptr<LossPlot> createLossPlot(PlotKind kind, QWidget* parent)
{
    switch (kind) {
    case PlotKind::PerSample:
        return std::make_unique<PerSamplePlot>(parent);
    case PlotKind::Histogram:
        return std::make_unique<LossHistogramPlot>(parent);
    case PlotKind::PerClass:
        return std::make_unique<PerClassPlot>(parent);
    case PlotKind::PerBatch:
        return std::make_unique<PerBatchPlot>(parent);
    }
    return nullptr;
}

std::unique_ptr<LossPlot> createLossPlot(PlotKind kind,
                                         std::shared_ptr<const AnalysisResult> result,
                                         const PlotScope& scope, QWidget* parent)
{
    std::unique_ptr<LossPlot> plot = createLossPlot(kind, parent);
    setLossPlotData(plot.get(), std::move(result), scope);
    return plot;
}

void setLossPlotData(LossPlot* plot, std::shared_ptr<const AnalysisResult> result,
                     const PlotScope& scope)
{
    switch (plot->kind()) {
    case PlotKind::PerSample:
        static_cast<PerSamplePlot*>(plot)->setData(result ? buildPerSampleSeries(result, scope)
                                                          : PerSampleSeries{});
        break;
    case PlotKind::Histogram:
        static_cast<LossHistogramPlot*>(plot)->setData(result ? buildHistogramSeries(*result, scope)
                                                              : HistogramSeries{});
        break;
    case PlotKind::PerClass:
        static_cast<PerClassPlot*>(plot)->setData(result ? buildClassSeries(*result, scope)
                                                         : ClassSeries{});
        break;
    case PlotKind::PerBatch:
        static_cast<PerBatchPlot*>(plot)->setData(result ? buildBatchSeries(*result, scope)
                                                         : BatchSeries{});
        break;
    }
}

PlotKind reportPlotKind(const AnalysisResult& result)
{
    return result.runs.empty() ? PlotKind::PerSample : PlotKind::PerBatch;
}

} // namespace shapescope
