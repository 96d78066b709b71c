// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampledetail.h"

#include "losskernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shapescope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Class indices that do not convert (NaN, beyond int64) become a value no class has.
constexpr qint64 kInvalidClass = std::numeric_limits<qint64>::min();

qint64 toClassIndex(double value)
{
    if (!std::isfinite(value) || value < -9.2e18 || value > 9.2e18)
        return kInvalidClass;
    return static_cast<qint64>(value);
}

struct KernelView
{
    qint64 outer = 1;
    qint64 inner = 1;
    qint64 classes = 1;
};

KernelView kernelView(const PairLayout& layout, const Slab& input)
{
    KernelView view;
    view.classes = layout.classAxis >= 0 ? layout.numClasses : 1;
    for (size_t axis = 0; axis < input.count.size(); ++axis) {
        const int a = static_cast<int>(axis);
        if (layout.classAxis < 0 || a < layout.classAxis)
            view.outer *= input.count[axis];
        else if (a > layout.classAxis)
            view.inner *= input.count[axis];
    }
    return view;
}

template <typename T>
void runKernels(const PairResult& pair, const LossSpec& spec, const std::vector<double>& weight,
                const KernelView& view, const std::vector<double>& inputValues,
                const std::vector<double>& targetValues, SampleDetail& detail)
{
    const std::vector<T> input(inputValues.begin(), inputValues.end());
    const ClassBlock<T> block{input.data(), view.outer, view.classes, view.inner};
    const auto positions = static_cast<size_t>(block.positions());
    std::vector<double> weights(positions);
    std::vector<double> logProbTarget(positions, kNaN);
    detail.loss.assign(positions, 0.0);
    detail.predicted.assign(positions, -1);
    const double* weightData = weight.empty() ? nullptr : weight.data();
    const TargetKind kind = pair.layout.targetKind;
    PositionOutputs out{detail.loss.data(), weights.data(),
                        kind == TargetKind::MultiLabel ? nullptr : detail.predicted.data(),
                        kind == TargetKind::ClassIndices ? logProbTarget.data() : nullptr};
    if (kind == TargetKind::ClassIndices) {
        std::vector<qint64> targets(targetValues.size());
        std::transform(targetValues.begin(), targetValues.end(), targets.begin(), toClassIndex);
        ClassIndexOptions options;
        options.weight = weightData;
        options.ignoreIndex = spec.ignoreIndex;
        options.inputIsLogProbabilities = spec.kind == LossKind::Nll;
        options.labelSmoothing = spec.kind == LossKind::CrossEntropy ? spec.labelSmoothing : 0.0;
        classIndexLoss(block, targets.data(), options, out);
        detail.target = std::move(targets);
    } else {
        const std::vector<T> targets(targetValues.begin(), targetValues.end());
        if (kind == TargetKind::ClassProbabilities) {
            probabilityLoss(block, targets.data(),
                            ProbabilityOptions{weightData, spec.labelSmoothing}, out);
        } else if (isElementwise(spec.kind)) {
            elementwiseLoss(
                block, targets.data(),
                ElementwiseOptions{spec.kind, spec.beta, spec.delta, spec.logTarget, weightData},
                out);
        } else {
            const double* posWeight = spec.posWeight.empty() ? nullptr : spec.posWeight.data();
            bceWithLogitsLoss(block, targets.data(), BceOptions{weightData, posWeight}, out);
        }
        // The class a distribution puts most mass on, for the target map.
        detail.target.assign(positions, -1);
        for (size_t p = 0; p < positions; ++p) {
            const qint64 o = static_cast<qint64>(p) / view.inner;
            const qint64 i = static_cast<qint64>(p) % view.inner;
            double best = -std::numeric_limits<double>::infinity();
            for (qint64 c = 0; c < view.classes; ++c) {
                const double v =
                    targetValues[static_cast<size_t>((o * view.classes + c) * view.inner + i)];
                if (v > best) {
                    best = v;
                    detail.target[p] = c;
                }
            }
        }
    }
    detail.pTarget.resize(positions);
    std::transform(logProbTarget.begin(), logProbTarget.end(), detail.pTarget.begin(),
                   [](double lp) { return std::exp(lp); });
}

} // namespace

