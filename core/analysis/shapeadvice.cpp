// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapeadvice.h"

#include "advicesupport.h"
#include "shaperules.h"
#include "tensor/dtype.h"

#include <QStringList>

namespace shapescope {

QString PairContext::lossCall(const QString& inputExpr, const QString& targetExpr) const
{
    if (isElementwise(spec.kind)) {
        return QStringLiteral("loss = F.%1(%2, %3%4)")
            .arg(lossKindName(spec.kind) +
                     (spec.kind == LossKind::BinaryCrossEntropy || spec.kind == LossKind::KlDiv
                          ? QString()
                          : QStringLiteral("_loss")),
                 inputExpr, targetExpr,
                 spec.kind == LossKind::KlDiv ? QStringLiteral(", reduction=\"batchmean\"")
                                              : QString());
    }
    const char* function = spec.kind == LossKind::Nll   ? "F.nll_loss"
                           : spec.kind == LossKind::Bce ? "F.binary_cross_entropy_with_logits"
                                                        : "F.cross_entropy";
    return QStringLiteral("loss = %1(%2, %3)").arg(QLatin1String(function), inputExpr, targetExpr);
}

namespace advice {

Diagnostic batchSizeMismatch(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::BatchSizeMismatch, Severity::Error, torchText);
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    const qint64 n = in.empty() ? 1 : in[0];
    const qint64 m = tg.empty() ? 0 : tg[0];
    d.axes = {{TensorSide::Input, 0}, {TensorSide::Target, 0}};
    d.message = QStringLiteral("input has %1 samples on axis 0 but the target has %2: %3 vs %4")
                    .arg(n)
                    .arg(m)
                    .arg(describe(pair.input), describe(pair.target));
    QStringList why;
    why << QStringLiteral("PyTorch pairs row i of the input with target i, so both need the same "
                          "first axis.");
    QString fix;
    const qint64 classes = in.size() >= 2 ? in.back() : 0;
    if (m > 0 && n > m && n % m == 0) {
        const qint64 ratio = n / m;
        if (tg.size() >= 2 && product(tg, 1, tg.size()) == ratio) {
            why << QStringLiteral("The input has %1 = %2 x %3 rows: it was flattened over the "
                                  "target's other axes, (N, T, C) -> (N*T, C), but the target "
                                  "still is %4. Flatten the target the same way.")
                       .arg(n)
                       .arg(m)
                       .arg(ratio)
                       .arg(tuple(tg));
            fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".reshape(-1)"));
        } else if (in.size() == 2) {
            why << QStringLiteral("The output has %1 rows per target: each sample was split over "
                                  "%1 rows by a flatten that does not keep the batch axis, "
                                  "x.view(-1, K) with K %1 times too small, inside forward() "
                                  "before the last layer or on the logits. Flatten per sample "
                                  "instead.")
                       .arg(ratio);
            // The dumped rows mix samples: nothing on the dump repairs them, only forward().
            fix = QStringLiteral("# in forward(), instead of x.view(-1, K):\n"
                                 "#     x = torch.flatten(x, 1)");
        }
        if (ratio == 2 || ratio == 4 || ratio == 8) {
            why << QStringLiteral(
                       "A ratio of %1 is also what nn.DataParallel over %1 devices gives "
                       "when each replica returns its outputs and they are gathered "
                       "along dim 0 while the targets were already split: compute the "
                       "loss on the gathered outputs against the whole batch.")
                       .arg(ratio);
        }
    } else if (n > 0 && m > n && m % n == 0) {
        const qint64 ratio = m / n;
        if (in.size() >= 3 && product(in, 1, in.size() - 1) == ratio) {
            why << QStringLiteral("The target was flattened to %1 = %2 x %3 entries but the input "
                                  "still is %4: flatten the input's leading axes too, keeping the "
                                  "%5 classes last.")
                       .arg(m)
                       .arg(n)
                       .arg(ratio)
                       .arg(tuple(in))
                       .arg(classes);
            fix = pair.lossCall(QStringLiteral("%1.reshape(-1, %2)").arg(pair.x).arg(classes),
                                pair.y);
        } else if (in.size() == 2) {
            why << QStringLiteral("The output has one row per %1 targets: a flatten that does not "
                                  "keep the batch axis, x.view(-1, K) with K %1 times the features "
                                  "of one sample, merged %1 samples into each row before the last "
                                  "layer (the classic view(-1, 16 * 5 * 5) after a change of image "
                                  "size). Flatten per sample, and size the next nn.Linear from it.")
                       .arg(ratio);
            fix = QStringLiteral("# in forward(), instead of x.view(-1, K):\n"
                                 "#     x = torch.flatten(x, 1)\n"
                                 "# and nn.Linear(in_features=...) must then match x.size(1)");
        }
        if (ratio == 2 || ratio == 4 || ratio == 8) {
            why << QStringLiteral("A ratio of %1 is also what one nn.DataParallel replica's output "
                                  "(1/%1 of the batch on %1 devices) against the whole batch of "
                                  "targets gives.")
                       .arg(ratio);
        }
    }
    if (fix.isEmpty()) {
        why << QStringLiteral("When the sizes are not multiples, the usual cause is a batch of a "
                              "different size than the model assumes: the last batch of an epoch "
                              "is short unless DataLoader(drop_last=True), and a hidden state, a "
                              "buffer or a view(batch_size, ...) with a hard-coded batch size "
                              "keeps the full size.");
        fix = QStringLiteral("x = x.view(x.size(0), -1)  # not x.view(batch_size, -1)\n"
                             "# or drop the short last batch:\n"
                             "loader = DataLoader(dataset, batch_size=%1, drop_last=True)")
                  .arg(qMax(n, m));
    }
    d.explanation = why.join(QLatin1Char(' '));
    d.fix = fix;
    return d;
}

