// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/diagnostic.h"

#include <QIcon>

namespace shapescope {

// Registers the embedded resources (icons, examples) of this static library; idempotent.
// Static libraries' resources are not registered by themselves: nothing references them.
void initResources();

namespace icons {

QIcon app();
QIcon severity(Severity severity);
QIcon ok();
// An icon of resources/icons by file base name: "open", "reload", "copy", ...
QIcon named(const QString& name);

} // namespace icons

} // namespace shapescope
