// SPDX-License-Identifier: GPL-3.0-or-later
#include "elementwiserules.h"

#include "advicesupport.h"
#include "pytorchmessages.h"

namespace shapescope {

Broadcast broadcastShapes(const Shape& a, const Shape& b)
{
    const size_t rank = std::max(a.size(), b.size());
    Shape result(rank, 1);
    for (size_t k = 0; k < rank; ++k) { // k counts axes from the right, as infer_size does
        const qint64 sizeA = k < a.size() ? a[a.size() - 1 - k] : 1;
        const qint64 sizeB = k < b.size() ? b[b.size() - 1 - k] : 1;
        if (sizeA != sizeB && sizeA != 1 && sizeB != 1)
            return Broadcast{std::nullopt, sizeA, sizeB, int(rank - 1 - k)};
        result[rank - 1 - k] = sizeA == 1 ? sizeB : sizeA;
    }
    return Broadcast{result};
}

namespace {

Shape without(const Shape& shape, size_t axis)
{
    Shape result = shape;
    result.erase(result.begin() + static_cast<std::ptrdiff_t>(axis));
    return result;
}

// The axis of extent 1 of `longer` whose removal gives `shorter`, or -1.
int squeezedAxisOf(const Shape& longer, const Shape& shorter)
{
    if (longer.size() != shorter.size() + 1)
        return -1;
    for (size_t axis = longer.size(); axis-- > 0;) {
        if (longer[axis] == 1 && without(longer, axis) == shorter)
            return static_cast<int>(axis);
    }
    return -1;
}

void computeIntended(const PairContext& pair, int squeezed, ShapeCheck& check)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    check.layout.computable = true;
    check.layout.squeezedAxis = squeezed;
    if (tg.size() < in.size()) {
        check.layout.targetRoles.erase(check.layout.targetRoles.begin() + squeezed);
        check.layout.interpretation =
            QStringLiteral("target viewed in the input's shape (%1.view_as(%2))")
                .arg(pair.y, pair.x);
    } else {
        check.layout.targetRoles.insert(check.layout.targetRoles.begin() + squeezed,
                                        AxisRole::Spatial);
        check.layout.interpretation =
            QStringLiteral("target squeezed to the input's shape (%1.squeeze(%2))")
                .arg(pair.y)
                .arg(squeezed);
    }
}

QString fixFor(const PairContext& pair, int squeezed)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    if (squeezed >= 0 && tg.size() < in.size())
        return pair.lossCall(QStringLiteral("%1.squeeze(%2)").arg(pair.x).arg(squeezed), pair.y);
    if (squeezed >= 0)
        return pair.lossCall(pair.x, QStringLiteral("%1.squeeze(%2)").arg(pair.y).arg(squeezed));
    return pair.lossCall(pair.x, QStringLiteral("%1.view_as(%2)").arg(pair.y, pair.x));
}

Diagnostic broadcastWarning(const PairContext& pair, const Shape& result, int squeezed)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    // kl_div broadcasts without a word; the others warn.
    const QString torchText =
        pair.spec.kind == LossKind::KlDiv ? QString() : pytorch::broadcastTargetWarning(tg, in);
    Diagnostic d = advice::base(pair, DiagCode::BroadcastTarget, Severity::Warning, torchText);
    d.message = QStringLiteral("%1 broadcasts the input %2 against the target %3 into a %4 loss "
                               "of %5 elements instead of %6")
                    .arg(lossClassName(pair.spec.kind), advice::tuple(in), advice::tuple(tg),
                         advice::tuple(result))
                    .arg(checkedElementCount(result))
                    .arg(checkedElementCount(in));
    d.explanation = QStringLiteral(
        "PyTorch does not raise: it pairs every input element with every target element along "
        "the broadcast axes, and the mean of that matrix is not the loss you meant. The gradient "
        "pulls every prediction towards the mean of all targets.");
    d.fix = fixFor(pair, squeezed);
    for (size_t axis = 0; axis < std::max(in.size(), tg.size()); ++axis) {
        if (axis < in.size() && (axis >= tg.size() || in[axis] != tg[axis]))
            d.axes.push_back({TensorSide::Input, int(axis)});
    }
    return d;
}

} // namespace

void checkElementwise(const PairContext& pair, qint64 weightLength, ShapeCheck& check)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    const int rank = static_cast<int>(in.size());
    const int classAxis = rank >= 2 ? pair.spec.classDim.value_or(1) : -1;
    check.layout = makePairLayout(in, classAxis, TargetKind::MultiLabel);
    const QString interpretation =
        isFloating(pair.target.dtype)
            ? QString()
            : QStringLiteral("target read as float (%1.float())").arg(pair.y);
    // BCELoss's weight broadcasts against the input: per class for (N, C).
    if (weightLength >= 0 && pair.spec.kind == LossKind::BinaryCrossEntropy &&
        (classAxis != rank - 1 || weightLength != in[classAxis])) {
        const Broadcast b = broadcastShapes(in, Shape{weightLength});
        Diagnostic d = advice::weightLength(
            pair, b.shape ? QString() : pytorch::cannotBroadcast(b.sizeA, b.sizeB, b.dim),
            classAxis >= 0 ? in[classAxis] : 1, weightLength);
        check.diagnostics.push_back(d);
        return;
    }
    if (in == tg) {
        check.layout.computable = true;
        check.layout.interpretation = interpretation;
        return;
    }
    const int inputExtra = squeezedAxisOf(in, tg);
    const int targetExtra = squeezedAxisOf(tg, in);
    const int squeezed = inputExtra >= 0 ? inputExtra : targetExtra;
    const Broadcast b = broadcastShapes(in, tg);
    if (pair.spec.kind == LossKind::BinaryCrossEntropy) {
        Diagnostic d = advice::base(pair, DiagCode::TargetShapeMismatch, Severity::Error,
                                    pytorch::bceProbabilityTargetSize(tg, in));
        d.message =
            QStringLiteral("BCELoss needs a target of the input's shape %1; the target is %2")
                .arg(advice::tuple(in), advice::tuple(tg));
        d.explanation = QStringLiteral("Unlike MSELoss, BCELoss refuses to broadcast.");
        d.fix = fixFor(pair, squeezed);
        check.diagnostics.push_back(d);
    } else if (!b.shape) {
        Diagnostic d = advice::base(pair, DiagCode::TargetShapeMismatch, Severity::Error,
                                    pytorch::cannotBroadcast(b.sizeA, b.sizeB, b.dim));
        d.message = QStringLiteral("%1 cannot broadcast the input %2 against the target %3")
                        .arg(lossClassName(pair.spec.kind), advice::tuple(in), advice::tuple(tg));
        if (pair.spec.kind != LossKind::KlDiv) {
            d.explanation = QStringLiteral("PyTorch first warns: \"%1\", then fails to broadcast.")
                                .arg(pytorch::broadcastTargetWarning(tg, in));
        }
        d.fix = QStringLiteral("# the model's output and the target must have the same shape\n") +
                pair.lossCall(pair.x, pair.y);
        check.diagnostics.push_back(d);
        return;
    } else {
        check.diagnostics.push_back(broadcastWarning(pair, *b.shape, squeezed));
    }
    if (squeezed >= 0) {
        computeIntended(pair, squeezed, check);
        if (!interpretation.isEmpty())
            check.layout.interpretation += QStringLiteral("; ") + interpretation;
    }
}

} // namespace shapescope
