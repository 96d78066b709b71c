// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "expected.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <functional>

namespace shapescope {

// True when both paths name the same existing file: symlinks and relative paths resolved, and
// hard links caught by comparing device and inode.
bool isSameFile(const QString& a, const QString& b);

// Every export goes through here (CLI outputs, the GUI's reports and plots, CSV): writes `path`
// through a temporary file renamed on success, so an interrupted or failed write never leaves
// half a file, and refuses to write over `protectedPath` (the open dump; empty for none).
// Errors name the path.
Status writeAtomically(const QString& path, const QString& protectedPath,
                       const std::function<Status(QIODevice&)>& write);
Status writeAtomically(const QString& path, const QString& protectedPath, const QByteArray& bytes);

} // namespace shapescope
