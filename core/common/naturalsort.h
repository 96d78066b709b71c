// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace shapescope {

// Orders names as people count: "batch_2" before "batch_10", digits compared by value, the rest
// case-insensitively, ties broken by the plain string so the order is total and stable.
bool naturalLess(const QString& a, const QString& b);

} // namespace shapescope
