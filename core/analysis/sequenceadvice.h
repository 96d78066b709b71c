// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "shapeadvice.h"

#include <optional>

// Shape patterns of sequence models (language models, taggers, speech) and of masks saved as
// images, recognised when PyTorch's class-index checks fail. Each names the cause torch's own
// text hides ("Expected target size [4, 50]" for labels shifted by one token) and a fix that
// runs on the dumped tensors.
namespace shapescope::advice {

// The diagnostic for `pair` when its shapes match one of the patterns below, else nullopt.
// `torchText` is what PyTorch raises for the pair (quoted verbatim).
//  - label-shift: (B, T, V) with (B, T-1) or (B, T+1), or (B*T, V) with (B*(T-1)): the labels
//    were shifted for next-token prediction and the logits were not (or the other way round);
//  - time-major-output: (T, B, C) with batch-first (B, T) targets;
//  - squeezed-batch: a batch of one whose target lost its batch axis (labels.squeeze());
//  - rgb-mask: an (N, H, W, 3) or (N, H, W, 4) colour image where class indices are wanted.
std::optional<Diagnostic> sequenceDiagnostic(const PairContext& pair, const QString& torchText);

} // namespace shapescope::advice
