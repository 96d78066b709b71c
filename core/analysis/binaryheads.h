// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "pairlayout.h"
#include "shapeadvice.h"

#include <optional>

namespace shapescope {

// CrossEntropyLoss over a single output class, (N, 1) or (N, 1, d1..dk): log_softmax of one
// logit is 0, so every loss is exactly 0 and nothing trains. torch accepts it silently; this is
// the `single-class-output` error, whose fixes (two outputs, or BCEWithLogitsLoss on the one
// logit) run on the dumped tensors. nullopt for any other pair.
std::optional<Diagnostic> singleClassOutput(const PairContext& pair, const PairLayout& layout);

// Values a sigmoid produced can only be told apart from logits by count when each position has
// one class: a binary head ((N,), (N, 1), (N, 1, H, W)) is flagged once this many values, all in
// [0, 1], were examined.
inline constexpr qint64 kBinarySigmoidEvidence = 8;

} // namespace shapescope
