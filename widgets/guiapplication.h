#pragma once

#include "session/session.h"

#include <functional>
#include <memory>

namespace shapescope {

// Creates the Session the window reads through; called once the QApplication exists (a
// worker-process session starts its process then).
using SessionFactory = std::function<std::shared_ptr<Session>()>;

// Runs the GUI: `shapescope [--theme system|light|dark] [FILE]`. Opens FILE, or with no FILE
// the embedded 32-vs-64 batch mismatch example. Returns the exit code.
int runGui(int& argc, char** argv, const SessionFactory& createSession);

} // namespace shapescope
