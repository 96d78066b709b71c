// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "common/expected.h"
#include "tensor/slab.h"

#include <functional>
#include <vector>

namespace shapescope {

// Which part of one sample the inspector looks at.
struct SampleSelection
{
    qint64 sample = 0;
    // For input with more than two spatial axes (N, C, D, H, W): the index along every spatial
    // axis that is not on the map (the map shows the last two), outermost first. Missing entries
    // are 0; out-of-range entries are an error.
    std::vector<qint64> sliceIndex;
};

// The blocks of the input and the target that hold one selection, and how their positions map
// onto the map: what SampleDetail is computed from.
struct SampleSlabs
{
    Slab input;
    Slab target;
    std::vector<int> mapAxes;   // input axes shown as the map (rows, then columns); may be empty
    std::vector<int> sliceAxes; // input axes fixed by SampleSelection::sliceIndex
    bool wholeSample = true;    // false when sliceAxes fix some spatial axis to one index
};

Expected<SampleSlabs> sampleSlabs(const PairLayout& layout, const Shape& inputShape,
                                  const Shape& targetShape, const SampleSelection& selection);

// One sample of a pair, recomputed with the analysis's kernels (losskernels.h) from its input
// and target values, so every number equals the analysis's: for (N, C) input the logits,
// probabilities, target, prediction and loss; for K-dim input also the per-position loss,
// target and prediction as a map (the last two spatial axes; one for (N, C, L) and (N, T, C)).
struct SampleDetail
{
    int pair = -1;
    qint64 sample = 0;
    LossKind lossKind = LossKind::CrossEntropy;
    TargetKind targetKind = TargetKind::ClassIndices;
    qint64 classes = 0;
    qint64 ignoreIndex = -100;

    std::vector<int> mapAxes; // input axes of the map; empty for (N, C)
    Shape mapShape;           // their extents: {} for (N, C), {L}, or {rows, columns}
    std::vector<int> sliceAxes;
    std::vector<qint64> sliceIndex;
    bool wholeSample = true; // false when the map is one slice of a higher-rank sample

    // Per position of the map, row-major (one entry for (N, C)):
    std::vector<double> loss;       // reduction='none'; NaN where ignored or out of range
    std::vector<qint64> target;     // class index (ignore_index kept); argmax of a distribution
    std::vector<qint32> predicted;  // argmax of the input, -1 when a row holds NaN
    std::vector<double> pTarget;    // p(target class); NaN where not applicable
    std::vector<quint8> ignored;    // target == ignore_index
    std::vector<quint8> outOfRange; // class index outside [0, C)

    // The loss the analysis reports for the sample (SampleValues::loss): the 'none' value for
    // (N, C); for K-dim the mean over counted positions (NaN when none is counted). When
    // !wholeSample, over the slice only.
    double sampleLoss = 0;
    bool sampleIgnored = false;
    qint64 countedPositions = 0;

    // The input block [outer][classes][inner] and, for probability and multi-label targets,
    // the target block of the same layout, kept so a position's class vector needs no re-read.
    std::vector<double> input;
    std::vector<double> targetValues;
    qint64 inner = 1;

    qint64 positions() const { return static_cast<qint64>(loss.size()); }
    // The position with the highest loss (0 when none is finite): where the inspector starts.
    qint64 worstPosition() const;
    // The class vector at `position`: the input values (logits, or log-probabilities for nll).
    std::vector<double> logitsAt(qint64 position) const;
    // softmax of the logits (cross_entropy), exp of the log-probabilities (nll), or the
    // element-wise sigmoid (bce).
    std::vector<double> probabilitiesAt(qint64 position) const;
    // The target distribution or multi-hot vector at `position`; empty for class indices.
    std::vector<double> targetVectorAt(qint64 position) const;
};

// Reads `count` values of a tensor as double; `sourceType` receives the stored element type.
// Session::readSlice in the GUI (so it works across the worker process).
using SlabReader = std::function<Expected<std::vector<double>>(
    const QString& tensor, const Slab& slab, DType* sourceType)>;

// Computes a detail from the blocks sampleSlabs() names. `inputType` is the input's stored type
// (float64 is computed in double, everything else in float, as the analysis does); `weight` is
// the resolved class weight (empty for none).
Expected<SampleDetail> computeSampleDetail(const PairResult& pair, const LossSpec& spec,
                                           const std::vector<double>& weight,
                                           const SampleSlabs& slabs,
                                           const std::vector<double>& inputValues, DType inputType,
                                           const std::vector<double>& targetValues);

// Everything in one call: finds the pair's shapes in `result`, resolves the class weight
// (LossSpec::weight or weightTensor), reads the slabs through `read` and computes the detail.
Expected<SampleDetail> readSampleDetail(const AnalysisResult& result, int pair,
                                        const SampleSelection& selection, const SlabReader& read);

} // namespace shapescope
