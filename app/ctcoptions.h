// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/lossspec.h"
#include "common/expected.h"

#include <QCommandLineParser>

namespace shapescope::cli {

// --blank, --zero-infinity, --input-lengths PATH and --target-lengths PATH (for --loss ctc).
void addCtcOptions(QCommandLineParser& parser);
Status applyCtcOptions(const QCommandLineParser& parser, LossSpec& spec);

} // namespace shapescope::cli
