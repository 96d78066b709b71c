// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionfactory.h"

#include "formats/hdf5reader.h"
#include "inprocesssession.h"
#include "workersession.h"

#include <QFileInfo>

namespace shapescope {

Expected<std::unique_ptr<Session>> createSession(const SessionOptions& options)
{
    if (!options.isolated) {
        Hdf5Reader::setPluginLoading(options.hdf5Plugins);
        return std::unique_ptr<Session>(std::make_unique<InProcessSession>());
    }
    if (options.timeoutMs <= 0)
        return Error{QStringLiteral("the worker timeout must be positive")};
    const QFileInfo program(options.workerProgram);
    if (options.workerProgram.isEmpty() || !program.isExecutable())
        return Error{QStringLiteral("cannot run the reader process %1").arg(options.workerProgram)};
    WorkerOptions worker;
    worker.program = program.absoluteFilePath();
    worker.arguments = options.workerArguments;
    worker.timeoutMs = options.timeoutMs;
    worker.hdf5Plugins = options.hdf5Plugins;
    return std::unique_ptr<Session>(std::make_unique<WorkerSession>(std::move(worker)));
}

} // namespace shapescope