Diagnostic targetShapeMismatch(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetShapeMismatch, Severity::Error, torchText);
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    d.message =
        QStringLiteral("target shape %1 does not fit input shape %2").arg(tuple(tg), tuple(in));
    if (in.size() <= 2 && tg.size() == 2 && tg[1] == 1) {
        d.explanation = QStringLiteral("The target keeps a trailing axis of length 1 (%1): "
                                       "PyTorch wants one class index per sample, shape (N,).")
                            .arg(tuple(tg));
        d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".squeeze(1)"));
    } else if (in.size() <= 2 && tg.size() >= 2 && isFloating(pair.target.dtype)) {
        d.explanation = QStringLiteral("A floating-point target is read as class probabilities "
                                       "only when it has exactly the input's shape %1; this one "
                                       "is %2.")
                            .arg(tuple(in), tuple(tg));
        d.fix = QStringLiteral("assert %1.shape == %2.shape  # one probability per class\n")
                    .arg(pair.y, pair.x) +
                pair.lossCall(pair.x, pair.y);
    } else if (in.size() <= 2 && tg.size() >= 2) {
        d.explanation = QStringLiteral("For %1 input PyTorch wants one class index per sample, "
                                       "a target of shape (%2,); this target has %3 axes.")
                            .arg(tuple(in))
                            .arg(in.empty() ? 0 : in[0])
                            .arg(tg.size());
        d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".reshape(-1)")) +
                QStringLiteral("  # if %1 holds one index per row of %2").arg(pair.y, pair.x);
    } else if (in.size() >= 3 && tg.size() == in.size() && tg.size() >= 2 && tg[1] == 1) {
        d.explanation = QStringLiteral("The target %1 keeps a channel axis of length 1, as masks "
                                       "loaded as images do; class-index targets are (N, d1, ...) "
                                       "without a channel axis.")
                            .arg(tuple(tg));
        d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".squeeze(1).long()"));
    } else if (in.size() >= 3 && tg.size() + 1 == in.size()) {
        Shape spatialIn(in.begin() + 2, in.end());
        Shape spatialTg(tg.begin() + 1, tg.end());
        d.explanation = QStringLiteral("The input's spatial size %1 differs from the target's %2: "
                                       "the prediction and the mask were resized or cropped "
                                       "differently. Resize the logits to the mask (or the mask "
                                       "with nearest-neighbour interpolation).")
                            .arg(tuple(spatialIn), tuple(spatialTg));
        d.fix = QStringLiteral("%1 = F.interpolate(%1, size=%2.shape[-%3:], mode=\"bilinear\", "
                               "align_corners=False)\n")
                    .arg(pair.x, pair.y)
                    .arg(spatialTg.size()) +
                pair.lossCall(pair.x, pair.y);
    } else if (in.size() >= 3) {
        Shape expected(in.begin() + 2, in.end());
        expected.insert(expected.begin(), in[0]);
        d.explanation = QStringLiteral("For input (N, C, d1, ...) = %1 PyTorch wants a target of "
                                       "shape %2: one class index per position. This target is "
                                       "%3.")
                            .arg(tuple(in), tuple(expected), tuple(tg));
        QStringList dims;
        for (qint64 extent : expected)
            dims << QString::number(extent);
        d.fix = pair.lossCall(
            pair.x, QStringLiteral("%1.view(%2)").arg(pair.y, dims.join(QStringLiteral(", "))));
    } else if (in.size() == 1 && tg == Shape{1}) {
        d.explanation = QStringLiteral(
            "An unbatched input (C) takes a 0-d target. torch 2.x also reads a target of one "
            "element as that class index; this release does not. A batch axis of one on the "
            "input makes the pair (1, C) against (1,), which every release accepts.");
        d.fix = pair.lossCall(pair.x + QStringLiteral(".unsqueeze(0)"), pair.y);
    } else {
        d.explanation = QStringLiteral("The shapes do not match any layout PyTorch accepts.");
        d.fix = pair.lossCall(pair.x, pair.y);
    }
    return d;
}

