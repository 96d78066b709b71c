#pragma once

#include <QStringList>

namespace shapescope::cli {

// Each returns the process exit code. `arguments` starts with the program name, then the
// command name.
int runCheck(const QStringList& arguments);
int runLosses(const QStringList& arguments);

} // namespace shapescope::cli
