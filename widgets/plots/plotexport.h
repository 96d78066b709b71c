// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/atomicwrite.h"
#include "common/expected.h"

#include <QSize>
#include <QString>
#include <functional>
#include <optional>

class QCustomPlot;
class QIODevice;

namespace shapescope {

enum class PlotFormat
{
    Png,
    Jpg,
    Pdf,
    Svg
};

QString plotFormatSuffix(PlotFormat format); // "png", "jpg", "pdf", "svg"
// From a file name's suffix (.png, .jpg/.jpeg, .pdf, .svg), case-insensitive.
std::optional<PlotFormat> plotFormatFromPath(const QString& path);

struct PlotExportOptions
{
    PlotFormat format = PlotFormat::Png;
    // In device-independent pixels (1/96 inch): the layout the plot is drawn at. Raster images
    // have width * dpi / 96 pixels; PDF pages are width * 72 / 96 points.
    int width = 1200;
    int height = 700;
    double dpi = 96;
    int jpegQuality = 92;

    QSize pixelSize() const;
};

// Renders `plot` at the options' size: PNG and JPG as images at the DPI (QCustomPlot::toPixmap
// with a scale), PDF as vector pages (QPdfWriter), SVG through QSvgGenerator.
Status exportPlot(QCustomPlot* plot, const QString& path, const PlotExportOptions& options,
                  const QString& protectedPath = {});

// File > Export Losses: the CSV `shapescope losses --csv` writes (core/report/losscsv.h).
Status exportLossesCsv(const AnalysisResult& result, const QString& path,
                       const QString& protectedPath);
// File > Export Report as JSON: the document `shapescope check --json` prints.
Status exportReportJson(const AnalysisResult& result, const QString& path,
                        const QString& protectedPath);
// File > Export Report as Markdown: core/report/markdownreport.h with a PNG plot written next
// to it as NAME-KIND.png (the per-batch plot for a run, else per-sample); `imageOptions` sizes it.
// `plotPath`, when given, receives the image's path (empty when no plot could be drawn).
Status exportReportMarkdown(std::shared_ptr<const AnalysisResult> result, const QString& path,
                            const QString& protectedPath,
                            const PlotExportOptions& imageOptions = {},
                            QString* plotPath = nullptr);

} // namespace shapescope
