// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/losskernels.h"

namespace shapescope::kernels {

// The loss kernels work in two stages. SIMD passes (rowsoftmax-inl.h, lanesoftmax-inl.h) reduce
// each position's C logits to a few numbers; plain scalar code (softmaxfinish.cpp) turns those
// into PyTorch's losses. The tile is the hand-over: statistics of up to kTilePositions
// consecutive positions, struct-of-arrays so vector lanes store straight into it.
inline constexpr int kTilePositions = 128;

struct SoftmaxTile
{
    // Room past kTilePositions for full-vector stores of the widest lane group (AVX-512: 32).
    static constexpr int kCapacity = kTilePositions + 64;

    // max_c x_c over the non-NaN logits; -inf if there are none.
    alignas(64) double max[kCapacity];
    // log(sum_c exp(x_c - max)) = logsumexp(x) - max, meaningful only when max is finite.
    alignas(64) double logSumExp[kCapacity];
    // Label smoothing: sum_c w_c x_c. Probability targets: sum_c w_c t'_c x_c.
    alignas(64) double weightedSum[kCapacity];
    // Probability targets: sum_c w_c t'_c.
    alignas(64) double targetMass[kCapacity];
    // torch.argmax (first maximum), or -1 if the position has a NaN logit.
    alignas(64) qint32 argmax[kCapacity];
};

// What pass B sums besides exp(x_c - max).
enum class Extra
{
    None,        // plain cross_entropy
    WeightedSum, // class-index targets with label smoothing: sum_c w_c x_c
    Probability, // probability targets: sum_c w_c t'_c x_c and sum_c w_c t'_c
};

// One block as the SIMD passes see it.
template <typename T> struct SoftmaxJob
{
    const T* input = nullptr;
    const T* targets = nullptr; // Extra::Probability: probabilities, the input's layout
    qint64 classes = 0;
    qint64 inner = 1;
    const double* weight = nullptr; // `classes` entries; never null when Extra != None
    double smoothing = 0.0;         // Extra::Probability: t' = t * (1 - eps) + eps / C
};

// Writes the class-index outputs of positions [first, first + count) from the tile.
// `weightSum` is sum_c w_c (label smoothing only).
template <typename T>
void finishClassIndex(const SoftmaxJob<T>& job, const qint64* targets,
                      const ClassIndexOptions& options, double weightSum, qint64 first, int count,
                      const SoftmaxTile& tile, const PositionOutputs& out);

// Writes the probability-target outputs of positions [first, first + count) from the tile.
void finishProbability(qint64 first, int count, const SoftmaxTile& tile,
                       const PositionOutputs& out);

// torch.argmax over `classes` values `stride` apart: the first maximum, -1 if one is NaN
// (-1 too for no classes). For BCE, whose kernel has no max pass of its own.
template <typename T> qint32 scalarArgmax(const T* x, qint64 classes, qint64 stride);

} // namespace shapescope::kernels
