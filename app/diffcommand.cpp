// SPDX-License-Identifier: GPL-3.0-or-later
// shapescope diff A B [--json] [loss options]: two dumps side by side ("before and after the fix").
#include "commandline.h"
#include "commands.h"
#include "progressprinter.h"
#include "report/comparereport.h"
#include "session/dumpcompare.h"
#include "sessionfactory.h"

#include <QJsonDocument>
#include <QTextStream>

namespace shapescope::cli {

int runDiff(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compares two dumps: tensors matched by path (shape, dtype, values), and "
                       "each pair's loss and PyTorch's errors on both sides. Exit status: 0 the "
                       "same, 1 they differ, 2 a file cannot be read or a usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("diff"), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("A"), QStringLiteral("The first dump."));
    parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("The second dump."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the comparison as JSON.")});
    addLossOptions(parser);
    addSessionOptions(parser);
    if (const std::optional<int> usage = parseArguments(parser, arguments))
        return *usage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 3)
        return fail(QStringLiteral("diff needs two dumps, A and B (see shapescope diff --help)"));
    Expected<AnalysisOptions> options = lossOptions(parser);
    if (!options)
        return fail(options.error());
    Expected<std::unique_ptr<Session>> session = createSession(parser);
    if (!session)
        return fail(session.error());
    Expected<DumpComparison> comparison =
        compareDumps(**session, positional.at(1), positional.at(2), *options, terminalProgress());
    clearTerminalProgress();
    if (!comparison)
        return fail(comparison.error());
    QTextStream out(stdout);
    if (parser.isSet(QStringLiteral("json")))
        out << QJsonDocument(comparisonToJson(*comparison)).toJson(QJsonDocument::Indented);
    else
        out << comparisonToText(*comparison);
    return comparison->differs() ? ExitDiagnosedErrors : ExitOk;
}

} // namespace shapescope::cli
