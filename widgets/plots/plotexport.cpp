// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotexport.h"

#include "lossplot.h"
#include "plotfactory.h"
#include "qcustomplotinclude.h"
#include "report/jsonreport.h"
#include "report/losscsv.h"
#include "report/markdownreport.h"

#include <QApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace shapescope {

namespace {

Status renderRaster(QCustomPlot* plot, const PlotExportOptions& options, QIODevice& device)
{
    const double scale = options.dpi / 96.0;
    QImage image = plot->toPixmap(options.width, options.height, scale).toImage();
    if (image.isNull())
        return Error{QStringLiteral("the plot could not be drawn at %1x%2")
                         .arg(options.width)
                         .arg(options.height)};
    const int dotsPerMeter = qRound(options.dpi / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    const bool jpeg = options.format == PlotFormat::Jpg;
    if (jpeg)
        image = image.convertToFormat(QImage::Format_RGB32);
    if (!image.save(&device, jpeg ? "JPG" : "PNG", jpeg ? options.jpegQuality : -1))
        return Error{QStringLiteral("the image could not be encoded")};
    return Status::success();
}

Status renderPdf(QCustomPlot* plot, const PlotExportOptions& options, QIODevice& device)
{
    QPdfWriter writer(&device);
    writer.setCreator(QStringLiteral("ShapeScope"));
    writer.setTitle(QStringLiteral("ShapeScope plot"));
    writer.setResolution(qMax(72, qRound(options.dpi)));
    writer.setPageSize(QPageSize(QSizeF(options.width * 72.0 / 96.0, options.height * 72.0 / 96.0),
                                 QPageSize::Point, QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter painter;
    if (!painter.begin(&writer))
        return Error{QStringLiteral("the PDF could not be started")};
    // Vector output: no cached bitmaps, and pens scale with the page instead of staying one
    // device pixel (1/300 inch) thin.
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setMode(QCPPainter::pmNonCosmetic);
    painter.setWindow(0, 0, options.width, options.height);
    plot->toPainter(&painter, options.width, options.height);
    if (!painter.end())
        return Error{QStringLiteral("the PDF could not be finished")};
    return Status::success();
}

Status renderSvg(QCustomPlot* plot, const PlotExportOptions& options, QIODevice& device)
{
    QSvgGenerator generator;
    generator.setOutputDevice(&device);
    generator.setSize(QSize(options.width, options.height));
    generator.setViewBox(QRect(0, 0, options.width, options.height));
    generator.setResolution(qRound(options.dpi));
    generator.setTitle(QStringLiteral("ShapeScope plot"));
    generator.setDescription(QStringLiteral("Drawn by ShapeScope"));
    QCPPainter painter;
    if (!painter.begin(&generator))
        return Error{QStringLiteral("the SVG could not be started")};
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    plot->toPainter(&painter, options.width, options.height);
    if (!painter.end())
        return Error{QStringLiteral("the SVG could not be finished")};
    return Status::success();
}

} // namespace

QString plotFormatSuffix(PlotFormat format)
{
    switch (format) {
    case PlotFormat::Png:
        return QStringLiteral("png");
    case PlotFormat::Jpg:
        return QStringLiteral("jpg");
    case PlotFormat::Pdf:
        return QStringLiteral("pdf");
    case PlotFormat::Svg:
        return QStringLiteral("svg");
    }
    return {};
}

std::optional<PlotFormat> plotFormatFromPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return PlotFormat::Png;
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg"))
        return PlotFormat::Jpg;
    if (suffix == QLatin1String("pdf"))
        return PlotFormat::Pdf;
    if (suffix == QLatin1String("svg"))
        return PlotFormat::Svg;
    return std::nullopt;
}

QSize PlotExportOptions::pixelSize() const
{
    const double scale = dpi / 96.0;
    return QSize(qRound(width * scale), qRound(height * scale));
}

Status exportPlot(QCustomPlot* plot, const QString& path, const PlotExportOptions& options,
                  const QString& protectedPath)
{
    if (!plot)
        return Error{QStringLiteral("there is no plot to export")};
    if (options.width < 16 || options.height < 16 || options.width > 20000 ||
        options.height > 20000)
        return Error{QStringLiteral("%1x%2 is not a size a plot can be drawn at (16 to 20000)")
                         .arg(options.width)
                         .arg(options.height)};
    if (options.dpi < 24 || options.dpi > 2400)
        return Error{QStringLiteral("%1 DPI is outside 24 to 2400").arg(options.dpi)};
    const QSize pixels = options.pixelSize();
    if (options.format != PlotFormat::Pdf && options.format != PlotFormat::Svg &&
        qint64(pixels.width()) * pixels.height() > qint64(400) * 1000 * 1000)
        return Error{QStringLiteral("%1x%2 pixels is too large an image")
                         .arg(pixels.width())
                         .arg(pixels.height())};
    const Status status = writeAtomically(path, protectedPath, [&](QIODevice& device) {
        switch (options.format) {
        case PlotFormat::Png:
        case PlotFormat::Jpg:
            return renderRaster(plot, options, device);
        case PlotFormat::Pdf:
            return renderPdf(plot, options, device);
        case PlotFormat::Svg:
            return renderSvg(plot, options, device);
        }
        return Status(Error{QStringLiteral("unknown format")});
    });
    // Exporting lays the plot out at the export size; lay it out for the screen again.
    plot->replot(QCustomPlot::rpQueuedReplot);
    return status;
}

Status exportLossesCsv(const AnalysisResult& result, const QString& path,
                       const QString& protectedPath)
{
    return saveLossCsv(result, path, protectedPath);
}

Status exportReportJson(const AnalysisResult& result, const QString& path,
                        const QString& protectedPath)
{
    return saveJsonReport(result, path, protectedPath);
}

Status exportReportMarkdown(std::shared_ptr<const AnalysisResult> result, const QString& path,
                            const QString& protectedPath, const PlotExportOptions& imageOptions,
                            QString* plotPath)
{
    if (!result)
        return Error{QStringLiteral("there is no analysis to report")};
    if (plotPath)
        plotPath->clear();
    if (isSameFile(path, protectedPath)) // before the plot is written beside it
        return Error{QStringLiteral("%1: refusing to write over the opened dump").arg(path)};
    MarkdownOptions markdown;
    const PlotKind kind = reportPlotKind(*result);
    const std::vector<PlotScope> scopes = plotScopes(*result);
    // Widgets need a QApplication; without one (a QCoreApplication tool) the report has no plot.
    const bool canDraw = qobject_cast<QApplication*>(QCoreApplication::instance()) != nullptr;
    if (!scopes.empty() && canDraw) {
        const QFileInfo info(path);
        const QString imageName = info.completeBaseName() + QLatin1Char('-') + plotKindName(kind) +
                                  QStringLiteral(".png");
        const QString imagePath = info.absoluteDir().filePath(imageName);
        std::unique_ptr<LossPlot> plot = createLossPlot(kind, result, scopes.front());
        PlotExportOptions options = imageOptions;
        options.format = PlotFormat::Png;
        plot->resize(options.width, options.height);
        if (Status s = exportPlot(plot->customPlot(), imagePath, options, protectedPath); !s)
            return s;
        markdown.plotImage = imageName;
        markdown.plotCaption = plot->title();
        if (plotPath)
            *plotPath = imagePath;
    }
    return saveMarkdownReport(*result, path, protectedPath, markdown);
}

} // namespace shapescope
