// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossspec.h"
#include "pairlayout.h"
#include "pairlosses.h"
#include "tileplan.h"

#include <functional>
#include <vector>

namespace shapescope {

class DumpReader;
class WorkerPool;

// One pair to compute, with everything resolved: tensor indices, layout and class weights.
struct PairJob
{
    int input = -1;
    int target = -1;
    PairLayout layout;
    LossSpec spec;
    std::vector<double> weight; // resolved from spec.weight or spec.weightTensor; may be empty
    // Only the tiles touching samples [firstSample, firstSample + sampleCount), when
    // sampleCount >= 0 (computeElements; one sample's losses on request).
    qint64 firstSample = 0;
    qint64 sampleCount = -1;
};

// Computes a pair's per-position losses tile by tile: the I/O lane reads chunk k + 1 while the
// pool computes chunk k's tiles with the SIMD kernels, then the tiles are folded in order. Memory
// stays at two chunks whatever the dump's size.
class LossEngine
{
public:
    LossEngine(DumpReader& reader, WorkerPool& pool, TileBudget budget = {});

    // `progress(doneInputElements)` runs after each chunk; returning false cancels.
    Expected<PairLosses> compute(const PairJob& job,
                                 const std::function<bool(qint64 doneElements)>& progress);

    // Torch's reduction='none' output, block by block: `losses` holds the values of `region`, a
    // slab of elementShape(), in C order. The blocks cover the output once, in the order the
    // input is read (sample by sample). Elementwise kinds give one value per element (not the
    // row means compute() keeps); class-index and probability targets one per position.
    using ElementSink = std::function<Status(const Slab& region, const double* losses)>;
    Status computeElements(const PairJob& job, const ElementSink& sink,
                           const std::function<bool(qint64 doneElements)>& progress);
    // The shape of torch's reduction='none' output for the pair; an error for the pairs
    // computeElements cannot give it for.
    static Expected<Shape> elementShape(const TensorInfo& input, const PairJob& job);

    // The argmax over the classes (the kernels' PositionOutputs::predicted) and the class-index
    // target of every position, tile by tile in the order the input is read: what a confusion
    // matrix counts. Class-index targets only.
    using PredictionSink =
        std::function<Status(const Tile& tile, const qint32* predicted, const qint64* targets)>;
    Status computePredictions(const PairJob& job, const PredictionSink& sink,
                              const std::function<bool(qint64 doneElements)>& progress);

    // Input elements the pair's computation will read (for progress totals).
    static qint64 workFor(const DumpReader& reader, const PairJob& job);

private:
    template <typename T>
    Expected<PairLosses>
    computeTyped(const PairJob& job, const std::function<bool(qint64)>& progress,
                 const ElementSink* sink, const PredictionSink* predictions = nullptr);

    DumpReader& m_reader;
    WorkerPool& m_pool;
    TileBudget m_budget;
};

} // namespace shapescope
