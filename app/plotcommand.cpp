// SPDX-License-Identifier: GPL-3.0-or-later
// shapescope plot FILE --kind KIND -o OUT [--width W --height H --dpi D] [--run R | --pair P]
// Draws the GUI's own plot widgets (widgets/plots) without a display and saves them.
#include "commandline.h"
#include "commands.h"
#include "common/theme.h"
#include "plots/histogramplot.h"
#include "plots/perclassplot.h"
#include "plots/plotexport.h"
#include "plots/plotfactory.h"
#include "segmentationcli.h"
#include "sessionfactory.h"

#include <QTextStream>
#include <cstring>

namespace shapescope::cli {

namespace {

Expected<int> positiveInteger(const QCommandLineParser& parser, const QString& option)
{
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value <= 0)
        return Error{QStringLiteral("--%1: \"%2\" is not a positive whole number")
                         .arg(option, parser.value(option))};
    return value;
}

// --run NAME|INDEX or --pair INPUT; the first run (else the first pair) by default.
Expected<PlotScope> chooseScope(const AnalysisResult& result, const QCommandLineParser& parser)
{
    const std::vector<PlotScope> scopes = plotScopes(result);
    if (scopes.empty())
        return Error{
            QStringLiteral("%1: nothing to plot: no pair has losses").arg(result.dump.file)};
    QStringList names;
    for (const PlotScope& scope : scopes)
        names << QStringLiteral("  ") + scope.title;
    const QString available = QStringLiteral("\navailable:\n") + names.join(QLatin1Char('\n'));
    if (parser.isSet(QStringLiteral("pair"))) {
        const QString input = parser.value(QStringLiteral("pair"));
        for (size_t p = 0; p < result.pairs.size(); ++p) {
            if (result.pairs[p].input == input || result.pairs[p].group == input) {
                const int scope = scopeOfPair(scopes, static_cast<int>(p));
                if (scope < 0)
                    return Error{QStringLiteral("--pair: %1 has no losses to plot").arg(input)};
                return scopes[static_cast<size_t>(scope)];
            }
        }
        return Error{QStringLiteral("--pair: no pair has the input or group %1").arg(input) +
                     available};
    }
    if (parser.isSet(QStringLiteral("run"))) {
        const QString run = parser.value(QStringLiteral("run"));
        bool isIndex = false;
        const int index = run.toInt(&isIndex);
        for (const PlotScope& scope : scopes) {
            if (scope.run < 0)
                continue;
            if ((isIndex && scope.run == index) ||
                result.runs[static_cast<size_t>(scope.run)].name == run)
                return scope;
        }
        return Error{QStringLiteral("--run: there is no run %1").arg(run) + available};
    }
    return scopes.front();
}

} // namespace

bool commandRenders(int argc, char** argv)
{
    if (argc < 2)
        return false;
    if (std::strcmp(argv[1], "plot") == 0)
        return true;
    if (std::strcmp(argv[1], "check") != 0)
        return false;
    bool markdown = false;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--markdown") == 0 ||
            std::strncmp(argv[i], "--markdown=", 11) == 0)
            markdown = true;
        if (std::strcmp(argv[i], "--no-plot") == 0)
            return false;
    }
    return markdown;
}

void preferOffscreenPlatform()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