Diagnostic classDimLast(const PairContext& pair, const QString& torchText, bool ambiguous)
{
    const Shape& in = pair.input.shape;
    const int rank = static_cast<int>(in.size());
    const qint64 classes = in.back();
    Diagnostic d = base(pair, DiagCode::ClassDimLast,
                        ambiguous ? Severity::Warning : Severity::Error, torchText);
    d.axes = {{TensorSide::Input, 1}, {TensorSide::Input, rank - 1}};
    QStringList order{QStringLiteral("0"), QString::number(rank - 1)};
    for (int axis = 1; axis < rank - 1; ++axis)
        order << QString::number(axis);
    const QString permuted =
        QStringLiteral("%1.permute(%2)").arg(pair.x, order.join(QStringLiteral(", ")));
    const QString flattened =
        pair.lossCall(QStringLiteral("%1.reshape(-1, %2)").arg(pair.x).arg(classes),
                      pair.y + QStringLiteral(".reshape(-1)"));
    if (ambiguous) {
        d.message = QStringLiteral("input %1 could have its classes on axis 1 or on the last axis; "
                                   "PyTorch uses axis 1")
                        .arg(tuple(in));
        d.explanation = QStringLiteral("PyTorch always reads the classes from axis 1 of (N, C, d1, "
                                       "...) input. This input is %1 "
                                       "and the target %2, which fits both (N, C, d) and (N, d, C) "
                                       "because axis 1 and the last "
                                       "axis both have length %3. If the model emits (N, T, C), as "
                                       "sequence and transformer "
                                       "models do, PyTorch raises nothing and silently computes "
                                       "the loss over the wrong axis.")
                            .arg(tuple(in), tuple(pair.target.shape))
                            .arg(classes);
        d.fix = QStringLiteral("# if %1 is (N, T, C):\n").arg(pair.x) +
                pair.lossCall(permuted, pair.y) + QStringLiteral("\n# or\n") + flattened;
        return d;
    }
    d.message =
        QStringLiteral("input %1 has its %2 classes on the last axis; PyTorch wants them on "
                       "axis 1")
            .arg(tuple(in))
            .arg(classes);
    d.explanation =
        QStringLiteral(
            "The target %1 matches the input %2 without its last axis, so the model emits (N, ..., "
            "C) "
            "with the classes last, as sequence models and channels-last heads do. PyTorch reads "
            "axis 1 as the classes, so it takes %3 as the class count and the target's shape does "
            "not fit. Move the class axis to position 1, or flatten both to (N*..., C) and "
            "(N*...). "
            "ShapeScope computed the losses with the classes on the last axis.")
            .arg(tuple(pair.target.shape), tuple(in))
            .arg(in[1]);
    d.fix = pair.lossCall(permuted, pair.y) + QStringLiteral("\n# or\n") + flattened;
    return d;
}

