// SPDX-License-Identifier: GPL-3.0-or-later
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

// The losses of FILE as the loss options and session options ask, with progress on the
// terminal; tensors in no pair are not read (losses, plot).
Expected<AnalysisResult> analyzePairs(const QCommandLineParser& parser, const QString& file);

} // namespace shapescope::cli
