// SPDX-License-Identifier: GPL-3.0-or-later
#include "runadvice.h"

namespace shapescope::advice {

Diagnostic raggedBatch(const RunResult& run, int runIndex, int step, const PairResult& pair)
{
    const BatchStatistic& batch = run.batches[static_cast<size_t>(step)];
    const bool raggedInput = batch.inputSize != run.typicalInputSize;
    const bool raggedTarget = batch.size != run.typicalBatchSize;
    const bool last = static_cast<size_t>(step) + 1 == run.batches.size();
    Diagnostic d;
    d.code = DiagCode::RaggedBatch;
    d.severity = Severity::Warning;
    d.pair = batch.pair;
    d.run = runIndex;
    d.tensors = {pair.input, pair.target};
    if (raggedInput)
        d.axes.push_back({TensorSide::Input, 0});
    if (raggedTarget)
        d.axes.push_back({TensorSide::Target, 0});
    const qint64 size = raggedTarget ? batch.size : batch.inputSize;
    const qint64 usual = raggedTarget ? run.typicalBatchSize : run.typicalInputSize;
    d.message = QStringLiteral("batch %1 of %2 (%3) has %4 samples; the other batches have %5")
                    .arg(step)
                    .arg(run.name, pair.group.isEmpty() ? pair.input : pair.group)
                    .arg(size)
                    .arg(usual);
    d.explanation =
        (last ? QStringLiteral("The last batch of an epoch is short whenever the dataset's length "
                               "is not a multiple of the batch size and the DataLoader keeps it "
                               "(drop_last=False). ")
              : QStringLiteral("A batch in the middle of the run differs in size: a sampler or "
                               "collate function that drops or adds samples. ")) +
        QStringLiteral("Code that assumes a fixed batch size (a view(batch_size, ...), a hidden "
                       "state or buffer allocated once) breaks on it, and BatchNorm statistics "
                       "from a tiny batch are noisy.");
    d.fix = QStringLiteral("loader = DataLoader(dataset, batch_size=%1, shuffle=True, "
                           "drop_last=True)\n"
                           "# or size everything from the batch: x.view(x.size(0), -1)")
                .arg(usual);
    return d;
}

Diagnostic runClassCount(const PairResult& pair, int runIndex, qint64 classes, qint64 usual)
{
    Diagnostic d;
    d.code = DiagCode::ClassCountMismatch;
    d.severity = Severity::Warning;
    d.run = runIndex;
    d.tensors = {pair.input};
    if (pair.layout.classAxis >= 0)
        d.axes.push_back({TensorSide::Input, pair.layout.classAxis});
    d.message = QStringLiteral("%1 has %2 classes; the run's other batches have %3")
                    .arg(pair.input)
                    .arg(classes)
                    .arg(usual);
    d.explanation = QStringLiteral("Batches of one run should come from one model head. A "
                                   "differing class count means the dump mixes models, or a head "
                                   "was rebuilt mid-run.");
    d.fix = QStringLiteral("assert logits.size(1) == num_classes");
    return d;
}

void explainShortBatch(Diagnostic& d, qint64 size, qint64 usual)
{
    d.explanation =
        QStringLiteral("This is the run's short batch: the loader gave %1 samples instead of %2, "
                       "but the model's output still has %2 rows, so something in the model is "
                       "sized for the full batch: a view(batch_size, ...), a hidden state or a "
                       "buffer allocated once. The last batch of an epoch is short whenever the "
                       "dataset's length is not a multiple of the batch size and the DataLoader "
                       "keeps it (drop_last=False).")
            .arg(size)
            .arg(usual);
    // The cause is in the model's code, so the fix is there, not on the dumped tensors.
    d.fix = QStringLiteral("# in forward(): size everything from the batch, not from batch_size:\n"
                           "#     x = x.view(x.size(0), -1)\n"
                           "#     h0 = torch.zeros(num_layers, x.size(0), hidden_size)\n"
                           "# or drop the short batch: DataLoader(dataset, batch_size=%1, "
                           "drop_last=True)")
                .arg(usual);
}

} // namespace shapescope::advice
