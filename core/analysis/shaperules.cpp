// SPDX-License-Identifier: GPL-3.0-or-later
#include "shaperules.h"

#include "binaryheads.h"
#include "elementwiserules.h"
#include "pytorchmessages.h"
#include "sequenceadvice.h"
#include "shapeadvice.h"
#include "torchchanges.h"
#include "torchverdicts.h"

#include <algorithm>
#include <optional>

namespace shapescope {

namespace {

Shape without(const Shape& shape, size_t axis)
{
    Shape result = shape;
    result.erase(result.begin() + static_cast<std::ptrdiff_t>(axis));
    return result;
}

Shape tail(const Shape& shape, size_t from)
{
    return from >= shape.size() ? Shape{} : Shape(shape.begin() + from, shape.end());
}

QString tuple(const Shape& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
           (shape.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

// The first failing check of PyTorch's class-index path.
struct TorchFailure
{
    DiagCode code;
    QString text;
    std::vector<AxisMark> axes;
};

PairLayout makeLayout(const Shape& in, int classAxis, TargetKind kind)
{
    PairLayout layout;
    layout.targetKind = kind;
    layout.classAxis = classAxis;
    layout.batched = !in.empty() && !(in.size() == 1 && classAxis == 0);
    layout.batchSize = layout.batched ? in[0] : 1;
    layout.numClasses = classAxis >= 0 ? in[classAxis] : 1;
    const size_t first = layout.batched ? 1 : 0;
    for (size_t axis = first; axis < in.size(); ++axis) {
        if (static_cast<int>(axis) < classAxis)
            layout.outerPerSample *= in[axis];
        else if (static_cast<int>(axis) > classAxis)
            layout.inner *= in[axis];
    }
    if (classAxis < 0 && layout.batched) // BCE on (N, d..): every element its own "class" of one
        layout.inner = 1, layout.outerPerSample = checkedElementCount(tail(in, 1));
    for (size_t axis = 0; axis < in.size(); ++axis) {
        if (static_cast<int>(axis) == classAxis)
            layout.inputRoles.push_back(AxisRole::Class);
        else if (axis == 0 && layout.batched)
            layout.inputRoles.push_back(AxisRole::Batch);
        else
            layout.inputRoles.push_back(AxisRole::Spatial);
    }
    layout.targetRoles = layout.inputRoles;
    if (kind == TargetKind::ClassIndices && classAxis >= 0)
        layout.targetRoles.erase(layout.targetRoles.begin() + classAxis);
    return layout;
}

// PyTorch's nll_loss_nd checks for class-index targets (the class axis is 1, or 0 for 1-D).
// The order and the texts follow the version (torchchanges.h): torch 2.x checks the target's
// dtype before the sizes and the weight, and checks a 1-D input's 1-D target differently.
std::optional<TorchFailure> classIndexChecks(const TensorInfo& input, const TensorInfo& target,
                                             qint64 weightLength, TorchVersion torch)
{
    const Shape& in = input.shape;
    const Shape& tg = target.shape;
    const qsizetype rank = static_cast<qsizetype>(in.size());
    const qint64 classes = in[rank == 1 ? 0 : 1];
    if (rank != 1 && (tg.empty() ? 0 : tg[0]) != in[0]) {
        return TorchFailure{DiagCode::BatchSizeMismatch,
                            pytorch::batchSizeMismatch(in[0], tg.empty() ? 0 : tg[0]),
                            {{TensorSide::Input, 0}, {TensorSide::Target, 0}}};
    }
    const bool needsLong = rank > 2; // nll_loss2d takes only int64; nll_loss also takes uint8
    const TorchFailure dtypeFailure{
        DiagCode::TargetDtype, pytorch::targetDtype(torch, target.dtype, needsLong), {}};
    const bool dtypeFirst = torchHas(torch, TorchChange::TargetDtypeCheckedFirst) &&
                            target.dtype != DType::Int64 && target.dtype != DType::UInt8;
    if (rank <= 2) {
        if (tg.size() > 1) {
            return TorchFailure{DiagCode::TargetShapeMismatch,
                                pytorch::multiTargetNotSupported(),
                                {{TensorSide::Target, 1}}};
        }
        if (dtypeFirst)
            return dtypeFailure;
        if (rank == 1 && tg.size() == 1 && torchHas(torch, TorchChange::OneDimTargetSizeOne)) {
            if (tg[0] != 1) {
                return TorchFailure{DiagCode::TargetShapeMismatch,
                                    pytorch::oneDimTargetSize(tg[0]),
                                    {{TensorSide::Target, 0}}};
            }
        } else if (rank == 1 && !tg.empty() && tg[0] != in[0]) {
            return TorchFailure{DiagCode::TargetShapeMismatch,
                                pytorch::sizeMismatch1d(in, tg),
                                {{TensorSide::Input, 0}, {TensorSide::Target, 0}}};
        }
        if (weightLength >= 0 && weightLength != classes) {
            return TorchFailure{DiagCode::ClassCountMismatch,
                                pytorch::weightForAllClasses(classes, {weightLength}, false),
                                {{TensorSide::Input, rank == 1 ? 0 : 1}}};
        }
    } else {
        if (rank == 4 && tg.size() != 3) {
            return TorchFailure{DiagCode::TargetShapeMismatch,
                                pytorch::spatialTargetsOnly(static_cast<qsizetype>(tg.size())),
                                {}};
        }
        if (rank != 4 && tail(tg, 1) != tail(in, 2)) {
            Shape expected = tail(in, 2);
            expected.insert(expected.begin(), in[0]);
            std::vector<AxisMark> axes;
            for (size_t axis = 2; axis < in.size(); ++axis) {
                if (axis - 1 >= tg.size() || tg[axis - 1] != in[axis])
                    axes.push_back({TensorSide::Input, static_cast<int>(axis)});
            }
            return TorchFailure{DiagCode::TargetShapeMismatch,
                                pytorch::expectedTargetSize(expected, tg), axes};
        }
        if (dtypeFirst)
            return dtypeFailure;
        if (weightLength >= 0 && weightLength != classes) {
            return TorchFailure{DiagCode::ClassCountMismatch,
                                pytorch::weightForAllOrNoClasses(),
                                {{TensorSide::Input, 1}}};
        }
        if (rank == 4 && (in[2] != tg[1] || in[3] != tg[2])) {
            std::vector<AxisMark> axes;
            for (int axis = 2; axis < 4; ++axis) {
                if (in[axis] != tg[axis - 1]) {
                    axes.push_back({TensorSide::Input, axis});
                    axes.push_back({TensorSide::Target, axis - 1});
                }
            }
            return TorchFailure{DiagCode::TargetShapeMismatch, pytorch::sizeMismatch2d(in, tg),
                                axes};
        }
    }
    const bool acceptedType =
        target.dtype == DType::Int64 || (!needsLong && target.dtype == DType::UInt8);
    if (!acceptedType)
        return dtypeFailure;
    return std::nullopt;
}

} // namespace

PairLayout makePairLayout(const Shape& inputShape, int classAxis, TargetKind kind)
{
    return makeLayout(inputShape, classAxis, kind);
}

QString pythonName(const TensorInfo& tensor)
{
    QString name = tensor.name;
    for (QChar& c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    if (name.isEmpty() || name[0].isDigit())
        name.prepend(QLatin1Char('t'));
    return name;
}

namespace {

bool isClassDimLastPattern(const Shape& in, const Shape& tg)
{
    return in.size() >= 3 && Shape(in.begin(), in.end() - 1) == tg;
}

void computeWith(ShapeCheck& check, const Shape& in, int classAxis, TargetKind kind,
                 const QString& interpretation = {})
{
    check.layout = makeLayout(in, classAxis, kind);
    check.layout.computable = true;
    check.layout.interpretation = interpretation;
}

Diagnostic classIndexDiagnostic(const PairContext& pair, const TorchFailure& failure)
{
    Diagnostic diagnostic;
    if (failure.code == DiagCode::BatchSizeMismatch)
        diagnostic = advice::batchSizeMismatch(pair, failure.text);
    else if (failure.code == DiagCode::ClassCountMismatch)
        diagnostic = advice::weightLength(
            pair, failure.text, pair.input.shape[pair.input.shape.size() == 1 ? 0 : 1], -1);
    else if (failure.code == DiagCode::TargetDtype)
        diagnostic = isFloating(pair.target.dtype) ? advice::floatClassIndices(pair, failure.text)
                                                   : advice::integerTargetType(pair, failure.text);
    else
        diagnostic = advice::targetShapeMismatch(pair, failure.text);
    if (diagnostic.axes.empty())
        diagnostic.axes = failure.axes;
    return diagnostic;
}

void checkProbabilityTarget(const PairContext& pair, qint64 weightLength, int classAxis,
                            TorchVersion torch, ShapeCheck& check)
{
    const Shape& in = pair.input.shape;
    const qint64 classes = in[classAxis];
    const bool integerTarget = !isFloating(pair.target.dtype);
    if (integerTarget) {
        check.diagnostics.push_back(advice::oneHotTarget(
            pair, pytorch::expectedFloatingProbabilities(torch, pair.target.dtype)));
    } else if (pair.spec.ignoreIndex >= 0) {
        check.diagnostics.push_back(
            advice::ignoreIndexWithProbabilities(pair, pytorch::ignoreIndexWithProbabilities()));
    }
    if (weightLength >= 0 && weightLength != classes) {
        if (!integerTarget) {
            check.diagnostics.push_back(advice::weightLength(
                pair, pytorch::weightForAllClasses(classes, {weightLength}, true), classes,
                weightLength));
        }
        check.layout = makeLayout(in, classAxis, TargetKind::ClassProbabilities);
        return;
    }
    computeWith(check, in, classAxis, TargetKind::ClassProbabilities,
                integerTarget
                    ? QStringLiteral("target read as class probabilities (%1.float())").arg(pair.y)
                    : QString());
}

void checkClassIndexTarget(const PairContext& pair, qint64 weightLength, TorchVersion torch,
                           ShapeCheck& check)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    const int rank = static_cast<int>(in.size());
    const int defaultAxis = rank == 1 ? 0 : 1;

    // numpy dtypes torch has no tensor type for fail in torch.from_numpy, before any loss.
    const bool numpyOnly = pytorch::scalarTypeName(pair.target.dtype, torch).isEmpty();
    const std::optional<TorchFailure> failure =
        numpyOnly ? std::nullopt : classIndexChecks(pair.input, pair.target, weightLength, torch);

    int classAxis = defaultAxis;
    if (pair.spec.classDim)
        classAxis = *pair.spec.classDim;
    else if (failure && isClassDimLastPattern(in, tg))
        classAxis = rank - 1;
    // torch 2.x reads a 1-D input's target of one element as the scalar class index.
    const bool oneElementTarget =
        rank == 1 && tg == Shape{1} && torchHas(torch, TorchChange::OneDimTargetSizeOne);
    const bool targetFitsAxis =
        classAxis >= 0 && classAxis < rank && (without(in, classAxis) == tg || oneElementTarget);

    if (numpyOnly) {
        check.diagnostics.push_back(
            advice::unsupportedNumpyType(pair, pytorch::numpyConversion(pair.target.dtype)));
    }
    if (failure && classAxis != defaultAxis && targetFitsAxis && classAxis == rank - 1) {
        check.diagnostics.push_back(advice::classDimLast(pair, failure->text, false));
    } else if (failure) {
        std::optional<Diagnostic> sequence = advice::sequenceDiagnostic(pair, failure->text);
        // A (B, T, V) or (T, B, V) sequence output keeps its vocabulary last: the bench shows
        // that axis as the classes, never as a spatial axis.
        if (sequence && rank == 3 && !pair.spec.classDim &&
            (sequence->code == DiagCode::TimeMajorOutput ||
             (sequence->code == DiagCode::LabelShift && sequence->axes.front().axis == 1)))
            classAxis = rank - 1;
        check.diagnostics.push_back(sequence ? *sequence : classIndexDiagnostic(pair, *failure));
    } else if (!pair.spec.classDim && isClassDimLastPattern(in, tg)) {
        // (N, C, C) with an (N, C) target: PyTorch takes axis 1 as the classes; if the model
        // emits (N, T, C) with T == C, the loss is silently computed over the wrong axis.
        check.diagnostics.push_back(advice::classDimLast(pair, QString(), true));
    }

    const bool typeOnly = failure && failure->code == DiagCode::TargetDtype;
    if (!targetFitsAxis || (failure && !typeOnly && classAxis == defaultAxis) ||
        (failure && failure->code == DiagCode::ClassCountMismatch)) {
        check.layout = makeLayout(in, std::clamp(classAxis, 0, rank - 1), TargetKind::ClassIndices);
        return;
    }
    QString interpretation;
    if (classAxis != defaultAxis) {
        interpretation = QStringLiteral("class axis %1 (of %2) taken as the classes")
                             .arg(classAxis)
                             .arg(tuple(in));
    } else if (typeOnly || numpyOnly) {
        interpretation =
            QStringLiteral("target read as int64 class indices (%1.long())").arg(pair.y);
    }
    computeWith(check, in, classAxis, TargetKind::ClassIndices, interpretation);
    if (oneElementTarget)
        check.layout.targetRoles = {AxisRole::Batch};
}

void checkBce(const PairContext& pair, qint64 weightLength, TorchVersion torch, ShapeCheck& check)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    const int rank = static_cast<int>(in.size());
    const int classAxis = rank >= 2 ? pair.spec.classDim.value_or(1) : -1;
    if (tg != in) {
        const bool batchOnly = !in.empty() && tg.size() == in.size() && tail(tg, 1) == tail(in, 1);
        check.diagnostics.push_back(
            advice::bceTargetShape(pair, pytorch::bceTargetSize(tg, in), batchOnly));
        check.layout = makeLayout(in, classAxis, TargetKind::MultiLabel);
        return;
    }
    const qint64 classes = classAxis >= 0 ? in[classAxis] : 1;
    const qint64 posWeightLength = static_cast<qint64>(pair.spec.posWeight.size());
    const qint64 badLength = weightLength >= 0 && weightLength != classes        ? weightLength
                             : posWeightLength > 0 && posWeightLength != classes ? posWeightLength
                                                                                 : -1;
    if (badLength >= 0) {
        check.diagnostics.push_back(advice::weightLength(pair, QString(), classes, badLength));
        check.layout = makeLayout(in, classAxis, TargetKind::MultiLabel);
        return;
    }
    QString interpretation;
    if (!isFloating(pair.target.dtype)) {
        check.diagnostics.push_back(advice::bceIntegerTarget(
            pair, pytorch::bceCannotCast(torch, pair.input.dtype, pair.target.dtype)));
        interpretation = QStringLiteral("target read as float (%1.float())").arg(pair.y);
    }
    computeWith(check, in, classAxis, TargetKind::MultiLabel, interpretation);
}

ShapeCheck checkPairShapesFor(const TensorInfo& input, const TensorInfo& target,
                              const LossSpec& requested, qint64 weightLength, TorchVersion torch)
{
    const Shape& in = input.shape;
    const int rank = static_cast<int>(in.size());
    LossSpec spec = requested;
    if (spec.classDim && *spec.classDim < 0) // PyTorch-style: -1 is the last axis
        spec.classDim = *spec.classDim + rank;
    const PairContext pair{input, target, spec, pythonName(input), pythonName(target)};
    ShapeCheck check;
    if (spec.classDim && rank > 0 && (*spec.classDim < 0 || *spec.classDim >= rank)) {
        Diagnostic diagnostic = advice::targetShapeMismatch(pair, QString());
        diagnostic.message =
            QStringLiteral("--class-dim %1 is not an axis of %2, which has %3 axes")
                .arg(*spec.classDim)
                .arg(input.path)
                .arg(rank);
        check.diagnostics.push_back(diagnostic);
        return check;
    }
    if (spec.kind == LossKind::Bce) {
        checkBce(pair, weightLength, torch, check);
        return check;
    }
    if (isElementwise(spec.kind)) {
        checkElementwise(pair, weightLength, check);
        return check;
    }
    const bool sameShape = in == target.shape;
    const bool probabilities = spec.kind == LossKind::CrossEntropy && sameShape;
    if (rank == 0 && !probabilities) {
        // cross_entropy's log_softmax(x, 1) fails first; nll_loss checks the rank itself.
        check.diagnostics.push_back(advice::inputRank(pair, spec.kind == LossKind::CrossEntropy
                                                                ? pytorch::dimensionOutOfRange(0, 1)
                                                                : pytorch::expectedDimensions(0)));
        return check;
    }
    // log_softmax runs before any of nll_loss's checks, so a non-float input fails first.
    if (spec.kind == LossKind::CrossEntropy && !isFloating(input.dtype) && rank > 0) {
        const int axis = spec.classDim.value_or(rank == 1 ? 0 : 1);
        check.diagnostics.push_back(advice::inputDtype(
            pair, pytorch::softmaxNotImplemented(torch, input.dtype, axis == rank - 1)));
        check.layout = makeLayout(in, axis, TargetKind::ClassIndices);
        return check;
    }
    if (probabilities) {
        if (rank == 0) {
            check.diagnostics.push_back(advice::inputRank(
                pair, pytorch::expectedFloatingProbabilities(torch, target.dtype)));
            return check;
        }
        checkProbabilityTarget(pair, weightLength, spec.classDim.value_or(rank == 1 ? 0 : 1), torch,
                               check);
        return check;
    }
    checkClassIndexTarget(pair, weightLength, torch, check);
    return check;
}

} // namespace

ShapeCheck checkPairShapes(const TensorInfo& input, const TensorInfo& target, const LossSpec& spec,
                           qint64 weightLength, const TorchChoice& torch)
{
    ShapeCheck check = checkPairShapesFor(input, target, spec, weightLength, torch.version);
    const PairContext pair{input, target, spec, pythonName(input), pythonName(target)};
    if (std::optional<Diagnostic> single = singleClassOutput(pair, check.layout))
        check.diagnostics.push_back(*single);
    addVersionNotes(check, input, target, torch, [&](TorchVersion other) {
        return checkPairShapesFor(input, target, spec, weightLength, other).diagnostics;
    });
    return check;
}

} // namespace shapescope
