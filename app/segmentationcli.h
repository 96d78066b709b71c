// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "plots/plotexport.h"

#include <QCommandLineParser>

namespace shapescope::cli {

// shapescope losses FILE --confusion [-o OUT.csv]: the confusion matrix of the pair (--pair, or
// the only class-index pair) as CSV (core/report/confusioncsv.h), on stdout without -o.
int writeConfusion(const QCommandLineParser& parser, const QString& file,
                   const AnalysisResult& result);

// shapescope plot FILE --kind confusion|target-map|predicted-map|error-map|loss-map
// [--sample I] [--slice K,...] -o OUT: the GUI's segmentation plots, exported.
bool isSegmentationKind(const QString& kind);
int plotSegmentation(const QCommandLineParser& parser, const QString& file,
                     const AnalysisResult& result, const QString& kind,
                     const PlotExportOptions& options);

} // namespace shapescope::cli