Expected<SampleSlabs> sampleSlabs(const PairLayout& layout, const Shape& inputShape,
                                  const Shape& targetShape, const SampleSelection& selection)
{
    if (layout.inputRoles.size() != inputShape.size())
        return Error{QStringLiteral("the pair's layout does not fit the input's shape")};
    if (selection.sample < 0 || selection.sample >= layout.batchSize)
        return Error{QStringLiteral("sample %1 is outside the batch of %2")
                         .arg(selection.sample)
                         .arg(layout.batchSize)};
    SampleSlabs slabs;
    slabs.input = Slab::whole(inputShape);
    std::vector<int> spatial;
    for (size_t axis = 0; axis < inputShape.size(); ++axis) {
        if (layout.inputRoles[axis] == AxisRole::Batch) {
            slabs.input.start[axis] = selection.sample;
            slabs.input.count[axis] = 1;
        } else if (layout.inputRoles[axis] == AxisRole::Spatial) {
            spatial.push_back(static_cast<int>(axis));
        }
    }
    const size_t onMap = std::min<size_t>(2, spatial.size());
    slabs.mapAxes.assign(spatial.end() - static_cast<std::ptrdiff_t>(onMap), spatial.end());
    slabs.sliceAxes.assign(spatial.begin(), spatial.end() - static_cast<std::ptrdiff_t>(onMap));
    slabs.wholeSample = slabs.sliceAxes.empty();
    for (size_t k = 0; k < slabs.sliceAxes.size(); ++k) {
        const auto axis = static_cast<size_t>(slabs.sliceAxes[k]);
        const qint64 index = k < selection.sliceIndex.size() ? selection.sliceIndex[k] : 0;
        if (index < 0 || index >= inputShape[axis])
            return Error{QStringLiteral("index %1 is outside axis %2 of length %3")
                             .arg(index)
                             .arg(axis)
                             .arg(inputShape[axis])};
        slabs.input.start[axis] = index;
        slabs.input.count[axis] = 1;
    }
    slabs.target = targetSlabFor(slabs.input, layout);
    if (Status s = validateSlab(targetShape, slabs.target); !s)
        return Error{
            QStringLiteral("the target does not fit the pair's layout: %1").arg(s.error())};
    return slabs;
}

Expected<SampleDetail> computeSampleDetail(const PairResult& pair, const LossSpec& spec,
                                           const std::vector<double>& weight,
                                           const SampleSlabs& slabs,
                                           const std::vector<double>& inputValues, DType inputType,
                                           const std::vector<double>& targetValues)
{
    const PairLayout& layout = pair.layout;
    if (!layout.computable)
        return Error{pair.lossError.isEmpty()
                         ? QStringLiteral("the pair's losses cannot be computed")
                         : pair.lossError};
    if (static_cast<qint64>(inputValues.size()) != slabs.input.elementCount() ||
        static_cast<qint64>(targetValues.size()) != slabs.target.elementCount())
        return Error{QStringLiteral("the values read do not fill the sample's blocks")};
    const KernelView view = kernelView(layout, slabs.input);
    if (!weight.empty() && static_cast<qint64>(weight.size()) != view.classes)
        return Error{QStringLiteral("the class weight has %1 entries for %2 classes")
                         .arg(weight.size())
                         .arg(view.classes)};

    SampleDetail detail;
    detail.sample = slabs.input.count.empty() || !layout.batched ? 0 : slabs.input.start[0];
    detail.lossKind = spec.kind;
    detail.targetKind = layout.targetKind;
    detail.classes = view.classes;
    detail.ignoreIndex = spec.ignoreIndex;
    detail.mapAxes = slabs.mapAxes;
    detail.sliceAxes = slabs.sliceAxes;
    for (int axis : slabs.mapAxes)
        detail.mapShape.push_back(slabs.input.count[static_cast<size_t>(axis)]);
    for (int axis : slabs.sliceAxes)
        detail.sliceIndex.push_back(slabs.input.start[static_cast<size_t>(axis)]);
    detail.wholeSample = slabs.wholeSample;
    detail.inner = view.inner;

    if (inputType == DType::Float64)
        runKernels<double>(pair, spec, weight, view, inputValues, targetValues, detail);
    else
        runKernels<float>(pair, spec, weight, view, inputValues, targetValues, detail);

    const size_t positions = detail.loss.size();
    detail.ignored.assign(positions, 0);
    detail.outOfRange.assign(positions, 0);
    const bool classIndices = layout.targetKind == TargetKind::ClassIndices;
    double sum = 0;
    for (size_t p = 0; p < positions; ++p) {
        if (classIndices) {
            const qint64 target = detail.target[p];
            if (target == spec.ignoreIndex) {
                detail.ignored[p] = 1;
                detail.loss[p] = kNaN;
                continue;
            }
            if (target < 0 || target >= view.classes) {
                detail.outOfRange[p] = 1;
                detail.loss[p] = kNaN;
                continue;
            }
        }
        sum += detail.loss[p];
        ++detail.countedPositions;
    }
    // PairAccumulator's per-sample value: the 'none' value with one position per sample (0 when
    // ignored, NaN when out of range), else the mean over counted positions.
    if (layout.positionsPerSample() == 1 && positions == 1) {
        detail.sampleIgnored = detail.ignored[0] != 0;
        detail.sampleLoss = detail.sampleIgnored ? 0.0 : detail.loss[0];
    } else if (detail.countedPositions == 0) {
        detail.sampleIgnored = true;
        detail.sampleLoss = kNaN;
    } else {
        detail.sampleLoss = sum / static_cast<double>(detail.countedPositions);
    }
    detail.input = inputValues;
    if (!classIndices)
        detail.targetValues = targetValues;
    return detail;
}

