// SPDX-License-Identifier: GPL-3.0-or-later
#include "tileplan.h"

#include <algorithm>

namespace shapescope {

namespace {

void setKernelView(Tile& tile, const PairLayout& layout)
{
    const Shape& count = tile.input.count;
    if (layout.classAxis < 0) { // BCE without a class axis: every element is a position
        tile.outer = checkedElementCount(count);
        tile.inner = 1;
    } else {
        tile.outer = 1;
        tile.inner = 1;
        for (size_t axis = 0; axis < count.size(); ++axis) {
            if (static_cast<int>(axis) < layout.classAxis)
                tile.outer *= count[axis];
            else if (static_cast<int>(axis) > layout.classAxis)
                tile.inner *= count[axis];
        }
    }
    tile.inputElements = checkedElementCount(tile.input.count);
    tile.targetElements = checkedElementCount(tile.target.count);
}

Tile makeTile(const Slab& input, qint64 firstSample, qint64 samples, const PairLayout& layout)
{
    Tile tile;
    tile.input = input;
    tile.target = targetSlabFor(input, layout);
    tile.firstSample = firstSample;
    tile.samples = samples;
    setKernelView(tile, layout);
    return tile;
}

} // namespace

TilePlan planTiles(const Shape& inputShape, const Shape& storageChunk, const PairLayout& layout,
                   int elementSize, const TileBudget& budget)
{
    TilePlan plan;
    const int rank = static_cast<int>(inputShape.size());
    if (!layout.batched || rank == 0) {
        plan.tiles.push_back(makeTile(Slab::whole(inputShape), 0, 1, layout));
    } else {
        const qint64 samples = inputShape[0];
        const qint64 rowBytes =
            std::max<qint64>(1, layout.inputRowElements(inputShape) * elementSize);
        if (rowBytes <= budget.tileBytes) {
            qint64 rows = std::max<qint64>(1, budget.tileBytes / rowBytes);
            // Whole storage chunks per tile, so no chunk is decompressed for two tiles.
            if (!storageChunk.empty() && storageChunk[0] > 1 && storageChunk[0] <= rows)
                rows -= rows % storageChunk[0];
            for (qint64 first = 0; first < samples; first += rows) {
                const qint64 count = std::min(rows, samples - first);
                plan.tiles.push_back(
                    makeTile(Slab::rows(inputShape, first, count), first, count, layout));
            }
        } else {
            int splitAxis = -1;
            for (int axis = 1; axis < rank; ++axis) {
                if (axis != layout.classAxis && inputShape[axis] > 1) {
                    splitAxis = axis;
                    break;
                }
            }
            const qint64 units = splitAxis > 0 ? inputShape[splitAxis] : 1;
            const qint64 unitBytes = std::max<qint64>(1, rowBytes / units);
            const qint64 perTile = std::max<qint64>(1, budget.tileBytes / unitBytes);
            for (qint64 sample = 0; sample < samples; ++sample) {
                for (qint64 first = 0; first < units; first += perTile) {
                    Slab slab = Slab::rows(inputShape, sample, 1);
                    if (splitAxis > 0) {
                        slab.start[splitAxis] = first;
                        slab.count[splitAxis] = std::min(perTile, units - first);
                    }
                    plan.tiles.push_back(makeTile(slab, sample, 1, layout));
                }
            }
        }
    }
    groupChunks(plan, elementSize, budget);
    return plan;
}

TilePlan restrictToSamples(const TilePlan& plan, qint64 firstSample, qint64 count, int elementSize,
                           const TileBudget& budget)
{
    TilePlan restricted;
    for (const Tile& tile : plan.tiles) {
        if (tile.firstSample < firstSample + count &&
            tile.firstSample + std::max<qint64>(tile.samples, 1) > firstSample)
            restricted.tiles.push_back(tile);
    }
    groupChunks(restricted, elementSize, budget);
    return restricted;
}

void groupChunks(TilePlan& plan, int elementSize, const TileBudget& budget)
{
    plan.chunks.clear();
    plan.totalInputElements = 0;
    TileChunk chunk;
    for (size_t i = 0; i < plan.tiles.size(); ++i) {
        const Tile& tile = plan.tiles[i];
        if (chunk.tileCount > 0 &&
            (chunk.inputElements + tile.inputElements) * elementSize > budget.chunkBytes) {
            plan.chunks.push_back(chunk);
            chunk = TileChunk{i, 0, 0, 0};
        }
        ++chunk.tileCount;
        chunk.inputElements += tile.inputElements;
        chunk.targetElements += tile.targetElements;
        plan.totalInputElements += tile.inputElements;
    }
    if (chunk.tileCount > 0)
        plan.chunks.push_back(chunk);
}

} // namespace shapescope
