// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "session/session.h"

#include <QCommandLineParser>
#include <functional>
#include <memory>

namespace shapescope {

// How the window reads files: the command-line options that choose it (isolation, worker
// timeout, plugins) and the Session made from them once the QApplication exists.
struct SessionFactory
{
    std::function<void(QCommandLineParser&)> addOptions;
    std::function<Expected<std::unique_ptr<Session>>(const QCommandLineParser&)> create;
};

// Runs the GUI: `shapescope [--theme system|light|dark] [session options] [FILE]`. Opens FILE,
// or with no FILE the embedded 32-vs-64 batch mismatch example. Returns the exit code.
int runGui(int& argc, char** argv, const SessionFactory& sessions);

} // namespace shapescope
