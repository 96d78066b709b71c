// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "losskernels.h"
#include "pairlosses.h"
#include "tileplan.h"

namespace shapescope {

// Folds the kernels' per-position outputs of each tile, in tile order, into per-sample losses
// and the pair's tallies. Running in tile order on one thread makes every sum independent of
// how many threads computed the tiles.
class PairAccumulator
{
public:
    PairAccumulator(const PairLayout& layout, const LossSpec& spec);

    // `targets` are the tile's class indices (null for other target kinds); the output arrays
    // hold tile.positions() entries.
    void addTile(const Tile& tile, const qint64* targets, const PositionOutputs& outputs);

    PairLosses& losses() { return m_losses; }
    PairLosses finish();

private:
    void addClassIndexPosition(qint64 sample, qint64 target, double loss, double weight,
                               qint32 predicted, double logProbTarget);
    void noteNonFinite(qint64 sample);

    PairLayout m_layout;
    qint64 m_ignoreIndex;
    bool m_perPosition; // one position per sample: the sample's loss is PyTorch's 'none' value
    std::vector<double> m_sampleSums;
    std::vector<qint64> m_sampleCounts;
    PairLosses m_losses;
};

} // namespace shapescope
