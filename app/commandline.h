// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analyzer.h"
#include "common/expected.h"

#include <QCommandLineParser>

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

} // namespace shapescope::cli
