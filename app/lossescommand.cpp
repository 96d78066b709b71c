// SPDX-License-Identifier: GPL-3.0-or-later
// shapescope losses FILE --csv OUT|- [loss options]
#include "commandline.h"
#include "commands.h"
#include "report/losscsv.h"
#include "sessionfactory.h"

#include <QFile>
#include <QFileInfo>
#include <cstdio>

namespace shapescope::cli {

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