Diagnostic weightLength(const PairContext& pair, const QString& torchText, qint64 classes,
                        qint64 weightLength)
{
    Diagnostic d = base(pair, DiagCode::ClassCountMismatch, Severity::Error, torchText);
    const QString source = pair.spec.weightTensor.isEmpty() ? QStringLiteral("the class weight")
                                                            : pair.spec.weightTensor;
    if (weightLength < 0)
        weightLength = static_cast<qint64>(pair.spec.weight.size());
    if (!pair.spec.weightTensor.isEmpty())
        d.tensors << pair.spec.weightTensor;
    d.axes = {{TensorSide::Input, pair.input.shape.size() == 1 ? 0 : 1}};
    d.message = QStringLiteral("%1 has %2 entries but the input has %3 classes")
                    .arg(source)
                    .arg(weightLength)
                    .arg(classes);
    d.explanation = QStringLiteral("A per-class weight needs exactly one entry per class. A weight "
                                   "computed from class frequencies misses classes that never "
                                   "occur in the data it was counted on; count with "
                                   "torch.bincount(..., minlength=C).");
    // Counted on the dumped target; the whole training set's labels are better.
    d.fix = QStringLiteral("counts = torch.bincount(%2[(%2 >= 0) & (%2 < %1)].long().flatten(), "
                           "minlength=%1)  # better: on all training labels\n"
                           "weight = counts.sum() / (%1 * counts.clamp(min=1))\n")
                .arg(classes)
                .arg(pair.y) +
            QStringLiteral("criterion = nn.%1(weight=weight)")
                .arg(pair.spec.kind == LossKind::Bce   ? QStringLiteral("BCEWithLogitsLoss")
                     : pair.spec.kind == LossKind::Nll ? QStringLiteral("NLLLoss")
                                                       : QStringLiteral("CrossEntropyLoss"));
    return d;
}

Diagnostic weightShape(const PairContext& pair, const QString& torchText, const TensorInfo& weight,
                       qint64 classes)
{
    Diagnostic d = base(pair, DiagCode::ClassCountMismatch, Severity::Error, torchText);
    d.tensors << weight.path;
    d.message = QStringLiteral("the class weight %1 has shape %2; PyTorch wants a 1-D tensor of "
                               "%3 entries")
                    .arg(weight.path, tuple(weight.shape))
                    .arg(classes);
    d.explanation = QStringLiteral("PyTorch checks the weight's shape, not only its size: a "
                                   "weight kept 2-D (from a (1, C) row of a DataFrame, or built "
                                   "with unsqueeze(0) for broadcasting) is refused although it "
                                   "has one entry per class.");
    const QString name = pythonName(weight);
    d.fix = QStringLiteral("loss = %1(%2, %3, weight=%4.reshape(-1))")
                .arg(pair.spec.kind == LossKind::Nll ? QStringLiteral("F.nll_loss")
                                                     : QStringLiteral("F.cross_entropy"),
                     pair.x, pair.y, name);
    return d;
}

