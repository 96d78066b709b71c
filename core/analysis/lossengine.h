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

    // Input elements the pair's computation will read (for progress totals).
    static qint64 workFor(const DumpReader& reader, const PairJob& job);

private:
    template <typename T>
    Expected<PairLosses> computeTyped(const PairJob& job,
                                      const std::function<bool(qint64)>& progress);

    DumpReader& m_reader;
    WorkerPool& m_pool;
    TileBudget m_budget;
};

} // namespace shapescope
