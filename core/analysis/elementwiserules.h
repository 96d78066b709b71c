// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shapeadvice.h"
#include "shaperules.h"

#include <optional>

namespace shapescope {

// torch's broadcast of two shapes (ATen's infer_size): the result, or the first axis from the
// right where the extents clash (numbered in the result's rank, as torch's message numbers it).
struct Broadcast
{
    std::optional<Shape> shape;
    qint64 sizeA = 0; // the clashing extents of the first and the second shape
    qint64 sizeB = 0;
    int dim = -1;
};
Broadcast broadcastShapes(const Shape& a, const Shape& b);

// The shape checks of the elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy,
// kl_div), in torch's order: the size warning (or BCELoss's refusal), then the broadcast. When
// input and target differ only by an axis of extent 1 ((N, 1) against (N,)) the loss the user
// meant is computed, with the target viewed in the input's shape (PairLayout::squeezedAxis).
void checkElementwise(const PairContext& pair, qint64 weightLength, ShapeCheck& check);

} // namespace shapescope
