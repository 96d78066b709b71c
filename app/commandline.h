// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analyzer.h"
#include "common/expected.h"

#include <QCommandLineParser>
#include <optional>

namespace shapescope::cli {

// Exit codes shared by every command.
enum ExitCode
{
    ExitOk = 0,
    ExitDiagnosedErrors = 1,
    ExitUnreadable = 2
};

// Adds the loss options every command takes (--loss, --ignore-index, --label-smoothing,
// --weight, --pos-weight, --class-dim, --input, --target, --threads) and --torch, which
// SHAPESCOPE_TORCH_VERSION stands in for when absent.
void addLossOptions(QCommandLineParser& parser);
Expected<AnalysisOptions> lossOptions(const QCommandLineParser& parser);

// Prints "shapescope: <message>" on stderr and returns ExitUnreadable.
int fail(const QString& message);

// Parses the command's arguments. --help and --version print and exit 0; a usage error (an
// unknown option, a missing value) prints one line and gives ExitUnreadable, never
// QCommandLineParser::process's exit 1, which scripts read as "PyTorch would raise".
std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& arguments);

// --role PATH=loader|output|target|extra, repeatable.
Expected<std::vector<RoleOverride>> roleOptions(const QStringList& values);

} // namespace shapescope::cli
