// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pairlayout.h"
#include "tensor/slab.h"

#include <vector>

namespace shapescope {

// One unit of loss work: a slab of the input, the matching slab of the target, and how the
// kernels see it. A tile holds whole samples, or part of one sample when a single sample is
// larger than the tile budget (an LLM sequence of 2048 x 50257 logits, a 512 x 512 mask).
struct Tile
{
    Slab input;
    Slab target;
    qint64 firstSample = 0;
    qint64 samples = 0; // samples the tile touches (1 for part of a sample)
    qint64 outer = 0;   // kernel view [outer][classes][inner]
    qint64 inner = 1;
    qint64 inputElements = 0;
    qint64 targetElements = 0;

    qint64 positions() const { return outer * inner; }
    // Positions per sample inside this tile (all positions belong to one sample when partial).
    qint64 positionsPerSample() const { return samples > 0 ? positions() / samples : 0; }
};

// Consecutive tiles read together, so reading chunk k + 1 overlaps computing chunk k.
struct TileChunk
{
    size_t firstTile = 0;
    size_t tileCount = 0;
    qint64 inputElements = 0;
    qint64 targetElements = 0;
};

struct TileBudget
{
    qint64 tileBytes = qint64(1) << 20;   // input bytes per tile: fits the L2 cache
    qint64 chunkBytes = qint64(16) << 20; // input bytes read ahead as one chunk
};

struct TilePlan
{
    std::vector<Tile> tiles;
    std::vector<TileChunk> chunks;
    qint64 totalInputElements = 0;
};

// Splits a pair into tiles of about budget.tileBytes of input each (whole samples when they
// fit; otherwise slices along the first non-class axis after the batch axis), aligned to the
// storage's chunk rows when the tensor is chunked, and groups them into chunks.
// `elementSize` is the size of the type the input is read as.
TilePlan planTiles(const Shape& inputShape, const Shape& storageChunk, const PairLayout& layout,
                   int elementSize, const TileBudget& budget);

// The tiles of `plan` that touch samples [firstSample, firstSample + count), regrouped into
// chunks (one sample's losses on request).
TilePlan restrictToSamples(const TilePlan& plan, qint64 firstSample, qint64 count, int elementSize,
                           const TileBudget& budget);

// Groups plan.tiles into plan.chunks of at most budget.chunkBytes of input each.
void groupChunks(TilePlan& plan, int elementSize, const TileBudget& budget);

} // namespace shapescope
