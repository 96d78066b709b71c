// SPDX-License-Identifier: GPL-3.0-or-later
// The loss kernels of losskernels.h: per-target implementations, compiled once for every
// Highway target (foreach_target.h re-includes this file) and picked at run time by
// HWY_DYNAMIC_DISPATCH for the CPU at hand (AVX-512, AVX2, SSE4 or scalar).

#include "analysis/losskernels.h"

#include "analysis/kernels/kerneltargets.h"

// Before any Highway header. Compiled targets on x86-64: AVX3 (AVX-512), AVX2, SSE4 and the
// scalar fallback. SSSE3 is left out: only pre-2008 CPUs have it without SSE4 (they get the
// scalar code), and every target is one more copy of all kernels to compile.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS HWY_SSSE3
#endif

// clang-format off: foreach_target.h must follow HWY_TARGET_INCLUDE and precede the rest
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "analysis/losskernels.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>
// clang-format on

#include "analysis/kernels/bce-inl.h"
#include "analysis/kernels/elementwise-inl.h"
#include "analysis/kernels/lanesoftmax-inl.h"
#include "analysis/kernels/rowsoftmax-inl.h"
#include "analysis/kernels/softmaxtile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Rows of at least this many vectors are reduced row by row (lanes = classes); shorter rows, and
// any strided class axis, with positions across lanes.
inline constexpr size_t kRowPathMinVectors = 4;

template <typename T> bool UseRowPath(const SoftmaxJob<T>& job)
{
    const hn::ScalableTag<T> d;
    return job.inner == 1 && size_t(job.classes) >= kRowPathMinVectors * hn::Lanes(d);
}

template <Extra kExtra, bool kSoftmax, typename T>
void SoftmaxTileStats(const SoftmaxJob<T>& job, bool rows, qint64 first, int count,
                      SoftmaxTile& tile)
{
    const hn::ScalableTag<T> d;
    if (job.classes == 0) { // torch rejects this; every position gets NaN
        std::fill(tile.max, tile.max + count, -std::numeric_limits<double>::infinity());
        std::fill(tile.argmax, tile.argmax + count, -1);
    } else if (rows) {
        RowSoftmax<kExtra, kSoftmax>(d, job, first, count, tile);
    } else {
        LaneSoftmax<kExtra, kSoftmax>(d, job, first, count, tile);
    }
}

// options.weight, or C ones where the SIMD passes need a weight to multiply by.
inline const double* WeightOrOnes(const double* weight, qint64 classes, std::vector<double>& ones)
{
    if (weight)
        return weight;
    ones.assign(size_t(classes), 1.0);
    return ones.data();
}

template <typename T>
void ClassIndexImpl(const ClassBlock<T>& block, const qint64* targets,
                    const ClassIndexOptions& options, const PositionOutputs& out)
{
    // torch only takes cross_entropy_loss_label_smoothing for label_smoothing > 0; nll has none.
    const bool smoothing = !options.inputIsLogProbabilities && options.labelSmoothing > 0.0;
    std::vector<double> ones;
    SoftmaxJob<T> job;
    job.input = block.input;
    job.classes = block.classes;
    job.inner = block.inner;
    double weightSum = 0.0;
    if (smoothing) {
        job.weight = WeightOrOnes(options.weight, block.classes, ones);
        weightSum = std::accumulate(job.weight, job.weight + block.classes, 0.0);
    }
    const bool rows = UseRowPath(job);
    SoftmaxTile tile;
    const qint64 positions = block.positions();
    for (qint64 first = 0; first < positions; first += kTilePositions) {
        const int count = int(std::min<qint64>(kTilePositions, positions - first));
        if (options.inputIsLogProbabilities)
            SoftmaxTileStats<Extra::None, false>(job, rows, first, count, tile);
        else if (smoothing)
            SoftmaxTileStats<Extra::WeightedSum, true>(job, rows, first, count, tile);
        else
            SoftmaxTileStats<Extra::None, true>(job, rows, first, count, tile);
        finishClassIndex(job, targets, options, weightSum, first, count, tile, out);
    }
}

