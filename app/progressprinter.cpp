// SPDX-License-Identifier: GPL-3.0-or-later
#include "progressprinter.h"

#include <cstdio>
#include <unistd.h>

namespace shapescope::cli {

namespace {
bool g_drawn = false;
}

ProgressCallback terminalProgress()
{
    if (!isatty(STDERR_FILENO))
        return {};
    return [](double fraction, const QString& message) {
        const int percent = static_cast<int>(fraction * 100.0 + 0.5);
        std::fprintf(stderr, "\r\033[K%3d%% %s", percent, qPrintable(message.left(100)));
        std::fflush(stderr);
        g_drawn = true;
        return true;
    };
}

void clearTerminalProgress()
{
    if (g_drawn) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        g_drawn = false;
    }
}

} // namespace shapescope::cli
