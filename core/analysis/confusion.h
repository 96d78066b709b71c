// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "common/expected.h"
#include "common/progress.h"
#include "lossengine.h"

#include <vector>

namespace shapescope {

class DumpReader;
class WorkerPool;
struct SampleDetail;

// A pair's confusion matrix over positions (pixels, voxels, tokens), not samples: row = target
// class, column = the input's argmax over the classes (torch.argmax, the first maximum).
// Positions whose target is ignore_index, or outside [0, C), or whose class vector holds a NaN
// are left out of the matrix and counted apart.
struct ConfusionMatrix
{
    qint64 classes = 0;
    qint64 ignoreIndex = -100;
    std::vector<qint64> counts; // classes * classes, row-major
    qint64 ignored = 0;
    qint64 outOfRange = 0;
    qint64 unpredicted = 0; // a NaN in the class vector: no argmax
    // Per cell, in how many samples it happens, and the first kMaxListedSamples of them (in
    // sample order) with their position counts: flat triples sorted by cell, then sample.
    std::vector<qint64> cellSampleTotals; // classes * classes
    std::vector<qint64> listedCells;
    std::vector<qint64> listedSamples;
    std::vector<qint64> listedCounts;
    static constexpr qint64 kMaxListedSamples = 1000;
    static constexpr qint64 kMaxClasses = 1024;

    qint64 count(qint64 target, qint64 predicted) const
    {
        return counts[size_t(target * classes + predicted)];
    }
    qint64 counted() const; // positions in the matrix
    qint64 correct() const; // its diagonal
};

// The samples in which `target` was predicted as `predicted`, with how many positions each.
struct CellSample
{
    qint64 sample = 0;
    qint64 positions = 0;
};
std::vector<CellSample> samplesInCell(const ConfusionMatrix& matrix, qint64 target,
                                      qint64 predicted);

// Per class c: IoU = TP / (TP + FP + FN), accuracy (recall) = TP / (TP + FN). NaN when the
// denominator is 0 (the class is neither a target nor predicted).
struct ClassScore
{
    qint64 truePositives = 0;
    qint64 targets = 0;   // TP + FN: the row's sum
    qint64 predicted = 0; // TP + FP: the column's sum
    double iou = 0;
    double accuracy = 0;
};
std::vector<ClassScore> classScores(const ConfusionMatrix& matrix);
// The mean of the classes' IoU that are not NaN (NaN when none is); correct / counted.
double meanIou(const std::vector<ClassScore>& scores);
double pixelAccuracy(const ConfusionMatrix& matrix);

// The off-diagonal cells with the most positions, most first (ties by target, then
// prediction); at most `limit`, none with a count of 0.
struct ConfusedPair
{
    qint64 target = 0;
    qint64 predicted = 0;
    qint64 positions = 0;
};
std::vector<ConfusedPair> mostConfusedPairs(const ConfusionMatrix& matrix, int limit);

// Counts the matrix over every position of the pair, with the loss engine's tiles and kernels
// (their argmax is the one the analysis's accuracy counts). `progress(doneInputElements)`
// returning false cancels.
Expected<ConfusionMatrix> computeConfusion(DumpReader& reader, WorkerPool& pool, const PairJob& job,
                                           const std::function<bool(qint64)>& progress);

// The pair a confusion matrix or a sample map is asked of: the pair whose input (or group) is
// `input` when given, else the only pair with computed losses and class-index targets.
Expected<int> segmentationPair(const AnalysisResult& result, const QString& input = {});

// What one position of a sample's map is: the error map draws these.
enum class PositionOutcome : quint8
{
    Correct,
    Wrong,
    Ignored,    // target == ignore_index
    Unscorable, // target out of range, or no prediction (NaN logits)
};
std::vector<PositionOutcome> positionOutcomes(const SampleDetail& detail);

} // namespace shapescope
