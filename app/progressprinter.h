// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/progress.h"

namespace shapescope::cli {

// A progress callback for the terminal: a one-line bar on stderr, redrawn in place, and only
// when stderr is a terminal (scripts and CI see nothing).
ProgressCallback terminalProgress();
// Clears the bar's line, if one was drawn.
void clearTerminalProgress();

} // namespace shapescope::cli
