// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QString>
#include <QVector>
#include <memory>
#include <utility>
#include <vector>

namespace shapescope {

// What a loss plot shows: one run (its batches concatenated in step order) or one pair.
struct PlotScope
{
    QString title;          // "run /batch_# (8 batches)", "/logits -> /labels"
    int run = -1;           // index into AnalysisResult::runs, -1 for a single pair
    std::vector<int> pairs; // in order
};

// Each run, then each pair that belongs to no run. Pairs without losses stay in their run (the
// per-batch plot shows their size) but get no scope of their own.
std::vector<PlotScope> plotScopes(const AnalysisResult& result);
// The scope holding `pair`, or -1.
int scopeOfPair(const std::vector<PlotScope>& scopes, int pair);

// One pair's samples on the per-sample plot's x axis: global indices [first, first + count).
struct SampleSpan
{
    int pair = -1;
    qint64 first = 0;
    qint64 count = 0;
    QString label;       // "batch 3" / the group, for the tooltip and the band labels
    bool ragged = false; // BatchStatistic::ragged of its run's batch
    bool hasLosses = false;
};

// Samples as points: key = global sample index (alreadySorted), value = loss.
struct PointSeries
{
    QVector<double> keys;
    QVector<double> values;
    qint64 size() const { return keys.size(); }
};

// A sample as the tooltip and the inspector name it.
struct SamplePoint
{
    int pair = -1;
    qint64 sample = -1; // within the pair
    qint64 global = -1; // on the x axis
    double loss = 0;
    bool ignored = false;
    qint64 target = -1;
    qint64 predicted = -1;
    double pTarget = 0; // NaN when not applicable
};

struct PerSampleSeries
{
    std::shared_ptr<const AnalysisResult> source; // read for tooltips; never modified
    QString title;
    std::vector<SampleSpan> spans;
    PointSeries correct;  // argmax == target
    PointSeries wrong;    // argmax != target
    PointSeries other;    // no prediction to judge (K-dim, probability and multi-label targets)
    PointSeries ignored;  // every position ignore_index, drawn at loss 0
    qint64 total = 0;     // samples on the axis
    qint64 nonFinite = 0; // NaN or infinite losses (not drawn)
    bool hasPredictions = false;
    double maxLoss = 0; // over drawn points

    // The span holding global index `global`, or -1.
    int spanAt(qint64 global) const;
    // The sample at `global` (pair -1 when outside every span).
    SamplePoint point(qint64 global) const;
    // The global index of a pair's sample, or -1 when the pair is not in the scope.
    qint64 globalIndex(int pair, qint64 sample) const;
};

PerSampleSeries buildPerSampleSeries(std::shared_ptr<const AnalysisResult> result,
                                     const PlotScope& scope);

struct HistogramSeries
{
    QString title;
    double low = 0;
    double binWidth = 0;
    QVector<double> centers;
    QVector<double> counts;
    qint64 total = 0; // samples counted (finite, not ignored)
    double mean = 0;  // of those samples' losses (NaN when none)
    double maxCount = 0;

    double high() const { return low + binWidth * static_cast<double>(counts.size()); }
};

// One pair's histogram is its LossSummary::histogram; a run's is made over all its samples
// with the same rule (makeHistogram: Freedman-Diaconis, 1 to 200 bins).
HistogramSeries buildHistogramSeries(const AnalysisResult& result, const PlotScope& scope);

struct ClassEntry
{
    qint64 classIndex = 0;
    qint64 count = 0;    // non-ignored positions with this target
    double meanLoss = 0; // mean of their reduction='none' values
};

enum class ClassOrder
{
    ByClass,
    ByMeanLoss,
    ByCount
};

struct ClassSeries
{
    QString title;
    std::vector<ClassEntry> classes; // classes with at least one position
    QStringList names;               // the first named pair's class names (classnames.h)
};

// Per-class means over the scope's pairs (count-weighted, so equal to the mean over all the
// positions of that class).
ClassSeries buildClassSeries(const AnalysisResult& result, const PlotScope& scope);
// ByClass ascending; ByMeanLoss and ByCount descending unless `ascending`; ties by class.
void sortClasses(std::vector<ClassEntry>& classes, ClassOrder order, bool ascending = false);

struct BatchEntry
{
    int pair = -1;
    QString group;
    qint64 size = 0;
    double meanLoss = 0; // NaN when losses were not computed
    bool ragged = false;
};

struct BatchSeries
{
    QString title;
    QString runName;
    std::vector<BatchEntry> batches;
    qint64 typicalSize = 0; // RunResult::typicalBatchSize (the pair's size for a single pair)
    qint64 raggedCount = 0;
};

// A run's batches; for a single pair, the pair as one batch.
BatchSeries buildBatchSeries(const AnalysisResult& result, const PlotScope& scope);

} // namespace shapescope
