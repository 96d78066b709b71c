#include "rundiagnostics.h"

#include <cmath>
#include <limits>
#include <map>

namespace shapescope {

namespace {

// The most common value (the smallest among equally common ones).
qint64 mode(const std::vector<qint64>& values)
{
    std::map<qint64, int> counts;
    for (qint64 v : values)
        ++counts[v];
    qint64 best = values.empty() ? 0 : values.front();
    int bestCount = 0;
    for (const auto& [value, count] : counts) {
        if (count > bestCount) {
            best = value;
            bestCount = count;
        }
    }
    return best;
}

const TensorInfo* findTensor(const DumpSummary& dump, const QString& path)
{
    for (const TensorInfo& tensor : dump.tensors) {
        if (tensor.path == path)
            return &tensor;
    }
    return nullptr;
}

qint64 leadingExtent(const TensorInfo* tensor)
{
    return tensor && !tensor->shape.empty() ? tensor->shape[0] : 1;
}

} // namespace

void diagnoseRuns(AnalysisResult& result)
{
    for (size_t r = 0; r < result.runs.size(); ++r) {
        RunResult& run = result.runs[r];
        std::vector<qint64> inputSizes, targetSizes, classes;
        for (int p : run.pairs) {
            const PairResult& pair = result.pairs[p];
            inputSizes.push_back(leadingExtent(findTensor(result.dump, pair.input)));
            targetSizes.push_back(leadingExtent(findTensor(result.dump, pair.target)));
            classes.push_back(pair.layout.numClasses);
            BatchStatistic batch;
            batch.pair = p;
            batch.group = pair.group;
            batch.size = targetSizes.back();
            batch.meanLoss = pair.hasLosses ? pair.summary.mean : std::numeric_limits<double>::quiet_NaN();
            run.batches.push_back(batch);
        }
        const qint64 usualInput = mode(inputSizes);
        const qint64 usualTarget = mode(targetSizes);
        const qint64 usualClasses = mode(classes);
        for (size_t step = 0; step < run.pairs.size(); ++step) {
            const int p = run.pairs[step];
            const PairResult& pair = result.pairs[p];
            const bool last = step + 1 == run.pairs.size();
            const bool raggedInput = inputSizes[step] != usualInput;
            const bool raggedTarget = targetSizes[step] != usualTarget;
            if (raggedInput || raggedTarget) {
                Diagnostic d;
                d.code = QStringLiteral("ragged-batch");
                d.severity = Severity::Warning;
                d.pair = p;
                d.run = static_cast<int>(r);
                d.tensors = {pair.input, pair.target};
                if (raggedInput)
                    d.axes.push_back({TensorSide::Input, 0});
                if (raggedTarget)
                    d.axes.push_back({TensorSide::Target, 0});
                const qint64 size = raggedTarget ? targetSizes[step] : inputSizes[step];
                const qint64 usual = raggedTarget ? usualTarget : usualInput;
                d.message = QStringLiteral("batch %1 of %2 (%3) has %4 samples; the other batches "
                                           "have %5")
                                .arg(step)
                                .arg(run.name, pair.group.isEmpty() ? pair.input : pair.group)
                                .arg(size)
                                .arg(usual);
                d.explanation =
                    (last ? QStringLiteral("The last batch of an epoch is short whenever the "
                                           "dataset's length is not a multiple of the batch size "
                                           "and the DataLoader keeps it (drop_last=False). ")
                          : QStringLiteral("A batch in the middle of the run differs in size: a "
                                           "sampler or collate function that drops or adds "
                                           "samples. ")) +
                    QStringLiteral("Code that assumes a fixed batch size (a view(batch_size, ...), "
                                   "a hidden state or buffer allocated once) breaks on it, and "
                                   "BatchNorm statistics from a tiny batch are noisy.");
                d.fix = QStringLiteral("loader = DataLoader(dataset, batch_size=%1, shuffle=True, "
                                       "drop_last=True)\n"
                                       "# or size everything from the batch: x.view(x.size(0), -1)")
                            .arg(usual);
                result.diagnostics.push_back(d);
            }
            if (classes[step] != usualClasses && pair.layout.numClasses > 0) {
                Diagnostic d;
                d.code = QStringLiteral("class-count-mismatch");
                d.severity = Severity::Warning;
                d.pair = p;
                d.run = static_cast<int>(r);
                d.tensors = {pair.input};
                if (pair.layout.classAxis >= 0)
                    d.axes.push_back({TensorSide::Input, pair.layout.classAxis});
                d.message = QStringLiteral("%1 has %2 classes; the run's other batches have %3")
                                .arg(pair.input)
                                .arg(classes[step])
                                .arg(usualClasses);
                d.explanation = QStringLiteral("Batches of one run should come from one model "
                                               "head. A differing class count means the dump "
                                               "mixes models, or a head was rebuilt mid-run.");
                d.fix = QStringLiteral("assert logits.size(1) == num_classes");
                result.diagnostics.push_back(d);
            }
        }
        // A batch-size mismatch on the run's short batch: the model kept the usual size.
        for (Diagnostic& d : result.diagnostics) {
            if (d.code != QLatin1String("batch-size-mismatch") || d.pair < 0 ||
                result.pairs[d.pair].run != static_cast<int>(r))
                continue;
            const int step = result.pairs[d.pair].step;
            if (targetSizes[step] != usualTarget && inputSizes[step] == usualInput) {
                d.explanation.prepend(
                    QStringLiteral("This is the run's short batch: the loader gave %1 samples "
                                   "instead of %2, but the model's output still has %2 rows, so "
                                   "something in the model is sized for the full batch. ")
                        .arg(targetSizes[step])
                        .arg(usualTarget));
            }
        }
    }
}

} // namespace shapescope
