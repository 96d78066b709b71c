// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "lossspec.h"
#include "tensor/tensorinfo.h"

namespace shapescope {

// The pair a piece of advice is about, with the Python names used in fixes.
struct PairContext
{
    const TensorInfo& input;
    const TensorInfo& target;
    const LossSpec& spec;
    QString x; // python name of the input ("logits")
    QString y; // python name of the target ("labels")

    QString lossCall(const QString& inputExpr, const QString& targetExpr) const;
};

// Builders of the diagnostics the shape rules raise: each fills the code, severity, tensors,
// PyTorch's text, and an explanation and fix specific to the shapes at hand.
namespace advice {

Diagnostic batchSizeMismatch(const PairContext& pair, const QString& torchText);
Diagnostic targetShapeMismatch(const PairContext& pair, const QString& torchText);
Diagnostic classDimLast(const PairContext& pair, const QString& torchText, bool ambiguous);
Diagnostic floatClassIndices(const PairContext& pair, const QString& torchText);
Diagnostic integerTargetType(const PairContext& pair, const QString& torchText);
Diagnostic unsupportedNumpyType(const PairContext& pair, const QString& torchText);
Diagnostic oneHotTarget(const PairContext& pair, const QString& torchText);
Diagnostic weightLength(const PairContext& pair, const QString& torchText, qint64 classes,
                        qint64 weightLength);
// A class weight of the right size but not 1-D, such as (1, C).
Diagnostic weightShape(const PairContext& pair, const QString& torchText, const TensorInfo& weight,
                       qint64 classes);
Diagnostic inputDtype(const PairContext& pair, const QString& torchText);
Diagnostic ignoreIndexWithProbabilities(const PairContext& pair, const QString& torchText);
Diagnostic bceTargetShape(const PairContext& pair, const QString& torchText, bool batchOnly);
Diagnostic bceIntegerTarget(const PairContext& pair, const QString& torchText);
Diagnostic inputRank(const PairContext& pair, const QString& torchText);

} // namespace advice

} // namespace shapescope
