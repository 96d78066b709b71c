// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossspec.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace shapescope {

class DumpReader;

// The fixes that change the loss rather than a tensor, tried on the analysis like the tensor
// transforms (transform/transformexpr.h) and written as PyTorch code:
//   ignore_index=255                      the target value to skip
//   weight=[1, 2, 0.5]                    a class weight (also torch.tensor([...]))
//   weight=class_weight                   a tensor of the dump holding the class weight
//   criterion(logits, labels)             re-pairing: this output with this target
// Never evaluated as Python.
struct LossTransform
{
    enum class Kind
    {
        IgnoreIndex,
        Weight,
        Pair,
    };
    Kind kind = Kind::IgnoreIndex;
    qint64 ignoreIndex = -100;
    std::vector<double> weight;
    QString weightTensor; // the name of the dump's tensor holding the weight
    QString input;        // Pair: the names of the output and the target
    QString target;

    QString text() const; // canonical: "ignore_index=255", "criterion(logits, labels)"
};

// nullopt when `text` is none of the forms above (then it is a tensor statement); an error
// quoting it when it is one of them but malformed.
std::optional<Expected<LossTransform>> parseLossTransform(const QString& text);

// Applies a transform to the spec the analysis uses; fails when a name is no tensor of the dump.
// A name stands for that tensor in every step, as the fix would in the training loop.
Status applyLossTransform(const LossTransform& transform, const DumpReader& reader, LossSpec& spec);

// The statements split into the loss's (parsed) and the tensors' (as given), in order.
struct SplitTransforms
{
    std::vector<LossTransform> loss;
    QStringList tensors;
};
Expected<SplitTransforms> splitTransforms(const QStringList& statements);
// Whether every statement parses (the loss's here, the tensors' by transform/transformexpr.h).
Status parseTransforms(const QStringList& statements);

} // namespace shapescope
