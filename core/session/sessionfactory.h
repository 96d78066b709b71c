// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "session.h"

#include <QStringList>
#include <memory>

namespace shapescope {

// How the GUI and the CLI read files.
struct SessionOptions
{
    // In a watched worker process (WorkerSession), so that a file that crashes or hangs a
    // reader library costs that process only; false reads in this process (InProcessSession).
    bool isolated = true;
    // The executable serving the worker protocol and its arguments: the application itself
    // ("shapescope worker"). Required when isolated.
    QString workerProgram;
    QStringList workerArguments{QStringLiteral("worker")};
    // A worker that shows no progress for this long is stopped.
    int timeoutMs = 15000;
    // Let HDF5 load the filter plugins a file names (code from HDF5_PLUGIN_PATH runs). Off.
    bool hdf5Plugins = false;
};

Expected<std::unique_ptr<Session>> createSession(const SessionOptions& options);

} // namespace shapescope