template <typename T>
void ProbabilityImpl(const ClassBlock<T>& block, const T* targets,
                     const ProbabilityOptions& options, const PositionOutputs& out)
{
    std::vector<double> ones;
    SoftmaxJob<T> job;
    job.input = block.input;
    job.targets = targets;
    job.classes = block.classes;
    job.inner = block.inner;
    job.weight = WeightOrOnes(options.weight, block.classes, ones);
    job.smoothing = options.labelSmoothing > 0.0 ? options.labelSmoothing : 0.0;
    const bool rows = UseRowPath(job);
    SoftmaxTile tile;
    const qint64 positions = block.positions();
    for (qint64 first = 0; first < positions; first += kTilePositions) {
        const int count = int(std::min<qint64>(kTilePositions, positions - first));
        SoftmaxTileStats<Extra::Probability, true>(job, rows, first, count, tile);
        finishProbability(first, count, tile, out);
    }
}

template <typename T>
void BceImpl(const ClassBlock<T>& block, const T* targets, const BceOptions& options,
             const PositionOutputs& out)
{
    const hn::ScalableTag<T> d;
    const qint64 positions = block.positions();
    const qint64 classes = block.classes;
    if (out.loss) {
        // The kernel sees the weights in the input's precision, as torch's float32 product does.
        std::vector<T> posWeight(size_t(classes), T(1)), weight(size_t(classes), T(1));
        for (qint64 c = 0; c < classes; ++c) {
            if (options.posWeight)
                posWeight[size_t(c)] = T(options.posWeight[c]);
            if (options.weight)
                weight[size_t(c)] = T(options.weight[c]);
        }
        if (classes > 0)
            BceSums(d, block, targets, posWeight.data(), weight.data(), out.loss);
        // The mean over classes: the mean over positions then equals torch's mean over elements.
        for (qint64 p = 0; p < positions; ++p)
            out.loss[p] = classes > 0 ? out.loss[p] / double(classes)
                                      : std::numeric_limits<double>::quiet_NaN();
    }
    if (out.weight && positions > 0)
        std::fill(out.weight, out.weight + positions, 1.0);
    if (!out.logProbTarget && !out.predicted)
        return;
    for (qint64 p = 0; p < positions; ++p) {
        if (out.logProbTarget)
            out.logProbTarget[p] = std::numeric_limits<double>::quiet_NaN();
        if (out.predicted) {
            const qint64 o = p / block.inner;
            const qint64 i = p % block.inner;
            out.predicted[p] =
                scalarArgmax(block.input + o * classes * block.inner + i, classes, block.inner);
        }
    }
}

template <typename T>
void ElementwiseImpl(const ClassBlock<T>& block, const T* targets,
                     const ElementwiseOptions& options, const PositionOutputs& out)
{
    const hn::ScalableTag<T> d;
    const qint64 positions = block.positions();
    const qint64 classes = block.classes;
    if (out.loss && classes > 0) {
        std::vector<T> weight;
        if (options.weight) // in the input's precision, as torch's product is
            weight.assign(options.weight, options.weight + classes);
        const T* w = weight.empty() ? nullptr : weight.data();
        switch (options.kind) {
        case LossKind::L1:
            ElementwiseSumsFor(d, L1Op{}, block, targets, w, out.loss);
            break;
        case LossKind::SmoothL1:
            ElementwiseSumsFor(d, SmoothL1Op<T>{T(options.beta)}, block, targets, w, out.loss);
            break;
        case LossKind::Huber:
            ElementwiseSumsFor(d, HuberOp<T>{T(options.delta)}, block, targets, w, out.loss);
            break;
        case LossKind::BinaryCrossEntropy:
            ElementwiseSumsFor(d, BceProbabilityOp{}, block, targets, w, out.loss);
            break;
        case LossKind::KlDiv:
            if (options.logTarget)
                ElementwiseSumsFor(d, KlDivOp<true>{}, block, targets, w, out.loss);
            else
                ElementwiseSumsFor(d, KlDivOp<false>{}, block, targets, w, out.loss);
            break;
        default:
            ElementwiseSumsFor(d, MseOp{}, block, targets, w, out.loss);
            break;
        }
        if (options.kind != LossKind::KlDiv && classes > 1) {
            for (qint64 p = 0; p < positions; ++p)
                out.loss[p] /= double(classes);
        }
    } else if (out.loss) {
        std::fill(out.loss, out.loss + positions, std::numeric_limits<double>::quiet_NaN());
    }
    if (out.weight && positions > 0)
        std::fill(out.weight, out.weight + positions, 1.0);
    if (!out.logProbTarget && !out.predicted)
        return;
    for (qint64 p = 0; p < positions; ++p) {
        if (out.logProbTarget)
            out.logProbTarget[p] = std::numeric_limits<double>::quiet_NaN();
        if (out.predicted) {
            const qint64 o = p / block.inner;
            const qint64 i = p % block.inner;
            out.predicted[p] = classes > 1
                                   ? scalarArgmax(block.input + o * classes * block.inner + i,
                                                  classes, block.inner)
                                   : -1;
        }
    }
}