Diagnostic bceTargetShape(const PairContext& pair, const QString& torchText, bool batchOnly)
{
    Diagnostic d =
        base(pair, batchOnly ? DiagCode::BatchSizeMismatch : DiagCode::TargetShapeMismatch,
             Severity::Error, torchText);
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    d.message = QStringLiteral("BCEWithLogitsLoss needs a target of the input's shape %1; the "
                               "target is %2")
                    .arg(tuple(in), tuple(tg));
    if (batchOnly) {
        d.axes = {{TensorSide::Input, 0}, {TensorSide::Target, 0}};
        d.explanation = QStringLiteral("Input and target differ in their batch axis: the input has "
                                       "%1 samples and the target %2. A short last batch, or a "
                                       "hard-coded batch size in the model, is the usual cause.")
                            .arg(in[0])
                            .arg(tg[0]);
        d.fix = QStringLiteral("loader = DataLoader(dataset, batch_size=..., drop_last=True)");
    } else if (in.size() == 2 && tg.size() == 1 && tg[0] == in[0] &&
               !isFloating(pair.target.dtype)) {
        d.explanation = QStringLiteral("The target holds one class index per sample, which is a "
                                       "single-label task: use CrossEntropyLoss, or one-hot encode "
                                       "the target for BCEWithLogitsLoss.");
        d.fix = QStringLiteral(
                    "loss = F.cross_entropy(%1, %2)\n# or, multi-label:\n"
                    "loss = F.binary_cross_entropy_with_logits(%1, F.one_hot(%2, %3).float())")
                    .arg(pair.x, pair.y)
                    .arg(in[1]);
    } else if (in.size() == tg.size() + 1 && in.back() == 1) {
        d.explanation = QStringLiteral("The input has a trailing axis of length 1 (one logit per "
                                       "sample) that the target lacks.");
        d.fix = pair.lossCall(pair.x + QStringLiteral(".squeeze(-1)"),
                              pair.y + QStringLiteral(".float()"));
    } else if (pair.input.elementCount() == pair.target.elementCount()) {
        d.explanation =
            QStringLiteral("BCEWithLogitsLoss compares the input and the target element "
                           "by element, so both need exactly the same shape.");
        d.fix = pair.lossCall(pair.x, pair.y + QStringLiteral(".view_as(%1).float()").arg(pair.x));
    } else {
        // Other element counts: no view of the dump pairs them; the head's size is the remedy.
        d.explanation =
            QStringLiteral("BCEWithLogitsLoss compares the input and the target element by "
                           "element. The model gives %1 outputs per sample and the target has "
                           "%2 labels: the last layer's out_features must equal the number of "
                           "labels (nn.Linear(..., %2)). No view of the dumped tensors pairs "
                           "them, so dump the output of the corrected model.")
                .arg(in.back())
                .arg(tg.back());
        d.fix = QStringLiteral("# in the model: the last layer gives one logit per label\n"
                               "#     self.head = nn.Linear(in_features, %1)")
                    .arg(tg.back());
    }
    return d;
}

Diagnostic inputRank(const PairContext& pair, const QString& torchText)
{
    Diagnostic d = base(pair, DiagCode::TargetShapeMismatch, Severity::Error, torchText);
    d.message =
        QStringLiteral("input %1 is a scalar; a loss needs class scores").arg(pair.input.path);
    d.explanation = QStringLiteral("The input has no class axis: it looks like an already "
                                   "reduced loss or a single score, not the model's logits. "
                                   "Nothing in the dump can stand for the scores: dump the "
                                   "model's output before any reduction, shape (N, C).");
    d.fix = QStringLiteral("# where the dump is written, save the model's output itself:\n"
                           "#     torch.save(logits.detach(), ...)  # shape (N, C)");
    return d;
}

} // namespace advice

} // namespace shapescope
