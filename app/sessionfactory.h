#pragma once

#include "common/expected.h"
#include "session/session.h"

#include <QCommandLineParser>
#include <memory>

namespace shapescope::cli {

// Options choosing how files are read (--no-isolation, --worker-timeout, --hdf5-plugins): in a
// watched worker process, this executable run as "shapescope worker", unless asked otherwise.
void addSessionOptions(QCommandLineParser& parser);
Expected<std::unique_ptr<Session>> createSession(const QCommandLineParser& parser);

} // namespace shapescope::cli
