// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "lossspec.h"
#include "pairlayout.h"
#include "tensor/tensorinfo.h"
#include "torchversion.h"

#include <vector>

namespace shapescope {

struct ShapeCheck
{
    PairLayout layout;
    std::vector<Diagnostic> diagnostics; // `pair` left at -1; the caller fills it
};

// Applies PyTorch's own checks, in PyTorch's order, to a pair's shapes and dtypes (nothing is
// read): the first check PyTorch would fail becomes an error diagnostic quoting its message,
// with the cause and a fix; patterns PyTorch accepts but that compute the wrong loss (a class
// axis that might be last) become warnings. The layout says how the kernels read the pair, and
// whether losses can be computed: when PyTorch would raise but the intent is clear (class axis
// last, integer one-hot targets, float class indices) ShapeScope computes what the fix computes.
// `weightLength` is the class weight's length, or -1 without a weight. The checks and texts
// are those of `torch.version`; where another supported release would decide otherwise
// (accept what this one refuses, or refuse what it accepts) the diagnostic's versionNote says so.
ShapeCheck checkPairShapes(const TensorInfo& input, const TensorInfo& target, const LossSpec& spec,
                           qint64 weightLength, const TorchChoice& torch);

// The layout of an input whose class axis is `classAxis` (-1: none) for a target kind.
PairLayout makePairLayout(const Shape& inputShape, int classAxis, TargetKind kind);

// A Python identifier for a tensor, used in fixes: "train_logits", "batch_0_logits" -> "logits".
QString pythonName(const TensorInfo& tensor);

} // namespace shapescope
