// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace shapescope::cli {

// Each returns the process exit code. `arguments` starts with the program name, then the
// command name.
int runCheck(const QStringList& arguments);
int runLosses(const QStringList& arguments);
int runPlot(const QStringList& arguments);
int runDiff(const QStringList& arguments);

// Commands that draw plots (plot, check --markdown without --no-plot) need a QApplication, on the
// offscreen platform unless QT_QPA_PLATFORM names another (preferOffscreenPlatform, before it
// exists).
bool commandRenders(int argc, char** argv);
void preferOffscreenPlatform();

} // namespace shapescope::cli
