// SPDX-License-Identifier: GPL-3.0-or-later
// shapescope losses FILE --csv OUT|- [loss options]
// shapescope losses FILE --per-element -o OUT.csv|OUT.npy [loss options]
#include "commandline.h"
#include "commands.h"
#include "formats/dumpreader.h"
#include "report/elementlosses.h"
#include "report/losscsv.h"
#include "segmentationcli.h"
#include "sessionfactory.h"

#include <QFile>
#include <QFileInfo>
#include <cstdio>

namespace shapescope::cli {

namespace {

// The one computed pair's per-element losses into --output.
int writePerElement(const QCommandLineParser& parser, const QString& file,
                    const AnalysisResult& result)
{
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty())
        return fail(QStringLiteral("--per-element needs --output OUT.csv or OUT.npy"));
    std::vector<int> computed;
    for (size_t p = 0; p < result.pairs.size(); ++p) {
        if (result.pairs[p].hasLosses)
            computed.push_back(int(p));
    }
    if (computed.size() != 1)
        return fail(computed.empty()
                        ? QStringLiteral("%1: no pair's losses could be computed").arg(file)
                        : QStringLiteral("%1: %2 pairs have losses; choose one with --input and "
                                         "--target")
                              .arg(file)
                              .arg(computed.size()));
    Expected<std::unique_ptr<DumpReader>> reader = openDump(file);
    if (!reader)
        return fail(reader.error());
    const Expected<AnalysisOptions> options = lossOptions(parser);
    if (Status s = saveElementLosses(**reader, result, computed.front(), output, file,
                                     options ? options->threads : 0);
        !s)
        return fail(s.error());
    return result.hasErrors() ? ExitDiagnosedErrors : ExitOk;
}

} // namespace

int runLosses(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Writes every sample's loss, as PyTorch's reduction='none' computes it, "
                       "as CSV: pair,sample,loss,target,predicted."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("losses"), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The dump."));
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Output file, or - for stdout."),
                      QStringLiteral("OUT"), QStringLiteral("-")});
    parser.addOption({QStringLiteral("per-element"),
                      QStringLiteral("Write every element of reduction='none' with its index "
                                     "(sample,i1,...,loss) to --output: CSV, or .npy "
                                     "(float32, torch's output shape).")});
    parser.addOption({QStringLiteral("confusion"),
                      QStringLiteral("Write the confusion matrix of the class-index pair (--pair "
                                     "INPUT when there are several) as CSV to --output, or to "
                                     "stdout: positions per target and predicted class, with "
                                     "per-class IoU and accuracy; ignore_index positions are "
                                     "counted apart.")});
    parser.addOption({QStringLiteral("pair"),
                      QStringLiteral("--confusion: the pair with this input tensor (or group)."),
                      QStringLiteral("INPUT")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The --per-element output file (.csv or .npy), or the "
                                     "--confusion CSV."),
                      QStringLiteral("OUT")});
    addLossOptions(parser);
    addSessionOptions(parser);
    if (const std::optional<int> usage = parseArguments(parser, arguments))
        return *usage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(QStringLiteral("losses needs exactly one FILE (see shapescope losses --help)"));
    const QString file = positional.at(1);
    Expected<AnalysisResult> result = analyzePairs(parser, file);
    if (!result)
        return fail(result.error());

    if (parser.isSet(QStringLiteral("per-element")))
        return writePerElement(parser, file, *result);
    if (parser.isSet(QStringLiteral("confusion")))
        return writeConfusion(parser, file, *result);

    const QString target = parser.value(QStringLiteral("csv"));
    if (target == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write to standard output"));
        if (Status s = writeLossCsv(*result, out); !s)
            return fail(s.error());
    } else {
        if (Status s = saveLossCsv(*result, target, file); !s)
            return fail(s.error());
    }
    return result->hasErrors() ? ExitDiagnosedErrors : ExitOk;
}

} // namespace shapescope::cli
