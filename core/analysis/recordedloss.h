// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossspec.h"
#include "tensor/tensorinfo.h"

#include <optional>

namespace shapescope {

// The loss settings a dump records as root attributes, as python/shapescope_capture.py writes
// them from the wrapped loss: "loss_class" (the class name: "CrossEntropyLoss", "NLLLoss",
// "BCEWithLogitsLoss"; another class is not applied), "ignore_index", "label_smoothing", "weight"
// and "pos_weight" ("[1, 2]"; absent or "None" for none). Applied when the user chose no settings
// of their own (the spec is LossSpec's default): the dump then speaks for the loss that produced
// it. nullopt when the dump records none of these losses; an error when a setting is not a number.
Expected<std::optional<LossSpec>> recordedLossSpec(const std::vector<GroupInfo>& groups);

// `requested`, or the dump's recorded settings when `requested` is the default.
Expected<LossSpec> effectiveLossSpec(const LossSpec& requested,
                                     const std::vector<GroupInfo>& groups);

} // namespace shapescope
