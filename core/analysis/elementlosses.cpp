// SPDX-License-Identifier: GPL-3.0-or-later
#include "elementlosses.h"

#include "formats/dumpreader.h"
#include "workerpool.h"

#include <algorithm>
#include <cmath>

namespace shapescope {

Status forEachOutputRun(const Shape& shape, const Slab& region,
                        const std::function<Status(qint64, qint64, qint64)>& run)
{
    const size_t rank = shape.size();
    const qint64 total = region.elementCount();
    if (rank == 0 || total == 0)
        return total == 0 ? Status::success() : run(0, 0, 1);
    std::vector<qint64> strides(rank, 1);
    for (size_t d = rank; d-- > 1;)
        strides[d - 1] = strides[d] * shape[d];
    // Contiguous when, after the first axis of extent above 1, every axis is whole.
    size_t first = 0;
    while (first < rank && region.count[first] == 1)
        ++first;
    bool contiguous = true;
    for (size_t d = first + 1; d < rank; ++d)
        contiguous = contiguous && region.start[d] == 0 && region.count[d] == shape[d];
    qint64 base = 0;
    for (size_t d = 0; d < rank; ++d)
        base += region.start[d] * strides[d];
    if (contiguous)
        return run(base, 0, total);
    const qint64 rowLength = region.count[rank - 1];
    Shape index(rank, 0);
    for (qint64 done = 0; done < total; done += rowLength) {
        qint64 offset = 0;
        for (size_t d = 0; d < rank; ++d)
            offset += (region.start[d] + index[d]) * strides[d];
        if (Status s = run(offset, done, rowLength); !s)
            return s;
        for (size_t d = rank - 1; d-- > 0;) {
            if (++index[d] < region.count[d])
                break;
            index[d] = 0;
        }
    }
    return Status::success();
}

Expected<SampleElementLosses> sampleElementLosses(DumpReader& reader, WorkerPool& pool,
                                                  const PairJob& job, qint64 sample)
{
    const TensorInfo& input = reader.tensors()[job.input];
    const Expected<Shape> shape = LossEngine::elementShape(input, job);
    if (!shape)
        return shape.failure();
    if (shape->empty() || !job.layout.batched)
        return Error{QStringLiteral("%1 has no samples to choose from").arg(input.path)};
    if (sample < 0 || sample >= shape->front())
        return Error{QStringLiteral("sample %1 is outside 0..%2 of %3")
                         .arg(sample)
                         .arg(shape->front() - 1)
                         .arg(input.path)};
    SampleElementLosses result;
    result.sample = sample;
    result.shape.assign(shape->begin() + 1, shape->end());
    result.losses.resize(size_t(checkedElementCount(result.shape)));
    PairJob one = job;
    one.firstSample = sample;
    one.sampleCount = 1;
    LossEngine engine(reader, pool);
    const Status done = engine.computeElements(
        one,
        [&](const Slab& region, const double* losses) -> Status {
            // A tile may hold neighbouring samples too: keep the chosen one's rows.
            Slab mine = region;
            const qint64 rowsBefore = sample - region.start[0];
            if (rowsBefore < 0 || rowsBefore >= region.count[0])
                return Status::success();
            const qint64 perRow = region.elementCount() / region.count[0];
            mine.start.erase(mine.start.begin());
            mine.count.erase(mine.count.begin());
            return forEachOutputRun(result.shape, mine, [&](qint64 at, qint64 from, qint64 n) {
                std::copy(losses + rowsBefore * perRow + from,
                          losses + rowsBefore * perRow + from + n, result.losses.data() + at);
                return Status::success();
            });
        },
        {});
    if (!done)
        return done.failure();
    return result;
}

std::vector<qint64> positionsByLoss(const std::vector<double>& losses)
{
    std::vector<qint64> order(losses.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = qint64(i);
    std::stable_sort(order.begin(), order.end(), [&](qint64 a, qint64 b) {
        const double la = losses[size_t(a)], lb = losses[size_t(b)];
        if (std::isnan(la) || std::isnan(lb))
            return !std::isnan(la) && std::isnan(lb);
        return la > lb;
    });
    return order;
}

} // namespace shapescope
