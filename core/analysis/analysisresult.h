// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "formats/dumpformat.h"
#include "lossspec.h"
#include "pairlayout.h"
#include "stepflow.h"
#include "tensor/tensorinfo.h"
#include "torchversion.h"

#include <QStringList>
#include <vector>

namespace shapescope {

// The metadata of an opened dump: what `check` lists and the tree shows.
struct DumpSummary
{
    QString file;
    DumpFormat format = DumpFormat::Npy;
    std::vector<TensorInfo> tensors;
    std::vector<GroupInfo> groups;
    QStringList notes;
    // Objects listed but not readable (DumpReader::skipped()); reports list them with the tensors.
    std::vector<TensorInfo> skipped;

    // The tensor at `index` into `tensors`, or nullptr when out of range.
    const TensorInfo* tensor(int index) const;
    // The tensor named `path` (a name the user typed, such as --weight-tensor), or nullptr.
    const TensorInfo* find(const QString& path) const;
};

struct Histogram
{
    double low = 0;  // left edge of the first bin
    double high = 0; // right edge of the last bin
    std::vector<qint64> counts;
};

struct ClassStatistic
{
    qint64 classIndex = 0;
    qint64 count = 0;    // non-ignored positions with this target
    double meanLoss = 0; // mean of their reduction='none' values
};

// A sample likely to be mislabelled: high loss, confident wrong prediction.
struct RankedSample
{
    qint64 sample = 0;
    qint64 target = -1; // -1 when the target is not a class index
    qint64 predicted = -1;
    double pTarget = 0; // softmax probability of the target class (NaN if not applicable)
    double loss = 0;
};

// Statistics of one pair's losses.
struct LossSummary
{
    qint64 samples = 0;   // samples with a loss (not wholly ignored)
    qint64 positions = 0; // non-ignored positions (elements of reduction='none')
    qint64 ignored = 0;   // positions whose target is ignore_index
    double mean = 0;      // PyTorch's reduction='mean' value
    double sum = 0;       // PyTorch's reduction='sum' value
    double min = 0;       // over per-sample losses
    double max = 0;
    double accuracy = -1; // argmax == target over non-ignored positions; -1 if not applicable
    Histogram histogram;  // of per-sample losses
    std::vector<ClassStatistic> perClass; // by target class (class-index targets)

    // The share of positions whose target is ignore_index (padding), 0..1.
    double ignoredShare() const
    {
        return ignored + positions > 0 ? double(ignored) / double(ignored + positions) : 0.0;
    }
    std::vector<RankedSample> highestLoss; // non-finite losses first, then the 20 highest
    // Samples not ignored whose loss is NaN or +-inf (a NaN logit): counted here, not in
    // `samples`, min, max or the histogram. samples + nonFinite is every sample with a loss.
    qint64 nonFinite = 0;
    qint64 samplesWithLoss() const { return samples + nonFinite; }
};

// Per-sample values, in sample order. `target`, `predicted` and `pTarget` are filled for (N, C)
// inputs with class-index targets only, and are empty otherwise.
struct SampleValues
{
    // PyTorch's reduction='none' value for (N, C) input (0 where the target is ignore_index);
    // for K-dim input the mean over the sample's counted positions, NaN when none is counted.
    std::vector<double> loss;
    std::vector<quint8> ignored; // 1 where every position of the sample is ignore_index
    std::vector<qint64> target;
    std::vector<qint64> predicted;
    std::vector<double> pTarget;
};

struct PairResult
{
    int inputTensor = -1; // indices into DumpSummary::tensors: what code matches pairs by
    int targetTensor = -1;
    QString input; // the two tensors' paths, as labels for display only
    QString target;
    QString group;
    int run = -1;  // index into AnalysisResult::runs
    int step = -1; // position within the run
    PairLayout layout;
    bool hasLosses = false;
    QString lossError; // why losses were not computed, when they were not
    LossSummary summary;
    SampleValues samples;
    bool guessed = false; // paired by shape and dtype, not by name (stepflow.h)
    // When PyTorch would raise for the pair (a target out of range) yet its losses were
    // computed over the positions it could use: says so, with the counts.
    QString lossCaveat;
    // The classes' names (classnames.h): index = class; may be shorter than the classes, and
    // empty when no source names them. Where they came from, and what a reader should know
    // (a source with a different count, one that cannot be read).
    QStringList classNames;
    QString classNamesSource;
    QString classNamesNote;
};

struct BatchStatistic
{
    int pair = -1;
    QString group;
    qint64 size = 0;      // the target's rows (axis 0): the samples the loader gave
    qint64 inputSize = 0; // the input's rows, which differ from `size` when the model got it wrong
    double meanLoss = 0;  // NaN when the pair's losses were not computed
    // The batch's size or input rows differ from the run's typical ones (runbatches.h). The
    // ragged-batch diagnostic, the run strip and the loss plots all show this flag.
    bool ragged = false;
};

// Pairs whose groups carry step numbers (batch_0003, step_00200, epoch_3/iter_17), in order.
struct RunResult
{
    QString name; // "batch_#": the group pattern with numbers as #
    std::vector<int> pairs;
    std::vector<BatchStatistic> batches;
    qint64 typicalBatchSize = 0; // typicalValue() of the batches' sizes
    qint64 typicalInputSize = 0; // typicalValue() of their input rows
};

struct AnalysisResult
{
    DumpSummary dump;
    LossSpec spec;
    std::vector<PairResult> pairs;
    std::vector<RunResult> runs;
    std::vector<Diagnostic> diagnostics;
    QStringList unpaired;        // tensor paths in no pair
    TorchChoice torch;           // the release the diagnostics speak for, and why
    std::vector<StepFlow> flows; // each step's loader -> model -> loss, by group

    // The step (flow) of the pair, or nullptr.
    const StepFlow* flowOfPair(int pair) const;
    // When the spec asked for a guess (LossSpec::guessKind): the kind chosen, `spec.kind`, and
    // why: "guessed: mse, because ...". Empty when the user chose the kind.
    QString lossKindReason;
    // The fixes the analysis ran on (AnalysisOptions::transforms) as PyTorch code, and what
    // PyTorch raised on the dump as saved: the "was" beside this result's "now" (transformVerdict
    // in transformedanalysis.h). Empty without transforms.
    QStringList transforms;
    QStringList errorsBefore;

    int count(Severity severity) const;
    bool hasErrors() const { return count(Severity::Error) > 0; }
};

} // namespace shapescope