Expected<SampleDetail> readSampleDetail(const AnalysisResult& result, int pairIndex,
                                        const SampleSelection& selection, const SlabReader& read)
{
    if (pairIndex < 0 || pairIndex >= static_cast<int>(result.pairs.size()))
        return Error{QStringLiteral("there is no pair %1").arg(pairIndex)};
    const PairResult& pair = result.pairs[static_cast<size_t>(pairIndex)];
    const TensorInfo* input = result.dump.tensor(pair.inputTensor);
    const TensorInfo* target = result.dump.tensor(pair.targetTensor);
    if (!input || !target)
        return Error{
            QStringLiteral("the dump has no tensor %1").arg(input ? pair.target : pair.input)};
    if (result.spec.kind == LossKind::Ctc) // a CTC sample spans time steps, not a class row
        return Error{QStringLiteral("the inspector does not show CTC samples yet; their losses "
                                    "are in the plots and the CSV")};
    if (!pair.layout.computable)
        return Error{pair.lossError.isEmpty()
                         ? QStringLiteral("the pair's losses cannot be computed")
                         : pair.lossError};
    Expected<SampleSlabs> slabs = sampleSlabs(pair.layout, input->shape, target->shape, selection);
    if (!slabs)
        return Error{slabs.error()};

    std::vector<double> weight = result.spec.weight;
    if (!result.spec.weightTensor.isEmpty()) {
        const TensorInfo* weightTensor = result.dump.find(result.spec.weightTensor);
        if (!weightTensor)
            return Error{
                QStringLiteral("the dump has no weight tensor %1").arg(result.spec.weightTensor)};
        Expected<std::vector<double>> values =
            read(weightTensor->path, Slab::whole(weightTensor->shape), nullptr);
        if (!values)
            return Error{values.error()};
        weight = std::move(*values);
    }
    DType inputType = input->dtype;
    Expected<std::vector<double>> inputValues = read(pair.input, slabs->input, &inputType);
    if (!inputValues)
        return Error{inputValues.error()};
    Expected<std::vector<double>> targetValues = read(pair.target, slabs->target, nullptr);
    if (!targetValues)
        return Error{targetValues.error()};
    Expected<SampleDetail> detail = computeSampleDetail(pair, result.spec, weight, *slabs,
                                                        *inputValues, inputType, *targetValues);
    if (detail)
        detail->pair = pairIndex;
    return detail;
}

qint64 SampleDetail::worstPosition() const
{
    qint64 worst = 0;
    double highest = -std::numeric_limits<double>::infinity();
    for (size_t p = 0; p < loss.size(); ++p) {
        if (std::isfinite(loss[p]) && loss[p] > highest) {
            highest = loss[p];
            worst = static_cast<qint64>(p);
        }
    }
    return worst;
}

std::vector<double> SampleDetail::logitsAt(qint64 position) const
{
    std::vector<double> values;
    if (position < 0 || position >= positions())
        return values;
    const qint64 o = position / inner;
    const qint64 i = position % inner;
    values.reserve(static_cast<size_t>(classes));
    for (qint64 c = 0; c < classes; ++c)
        values.push_back(input[static_cast<size_t>((o * classes + c) * inner + i)]);
    return values;
}

std::vector<double> SampleDetail::probabilitiesAt(qint64 position) const
{
    std::vector<double> values = logitsAt(position);
    if (lossKind == LossKind::BinaryCrossEntropy || lossKind == LossKind::Mse ||
        lossKind == LossKind::L1 || lossKind == LossKind::SmoothL1 || lossKind == LossKind::Huber)
        return values; // already what the model predicts: no activation to undo
    if (lossKind == LossKind::KlDiv && !values.empty()) {
        for (double& v : values)
            v = std::exp(v);
        return values;
    }
    if (lossKind == LossKind::Bce) {
        for (double& v : values)
            v = 1.0 / (1.0 + std::exp(-v));
        return values;
    }
    if (lossKind == LossKind::Nll) {
        for (double& v : values)
            v = std::exp(v);
        return values;
    }
    double highest = -std::numeric_limits<double>::infinity();
    for (double v : values)
        highest = std::isnan(v) || std::isnan(highest) ? kNaN : std::max(highest, v);
    if (!std::isfinite(highest)) {
        std::fill(values.begin(), values.end(), kNaN);
        return values;
    }
    double sum = 0;
    for (double& v : values) {
        v = std::exp(v - highest);
        sum += v;
    }
    for (double& v : values)
        v /= sum;
    return values;
}

std::vector<double> SampleDetail::targetVectorAt(qint64 position) const
{
    std::vector<double> values;
    if (targetValues.empty() || position < 0 || position >= positions())
        return values;
    const qint64 o = position / inner;
    const qint64 i = position % inner;
    for (qint64 c = 0; c < classes; ++c)
        values.push_back(targetValues[static_cast<size_t>((o * classes + c) * inner + i)]);
    return values;
}

} // namespace shapescope