int runPlot(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Draws a loss plot of a dump as the GUI shows it and saves it as PNG, JPG, "
                       "PDF or SVG (by the output's suffix). Needs no display."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("plot"), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The dump."));
    parser.addOptions({
        {QStringLiteral("kind"),
         QStringLiteral("per-sample, histogram, per-class or per-batch; for segmentation "
                        "(class-index K-dim pairs) also confusion, target-map, predicted-map, "
                        "error-map or loss-map."),
         QStringLiteral("KIND"), QStringLiteral("per-sample")},
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("The image: .png, .jpg, .pdf or .svg."),
         QStringLiteral("OUT")},
        {QStringLiteral("width"), QStringLiteral("Width in pixels at 96 dpi (default 1200)."),
         QStringLiteral("W"), QStringLiteral("1200")},
        {QStringLiteral("height"), QStringLiteral("Height in pixels at 96 dpi (default 700)."),
         QStringLiteral("H"), QStringLiteral("700")},
        {QStringLiteral("dpi"),
         QStringLiteral("Resolution of PNG, JPG and PDF output (default 96; 192 doubles the "
                        "pixels)."),
         QStringLiteral("D"), QStringLiteral("96")},
        {QStringLiteral("run"),
         QStringLiteral("Plot this run (its name, e.g. /batch_#, or index)."),
         QStringLiteral("RUN")},
        {QStringLiteral("pair"),
         QStringLiteral("Plot the run or pair holding this input tensor (or group)."),
         QStringLiteral("INPUT")},
        {QStringLiteral("log-counts"), QStringLiteral("histogram: logarithmic counts.")},
        {QStringLiteral("sort"), QStringLiteral("per-class: class, loss or count."),
         QStringLiteral("ORDER"), QStringLiteral("class")},
        {QStringLiteral("sample"), QStringLiteral("The maps' sample (default 0)."),
         QStringLiteral("I"), QStringLiteral("0")},
        {QStringLiteral("slice"),
         QStringLiteral("The maps' index along the spatial axes before H and W, e.g. 3 for "
                        "(N, C, D, H, W) (default 0)."),
         QStringLiteral("K,...")},
        {QStringLiteral("theme"), QStringLiteral("light (default) or dark."),
         QStringLiteral("THEME"), QStringLiteral("light")},
    });
    addLossOptions(parser);
    addSessionOptions(parser);
    if (const std::optional<int> usage = parseArguments(parser, arguments))
        return *usage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(QStringLiteral("plot needs exactly one FILE (see shapescope plot --help)"));
    const QString file = positional.at(1);
    const QString kindName = parser.value(QStringLiteral("kind"));
    const std::optional<PlotKind> kind = plotKindFromName(kindName);
    if (!kind && !isSegmentationKind(kindName))
        return fail(QStringLiteral("--kind: \"%1\" is not one of per-sample, histogram, "
                                   "per-class, per-batch, confusion, target-map, predicted-map, "
                                   "error-map, loss-map")
                        .arg(kindName));
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty())
        return fail(QStringLiteral("plot needs an output file: -o OUT.png|.jpg|.pdf|.svg"));
    const std::optional<PlotFormat> format = plotFormatFromPath(output);
    if (!format)
        return fail(QStringLiteral("%1: the suffix must be .png, .jpg, .pdf or .svg").arg(output));
    PlotExportOptions exportOptions;
    exportOptions.format = *format;
    const Expected<int> width = positiveInteger(parser, QStringLiteral("width"));
    const Expected<int> height = positiveInteger(parser, QStringLiteral("height"));
    const Expected<int> dpi = positiveInteger(parser, QStringLiteral("dpi"));
    for (const Expected<int>* value : {&width, &height, &dpi}) {
        if (!*value)
            return fail(value->error());
    }
    exportOptions.width = *width;
    exportOptions.height = *height;
    exportOptions.dpi = *dpi;
    const QString themeChoice = parser.value(QStringLiteral("theme"));
    if (themeChoice != QLatin1String("light") && themeChoice != QLatin1String("dark"))
        return fail(QStringLiteral("--theme: \"%1\" is not light or dark").arg(themeChoice));
    applyTheme(themeChoice == QLatin1String("dark") ? Theme::Dark : Theme::Light);
    const QString sort = parser.value(QStringLiteral("sort"));
    const ClassOrder order = sort == QLatin1String("loss")    ? ClassOrder::ByMeanLoss
                             : sort == QLatin1String("count") ? ClassOrder::ByCount
                                                              : ClassOrder::ByClass;
    if (sort != QLatin1String("class") && sort != QLatin1String("loss") &&
        sort != QLatin1String("count"))
        return fail(QStringLiteral("--sort: \"%1\" is not class, loss or count").arg(sort));

    Expected<AnalysisResult> analysis = analyzePairs(parser, file);
    if (!analysis)
        return fail(analysis.error());
    const auto result = std::make_shared<const AnalysisResult>(std::move(*analysis));
    if (!kind)
        return plotSegmentation(parser, file, *result, kindName, exportOptions);
    const Expected<PlotScope> scope = chooseScope(*result, parser);
    if (!scope)
        return fail(scope.error());

    std::unique_ptr<LossPlot> plot = createLossPlot(*kind, result, *scope);
    if (auto* histogram = qobject_cast<LossHistogramPlot*>(plot.get()))
        histogram->setLogCounts(parser.isSet(QStringLiteral("log-counts")));
    if (auto* perClass = qobject_cast<PerClassPlot*>(plot.get()))
        perClass->setOrder(order);
    plot->resize(exportOptions.width, exportOptions.height);
    if (Status s = exportPlot(plot->customPlot(), output, exportOptions, file); !s)
        return fail(s.error());
    return ExitOk;
}

} // namespace shapescope::cli
