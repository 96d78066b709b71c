// SPDX-License-Identifier: GPL-3.0-or-later
#include "rundiagnostics.h"

#include "runadvice.h"
#include "runbatches.h"

namespace shapescope {

namespace {

void diagnoseRaggedBatches(AnalysisResult& result, int runIndex)
{
    const RunResult& run = result.runs[static_cast<size_t>(runIndex)];
    for (size_t step = 0; step < run.batches.size(); ++step) {
        const BatchStatistic& batch = run.batches[step];
        if (batch.ragged) {
            result.diagnostics.push_back(
                advice::raggedBatch(run, runIndex, static_cast<int>(step),
                                    result.pairs[static_cast<size_t>(batch.pair)]));
        }
    }
}

void diagnoseClassCounts(AnalysisResult& result, int runIndex)
{
    const RunResult& run = result.runs[static_cast<size_t>(runIndex)];
    std::vector<qint64> classes;
    for (int p : run.pairs)
        classes.push_back(result.pairs[static_cast<size_t>(p)].layout.numClasses);
    const qint64 usual = typicalValue(classes);
    for (size_t step = 0; step < run.pairs.size(); ++step) {
        const int p = run.pairs[step];
        const PairResult& pair = result.pairs[static_cast<size_t>(p)];
        if (classes[step] != usual && pair.layout.numClasses > 0) {
            Diagnostic d = advice::runClassCount(pair, runIndex, classes[step], usual);
            d.pair = p;
            result.diagnostics.push_back(std::move(d));
        }
    }
}

// A batch-size mismatch on the run's short batch: the model kept the usual size.
void explainShortBatchMismatches(AnalysisResult& result, int runIndex)
{
    const RunResult& run = result.runs[static_cast<size_t>(runIndex)];
    for (Diagnostic& d : result.diagnostics) {
        if (d.code != DiagCode::BatchSizeMismatch || d.pair < 0 ||
            result.pairs[static_cast<size_t>(d.pair)].run != runIndex)
            continue;
        const BatchStatistic& batch =
            run.batches[static_cast<size_t>(result.pairs[static_cast<size_t>(d.pair)].step)];
        if (batch.size != run.typicalBatchSize && batch.inputSize == run.typicalInputSize)
            advice::explainShortBatch(d, batch.size, run.typicalBatchSize);
    }
}

} // namespace

void diagnoseRuns(AnalysisResult& result)
{
    for (size_t r = 0; r < result.runs.size(); ++r) {
        const int runIndex = static_cast<int>(r);
        summarizeRunBatches(result, result.runs[r]);
        diagnoseRaggedBatches(result, runIndex);
        diagnoseClassCounts(result, runIndex);
        explainShortBatchMismatches(result, runIndex);
    }
}

} // namespace shapescope
