// SPDX-License-Identifier: GPL-3.0-or-later
#include "runbatches.h"

#include <limits>
#include <map>

namespace shapescope {

namespace {

qint64 leadingExtent(const TensorInfo* tensor)
{
    return tensor && !tensor->shape.empty() ? tensor->shape[0] : 1;
}

} // namespace

qint64 typicalValue(const std::vector<qint64>& values)
{
    std::map<qint64, qint64> frequency;
    for (qint64 value : values)
        ++frequency[value];
    qint64 typical = 0, best = 0;
    for (const auto& [value, count] : frequency) {
        if (count >= best) { // ascending values: a tie goes to the larger
            best = count;
            typical = value;
        }
    }
    return typical;
}

void summarizeRunBatches(const AnalysisResult& result, RunResult& run)
{
    run.batches.clear();
    std::vector<qint64> sizes, inputSizes;
    for (int p : run.pairs) {
        const PairResult& pair = result.pairs[static_cast<size_t>(p)];
        BatchStatistic batch;
        batch.pair = p;
        batch.group = pair.group;
        batch.size = leadingExtent(result.dump.tensor(pair.targetTensor));
        batch.inputSize = leadingExtent(result.dump.tensor(pair.inputTensor));
        batch.meanLoss =
            pair.hasLosses ? pair.summary.mean : std::numeric_limits<double>::quiet_NaN();
        sizes.push_back(batch.size);
        inputSizes.push_back(batch.inputSize);
        run.batches.push_back(batch);
    }
    run.typicalBatchSize = typicalValue(sizes);
    run.typicalInputSize = typicalValue(inputSizes);
    for (BatchStatistic& batch : run.batches) {
        batch.ragged =
            batch.size != run.typicalBatchSize || batch.inputSize != run.typicalInputSize;
    }
}

} // namespace shapescope
