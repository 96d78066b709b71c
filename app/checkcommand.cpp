// SPDX-License-Identifier: GPL-3.0-or-later
// shapescope check FILE [--json] [--markdown OUT.md] [--metadata-only] [loss options]
#include "commandline.h"
#include "commands.h"
#include "plots/plotexport.h"
#include "progressprinter.h"
#include "report/jsonreport.h"
#include "report/markdownreport.h"
#include "report/textreport.h"
#include "sessionfactory.h"

#include <QJsonDocument>
#include <QTextStream>
#include <algorithm>
#include <cstdio>

namespace shapescope::cli {

int runCheck(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lists a dump's tensors, pairs model outputs with targets, applies "
                       "PyTorch's checks and computes the losses. Exit status: 0 fine, 1 errors "
                       "found (or, with --strict, nothing could be checked), 2 the file cannot "
                       "be read or a usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The command."));
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("An .h5, .npy, .npz, .safetensors or torch.save .pt file, or a folder of "
                       ".npy files."));
    parser.addOptions({
        {QStringLiteral("json"), QStringLiteral("Print a JSON report.")},
        {QStringLiteral("markdown"),
         QStringLiteral("Also write the report as Markdown, with a plot (OUT-KIND.png) beside it."),
         QStringLiteral("OUT.md")},
        {QStringLiteral("no-plot"),
         QStringLiteral("With --markdown: write the report alone, without the plot image.")},
        {QStringLiteral("strict"),
         QStringLiteral("Exit 1 also when nothing could be checked (no-pair-checked).")},
        {QStringLiteral("metadata-only"),
         QStringLiteral("List the tensors without reading any data (no pairs, no losses).")},
    });
    addLossOptions(parser);
    addSessionOptions(parser);
    if (const std::optional<int> usage = parseArguments(parser, arguments))
        return *usage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(QStringLiteral("check needs exactly one FILE (see shapescope check --help)"));
    const QString file = positional.at(1);
    Expected<AnalysisOptions> options = lossOptions(parser);
    if (!options)
        return fail(options.error());
    Expected<std::unique_ptr<Session>> session = createSession(parser);
    if (!session)
        return fail(session.error());
    QTextStream out(stdout);
    const bool json = parser.isSet(QStringLiteral("json"));

    const bool metadataOnly = parser.isSet(QStringLiteral("metadata-only"));
    if (metadataOnly || !json) {
        // The tensor table comes first and at once (metadata only), before any data is read.
        Expected<DumpSummary> dump = (*session)->open(file);
        if (!dump)
            return fail(dump.error());
        if (json)
            out << QJsonDocument(dumpToJson(*dump)).toJson(QJsonDocument::Indented);
        else
            out << dumpToText(*dump);
        out.flush();
        std::fflush(stdout); // a pipe is block-buffered: the table must not wait for the losses
        if (metadataOnly)
            return ExitOk;
    }

    Expected<AnalysisResult> result =
        (*session)->analyze(AnalyzeRequest{file, *options}, terminalProgress());
    clearTerminalProgress();
    if (!result)
        return fail(result.error());
    if (json)
        out << QJsonDocument(analysisToJson(*result)).toJson(QJsonDocument::Indented);
    else
        out << findingsToText(*result);
    out.flush();
    const bool strictFailure =
        parser.isSet(QStringLiteral("strict")) &&
        std::any_of(result->diagnostics.begin(), result->diagnostics.end(),
                    [](const Diagnostic& d) { return d.code == DiagCode::NoPairChecked; });
    const int exitCode = result->hasErrors() || strictFailure ? ExitDiagnosedErrors : ExitOk;
    if (parser.isSet(QStringLiteral("markdown"))) {
        const QString target = parser.value(QStringLiteral("markdown"));
        // Without the plot the report is core's alone: no QApplication (see commandRenders).
        const Status written =
            parser.isSet(QStringLiteral("no-plot"))
                ? saveMarkdownReport(*result, target, file)
                : exportReportMarkdown(std::make_shared<const AnalysisResult>(std::move(*result)),
                                       target, file);
        if (!written)
            return fail(written.error());
    }
    return exitCode;
}

} // namespace shapescope::cli