// The per-target entry points HWY_EXPORT collects (plain functions, one signature each).
void ClassIndexF32(const ClassBlock<float>& block, const qint64* targets,
                   const ClassIndexOptions& options, const PositionOutputs& out)
{
    ClassIndexImpl(block, targets, options, out);
}
void ClassIndexF64(const ClassBlock<double>& block, const qint64* targets,
                   const ClassIndexOptions& options, const PositionOutputs& out)
{
    ClassIndexImpl(block, targets, options, out);
}
void ProbabilityF32(const ClassBlock<float>& block, const float* targets,
                    const ProbabilityOptions& options, const PositionOutputs& out)
{
    ProbabilityImpl(block, targets, options, out);
}
void ProbabilityF64(const ClassBlock<double>& block, const double* targets,
                    const ProbabilityOptions& options, const PositionOutputs& out)
{
    ProbabilityImpl(block, targets, options, out);
}
void BceF32(const ClassBlock<float>& block, const float* targets, const BceOptions& options,
            const PositionOutputs& out)
{
    BceImpl(block, targets, options, out);
}
void BceF64(const ClassBlock<double>& block, const double* targets, const BceOptions& options,
            const PositionOutputs& out)
{
    BceImpl(block, targets, options, out);
}

void ElementwiseF32(const ClassBlock<float>& block, const float* targets,
                    const ElementwiseOptions& options, const PositionOutputs& out)
{
    ElementwiseImpl(block, targets, options, out);
}
void ElementwiseF64(const ClassBlock<double>& block, const double* targets,
                    const ElementwiseOptions& options, const PositionOutputs& out)
{
    ElementwiseImpl(block, targets, options, out);
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace shapescope {
namespace kernels {
HWY_EXPORT(ClassIndexF32);
HWY_EXPORT(ClassIndexF64);
HWY_EXPORT(ProbabilityF32);
HWY_EXPORT(ProbabilityF64);
HWY_EXPORT(BceF32);
HWY_EXPORT(BceF64);
HWY_EXPORT(ElementwiseF32);
HWY_EXPORT(ElementwiseF64);

std::vector<KernelTarget> availableKernelTargets()
{
    std::vector<KernelTarget> targets;
    // Lower bits are better targets on x86 (HWY_AVX3 < HWY_AVX2 < HWY_SSE4 < HWY_SCALAR).
    for (qint64 bits = hwy::SupportedTargets() & HWY_TARGETS; bits != 0; bits &= bits - 1) {
        const qint64 target = bits & -bits;
        targets.push_back({target, hwy::TargetName(target)});
    }
    return targets;
}

void forceKernelTarget(qint64 target)
{
    hwy::SetSupportedTargetsForTest(target);
}
} // namespace kernels

void classIndexLoss(const ClassBlock<float>& block, const qint64* targets,
                    const ClassIndexOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ClassIndexF32)(block, targets, options, out);
}

void classIndexLoss(const ClassBlock<double>& block, const qint64* targets,
                    const ClassIndexOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ClassIndexF64)(block, targets, options, out);
}

void probabilityLoss(const ClassBlock<float>& block, const float* targets,
                     const ProbabilityOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ProbabilityF32)(block, targets, options, out);
}

void probabilityLoss(const ClassBlock<double>& block, const double* targets,
                     const ProbabilityOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ProbabilityF64)(block, targets, options, out);
}

void bceWithLogitsLoss(const ClassBlock<float>& block, const float* targets,
                       const BceOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::BceF32)(block, targets, options, out);
}

void bceWithLogitsLoss(const ClassBlock<double>& block, const double* targets,
                       const BceOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::BceF64)(block, targets, options, out);
}

void elementwiseLoss(const ClassBlock<float>& block, const float* targets,
                     const ElementwiseOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ElementwiseF32)(block, targets, options, out);
}

void elementwiseLoss(const ClassBlock<double>& block, const double* targets,
                     const ElementwiseOptions& options, const PositionOutputs& out)
{
    HWY_DYNAMIC_DISPATCH(kernels::ElementwiseF64)(block, targets, options, out);
}

} // namespace shapescope
#endif // HWY_ONCE
