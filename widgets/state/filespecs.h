// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/lossspec.h"

#include <QString>
#include <optional>

namespace shapescope {

// The loss settings last used for each file, kept in QSettings so that reopening a dump brings
// back its ignore_index or pairing, while another dump starts from PyTorch's defaults. Stored
// in the worker's wire encoding tagged with the protocol version, so a LossSpec that gains
// fields invalidates old entries instead of misreading them.
namespace filespecs {

// The settings saved for `path` (an absolute path), or nullopt.
std::optional<LossSpec> load(const QString& path);
// Saves `spec` for `path`; PyTorch's defaults are stored as "nothing to restore".
void save(const QString& path, const LossSpec& spec);

inline constexpr int kMaxFiles = 50;

} // namespace filespecs

} // namespace shapescope
