// SPDX-License-Identifier: GPL-3.0-or-later
// Advice for dtype problems: what PyTorch accepts as targets and inputs of each loss.
#include "advicesupport.h"
#include "shapeadvice.h"

namespace shapescope::advice {

Diagnostic floatClassIndices(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetDtype, Severity::Error, torchText);
    d.message = QStringLiteral("target %1 holds class indices as %2; PyTorch wants int64")
                    .arg(pair.target.path, dtypeName(pair.target.dtype));
    d.explanation =
        QStringLiteral("A target whose shape differs from the input's is read as one class index "
                       "per position, "
                       "and class indices must be integers (int64). Labels stored as floats, often "
                       "from a pandas "
                       "column or a float mask image, need converting. If they were meant as class "
                       "probabilities, the target must have the input's shape %1.")
            .arg(tuple(pair.input.shape));
    d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".long()"));
    return d;
}

Diagnostic integerTargetType(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetDtype, Severity::Error, torchText);
    d.message = QStringLiteral("target %1 is %2; PyTorch's loss wants int64 class indices")
                    .arg(pair.target.path, dtypeName(pair.target.dtype));
    d.explanation = QStringLiteral(
        "nll_loss (behind cross_entropy) accepts int64 targets, and uint8 only for (N, C) input. "
        "Labels collated from numpy int32 or int16 arrays, or a bool mask, keep that type; call "
        ".long() on them.");
    d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".long()"));
    return d;
}

Diagnostic unsupportedNumpyType(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetDtype, Severity::Error, torchText);
    d.message = QStringLiteral("target %1 is %2, a type PyTorch tensors do not have")
                    .arg(pair.target.path, dtypeName(pair.target.dtype));
    d.explanation = QStringLiteral("torch.from_numpy (and the DataLoader's collate) refuse "
                                   "unsigned integers wider than 8 bits; convert the labels to "
                                   "int64 in the dataset.");
    d.fix = QStringLiteral("%1 = torch.from_numpy(%1.astype(np.int64))\n").arg(pair.y) +
            pair.lossCall(pair.x, pair.y);
    return d;
}

Diagnostic oneHotTarget(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::OneHotTarget, Severity::Error, torchText);
    const int classAxis = pair.input.shape.size() == 1 ? 0 : 1;
    d.axes = {{TensorSide::Target, classAxis}};
    d.message = QStringLiteral("target %1 has the input's shape %2 but is %3: an integer one-hot "
                               "encoding")
                    .arg(pair.target.path, tuple(pair.target.shape), dtypeName(pair.target.dtype));
    d.explanation = QStringLiteral(
        "When the target has the input's shape, CrossEntropyLoss reads it as class probabilities, "
        "which must be floating point. A one-hot target made with F.one_hot is int64. Pass the "
        "class indices instead (simpler and faster), or convert the one-hot rows to float. "
        "ShapeScope computed the losses with the target as float probabilities.");
    d.fix = pair.lossCall(pair.x, QStringLiteral("%1.argmax(dim=%2)").arg(pair.y).arg(classAxis)) +
            QStringLiteral("\n# or\n") + pair.lossCall(pair.x, pair.y + QStringLiteral(".float()"));
    return d;
}

Diagnostic inputDtype(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::InputDtype, Severity::Error, torchText);
    d.message = QStringLiteral("input %1 is %2; a loss needs floating-point scores")
                    .arg(pair.input.path, dtypeName(pair.input.dtype));
    d.explanation = QStringLiteral(
        "The input holds integers, so it is not the model's raw output: often the predicted "
        "classes (logits.argmax(1)) were dumped, or the tensors were swapped. Pass the model's "
        "float scores, shape (N, C).");
    // Integer scores with a class axis convert as they are; a 1-D integer input lost its
    // scores, and only the model's output brings them back.
    d.fix = pair.input.shape.size() >= 2
                ? pair.lossCall(pair.x + QStringLiteral(".float()"), pair.y)
                : QStringLiteral("# pass the model's output itself:\n"
                                 "#     %1 = model(x)  # float scores, shape (N, C)")
                      .arg(pair.x);
    return d;
}

Diagnostic ignoreIndexWithProbabilities(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetDtype, Severity::Error, torchText);
    d.message = QStringLiteral("ignore_index=%1 cannot be used with class-probability targets")
                    .arg(pair.spec.ignoreIndex);
    d.explanation = QStringLiteral("With a target of the input's shape there is no class index to "
                                   "compare with ignore_index. Mask the positions instead, by "
                                   "zeroing their loss.");
    d.fix = QStringLiteral("loss = F.cross_entropy(%1, %2, ignore_index=-100)  # the default\n"
                           "# to skip positions, weight them: (F.cross_entropy(..., "
                           "reduction=\"none\") * keep).sum() / keep.sum()")
                .arg(pair.x, pair.y);
    return d;
}

Diagnostic bceIntegerTarget(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetDtype, Severity::Error, torchText);
    d.message = QStringLiteral("target %1 is %2; BCEWithLogitsLoss wants float targets")
                    .arg(pair.target.path, dtypeName(pair.target.dtype));
    d.explanation = QStringLiteral("BCEWithLogitsLoss computes with the target (t * log p + ...) "
                                   "and writes the result in the target's type, so 0/1 labels "
                                   "must be floating point.");
    d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".float()"));
    return d;
}

} // namespace shapescope::advice
