// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossengine.h"
#include "tensor/slab.h"

#include <functional>

namespace shapescope {

class DumpReader;
class WorkerPool;

// Calls run(outputOffset, valueOffset, length) for each stretch of `region` (a slab of an array
// of `shape`, its values in C order) that is contiguous in the array's C order: one call when
// the region is contiguous, else one per row along the last axis.
Status forEachOutputRun(
    const Shape& shape, const Slab& region,
    const std::function<Status(qint64 outputOffset, qint64 valueOffset, qint64 length)>& run);

// One sample's slice of torch's reduction='none' output (LossEngine::elementShape without
// its first axis), computed by the engine over the tiles that hold the sample only.
struct SampleElementLosses
{
    qint64 sample = 0;
    Shape shape;
    std::vector<double> losses; // C order of `shape`
};

Expected<SampleElementLosses> sampleElementLosses(DumpReader& reader, WorkerPool& pool,
                                                  const PairJob& job, qint64 sample);

// Positions of `losses` from the highest loss down (ties by position; NaN last): the order the
// per-token strip lists a sequence's tokens in.
std::vector<qint64> positionsByLoss(const std::vector<double>& losses);

} // namespace shapescope
