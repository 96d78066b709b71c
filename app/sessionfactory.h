#pragma once

#include "common/expected.h"
#include "session/session.h"

#include <QCommandLineParser>

#include <memory>

namespace shapescope::cli {

// Options choosing how files are read (in this process, or in a watched worker process).
void addSessionOptions(QCommandLineParser& parser);
Expected<std::unique_ptr<Session>> createSession(const QCommandLineParser& parser);

} // namespace shapescope::cli
