// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/slab.h"
#include "tensor/tensorinfo.h"

#include <QString>
#include <vector>

namespace shapescope {

// What an axis of the input or target means for the loss.
enum class AxisRole
{
    Batch,
    Class,
    Spatial,
    Label, // a target's sequence of labels (CTC's S), not aligned with the input's time
};

QString axisRoleLetter(AxisRole role); // "N", "C", "d", "S"

// The batch axis of a tensor whose axes play `roles`: the one source the step's flow reads it
// from. 0 when the pair has no layout (its shapes could not be read), -1 when the tensor has no
// batch axis (an unbatched input, CTC's concatenated targets).
int batchAxisOf(const std::vector<AxisRole>& roles);

enum class TargetKind
{
    ClassIndices,       // int64 class per position: (), (N) or (N, d1..dk)
    ClassProbabilities, // a distribution over classes per position, of the input's shape
    MultiLabel,         // BCEWithLogits: 0/1 (or soft) per element, of the input's shape
};

QString targetKindName(TargetKind kind); // "class_indices", "class_probabilities", "multi_label"

// How a pair's axes map onto PyTorch's (N, C, d1..dk) convention, and how the kernels see the
// input: [outer][classes][inner] with `outerPerSample * inner` positions per sample.
struct PairLayout
{
    std::vector<AxisRole> inputRoles;  // one per input axis
    std::vector<AxisRole> targetRoles; // one per target axis
    TargetKind targetKind = TargetKind::ClassIndices;
    int classAxis = -1;   // the input axis of classes, -1 when there is none (1-D BCE)
    qint64 batchSize = 0; // samples (1 for unbatched input)
    qint64 numClasses = 0;
    bool batched = true;       // false for PyTorch's unbatched (C) input with a () target
    qint64 outerPerSample = 1; // product of the input axes between the batch and class axes
    qint64 inner = 1;          // product of the input axes after the class axis
    // Losses are computed when PyTorch would compute them, or when ShapeScope knows what the user
    // meant (class axis last, integer one-hot); `interpretation` then says how it read the pair.
    bool computable = false;
    QString interpretation;
    // Elementwise losses: the axis of extent 1 that one of input and target has and the other
    // lacks ((N, 1) against (N,)); torch broadcasts it, ShapeScope computes the intended loss
    // with the target viewed in the input's shape. -1 when the shapes are equal.
    int squeezedAxis = -1;

    qint64 positionsPerSample() const { return outerPerSample * inner; }
    // Sample rows of the input (axis 0 when batched, one row otherwise) in kernel terms.
    qint64 inputRowElements(const Shape& inputShape) const;
};

// The target slab matching an input slab: class-index targets lack the class axis, and a target
// with more axes than that (torch 2.9+ takes a 1-D input's target of shape (1,)) gets its extra
// leading axes of extent 1.
Slab targetSlabFor(const Slab& input, const PairLayout& layout);

} // namespace shapescope
