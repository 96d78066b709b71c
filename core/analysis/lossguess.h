// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossspec.h"
#include "pairing.h"
#include "tensor/tensorinfo.h"

#include <optional>

namespace shapescope {

struct LossGuess
{
    LossKind kind = LossKind::CrossEntropy;
    QString reason; // "guessed: mse, because ..."
};

// The loss a dump most likely used, from its first pair's shapes and dtypes, when the user named
// none: float targets of the input's shape with no class axis ((N,), (N, 1), (N, 1, H, W), or
// input and target differing only by an axis of extent 1) suggest regression (mse); anything
// else stays cross_entropy. The reason says which and how to choose another.
LossGuess guessLossKind(const std::vector<TensorInfo>& tensors, const Pairing& pairing);

// The kind the names alone decide, before any pairing, because the pairing depends on it: a 3-D
// log_probs beside an input- and a target-lengths tensor is CTC (ctcGuessReason).
std::optional<LossGuess> guessLossKindByNames(const std::vector<TensorInfo>& tensors);

} // namespace shapescope
