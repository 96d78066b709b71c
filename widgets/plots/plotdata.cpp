// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotdata.h"

#include "analysis/lossstatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace shapescope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString pairTitle(const PairResult& pair)
{
    return pair.input + QStringLiteral(" \u2192 ") + pair.target;
}

QString batchWord(size_t count)
{
    return count == 1 ? QStringLiteral("batch") : QStringLiteral("batches");
}

// The batch at `index` of a run scope is ragged, as core decided (RunResult::batches).
bool raggedInScope(const AnalysisResult& result, const PlotScope& scope, size_t index)
{
    if (scope.run < 0)
        return false;
    const RunResult& run = result.runs[static_cast<size_t>(scope.run)];
    return index < run.batches.size() && run.batches[index].ragged;
}

QString spanLabel(const AnalysisResult& result, const PlotScope& scope, size_t index)
{
    const PairResult& pair = result.pairs[static_cast<size_t>(scope.pairs[index])];
    if (scope.run < 0)
        return pair.group.isEmpty() ? pair.input : pair.group;
    return QStringLiteral("batch %1 (%2)").arg(index).arg(pair.group);
}

} // namespace

std::vector<PlotScope> plotScopes(const AnalysisResult& result)
{
    std::vector<PlotScope> scopes;
    std::vector<bool> inRun(result.pairs.size(), false);
    for (size_t r = 0; r < result.runs.size(); ++r) {
        const RunResult& run = result.runs[r];
        PlotScope scope;
        scope.run = static_cast<int>(r);
        scope.pairs = run.pairs;
        scope.title = QStringLiteral("run %1 (%2 %3)")
                          .arg(run.name)
                          .arg(run.pairs.size())
                          .arg(batchWord(run.pairs.size()));
        for (int p : run.pairs)
            inRun[static_cast<size_t>(p)] = true;
        scopes.push_back(std::move(scope));
    }
    for (size_t p = 0; p < result.pairs.size(); ++p) {
        if (inRun[p] || !result.pairs[p].hasLosses)
            continue;
        PlotScope scope;
        scope.pairs = {static_cast<int>(p)};
        scope.title = pairTitle(result.pairs[p]);
        scopes.push_back(std::move(scope));
    }
    return scopes;
}

int scopeOfPair(const std::vector<PlotScope>& scopes, int pair)
{
    for (size_t s = 0; s < scopes.size(); ++s) {
        if (std::find(scopes[s].pairs.begin(), scopes[s].pairs.end(), pair) !=
            scopes[s].pairs.end())
            return static_cast<int>(s);
    }
    return -1;
}

int PerSampleSeries::spanAt(qint64 global) const
{
    auto it = std::upper_bound(spans.begin(), spans.end(), global,
                               [](qint64 g, const SampleSpan& span) { return g < span.first; });
    if (it == spans.begin())
        return -1;
    --it;
    return global < it->first + it->count ? static_cast<int>(it - spans.begin()) : -1;
}

SamplePoint PerSampleSeries::point(qint64 global) const
{
    SamplePoint point;
    const int span = spanAt(global);
    if (span < 0 || !source)
        return point;
    const SampleSpan& s = spans[static_cast<size_t>(span)];
    point.pair = s.pair;
    point.global = global;
    point.sample = global - s.first;
    const PairResult& pair = source->pairs[static_cast<size_t>(s.pair)];
    const SampleValues& values = pair.samples;
    const auto i = static_cast<size_t>(point.sample);
    point.loss = i < values.loss.size() ? values.loss[i] : kNaN;
    point.ignored = i < values.ignored.size() && values.ignored[i];
    point.target = i < values.target.size() ? values.target[i] : -1;
    point.predicted = i < values.predicted.size() ? values.predicted[i] : -1;
    point.pTarget = i < values.pTarget.size() ? values.pTarget[i] : kNaN;
    return point;
}

qint64 PerSampleSeries::globalIndex(int pair, qint64 sample) const
{
    for (const SampleSpan& span : spans) {
        if (span.pair == pair)
            return sample >= 0 && sample < span.count ? span.first + sample : -1;
    }
    return -1;
}

PerSampleSeries buildPerSampleSeries(std::shared_ptr<const AnalysisResult> result,
                                     const PlotScope& scope)
{
    PerSampleSeries series;
    series.source = result;
    if (!result)
        return series;
    series.title = scope.title;
    qint64 drawn = 0;
    for (int p : scope.pairs) {
        const PairResult& pair = result->pairs[static_cast<size_t>(p)];
        if (pair.hasLosses)
            drawn += static_cast<qint64>(pair.samples.loss.size());
        series.hasPredictions =
            series.hasPredictions || (pair.hasLosses && !pair.samples.predicted.empty());
    }
    // Most samples land in one of two series; reserving for all avoids regrowing 10 M points.
    (series.hasPredictions ? series.correct : series.other).keys.reserve(drawn);
    (series.hasPredictions ? series.correct : series.other).values.reserve(drawn);

    qint64 first = 0;
    for (size_t index = 0; index < scope.pairs.size(); ++index) {
        const int p = scope.pairs[index];
        const PairResult& pair = result->pairs[static_cast<size_t>(p)];
        SampleSpan span;
        span.pair = p;
        span.first = first;
        span.count =
            pair.hasLosses ? static_cast<qint64>(pair.samples.loss.size()) : pair.layout.batchSize;
        span.label = spanLabel(*result, scope, index);
        span.ragged = raggedInScope(*result, scope, index);
        span.hasLosses = pair.hasLosses;
        series.spans.push_back(span);
        if (pair.hasLosses) {
            const SampleValues& v = pair.samples;
            const bool judged = !v.predicted.empty() && !v.target.empty();
            for (size_t s = 0; s < v.loss.size(); ++s) {
                const double key = static_cast<double>(first + static_cast<qint64>(s));
                const double loss = v.loss[s];
                PointSeries* target;
                double value = loss;
                if (v.ignored[s]) {
                    target = &series.ignored;
                    value = 0;
                } else if (!std::isfinite(loss)) {
                    ++series.nonFinite;
                    continue;
                } else if (judged) {
                    target = v.predicted[s] == v.target[s] ? &series.correct : &series.wrong;
                } else {
                    target = &series.other;
                }
                target->keys.append(key);
                target->values.append(value);
                series.maxLoss = std::max(series.maxLoss, value);
            }
        }
        first += span.count;
    }
    series.total = first;
    return series;
}

HistogramSeries buildHistogramSeries(const AnalysisResult& result, const PlotScope& scope)
{
    HistogramSeries series;
    series.title = scope.title;
    Histogram histogram;
    std::vector<double> losses;
    std::vector<quint8> skip;
    int withLosses = 0;
    for (int p : scope.pairs) {
        const PairResult& pair = result.pairs[static_cast<size_t>(p)];
        if (!pair.hasLosses)
            continue;
        ++withLosses;
        losses.insert(losses.end(), pair.samples.loss.begin(), pair.samples.loss.end());
        skip.insert(skip.end(), pair.samples.ignored.begin(), pair.samples.ignored.end());
    }
    if (withLosses == 1 && scope.pairs.size() == 1)
        histogram = result.pairs[static_cast<size_t>(scope.pairs.front())].summary.histogram;
    else
        histogram = makeHistogram(losses, skip);

    double sum = 0;
    for (size_t i = 0; i < losses.size(); ++i) {
        if (!skip[i] && std::isfinite(losses[i])) {
            sum += losses[i];
            ++series.total;
        }
    }
    series.mean = series.total > 0 ? sum / static_cast<double>(series.total) : kNaN;
    const auto bins = static_cast<qsizetype>(histogram.counts.size());
    if (bins == 0)
        return series;
    series.low = histogram.low;
    series.binWidth = (histogram.high - histogram.low) / static_cast<double>(bins);
    if (!(series.binWidth > 0)) {
        // Every loss equal: one bar of a visible width centred on the value.
        series.binWidth = std::max(std::abs(histogram.low) * 0.05, 1e-3);
        series.low = histogram.low - series.binWidth / 2;
    }
    series.centers.resize(bins);
    series.counts.resize(bins);
    for (qsizetype b = 0; b < bins; ++b) {
        series.centers[b] = series.low + (static_cast<double>(b) + 0.5) * series.binWidth;
        series.counts[b] = static_cast<double>(histogram.counts[static_cast<size_t>(b)]);
        series.maxCount = std::max(series.maxCount, series.counts[b]);
    }
    return series;
}

ClassSeries buildClassSeries(const AnalysisResult& result, const PlotScope& scope)
{
    ClassSeries series;
    series.title = scope.title;
    std::map<qint64, std::pair<qint64, double>> merged; // class -> (count, loss sum)
    for (int p : scope.pairs) {
        const PairResult& pair = result.pairs[static_cast<size_t>(p)];
        if (!pair.hasLosses)
            continue;
        if (series.names.isEmpty())
            series.names = pair.classNames;
        for (const ClassStatistic& c : pair.summary.perClass) {
            auto& [count, sum] = merged[c.classIndex];
            count += c.count;
            sum += c.meanLoss * static_cast<double>(c.count);
        }
    }
    for (const auto& [classIndex, tally] : merged) {
        series.classes.push_back(
            {classIndex, tally.first,
             tally.first > 0 ? tally.second / static_cast<double>(tally.first) : kNaN});
    }
    return series;
}

void sortClasses(std::vector<ClassEntry>& classes, ClassOrder order, bool ascending)
{
    auto key = [order](const ClassEntry& e) {
        switch (order) {
        case ClassOrder::ByMeanLoss:
            return std::isnan(e.meanLoss) ? -std::numeric_limits<double>::infinity() : e.meanLoss;
        case ClassOrder::ByCount:
            return static_cast<double>(e.count);
        case ClassOrder::ByClass:
            break;
        }
        return static_cast<double>(e.classIndex);
    };
    const bool up = order == ClassOrder::ByClass ? true : ascending;
    std::stable_sort(classes.begin(), classes.end(), [&](const ClassEntry& a, const ClassEntry& b) {
        const double ka = key(a), kb = key(b);
        if (ka != kb)
            return up ? ka < kb : ka > kb;
        return a.classIndex < b.classIndex;
    });
}

BatchSeries buildBatchSeries(const AnalysisResult& result, const PlotScope& scope)
{
    BatchSeries series;
    series.title = scope.title;
    if (scope.run >= 0) {
        const RunResult& run = result.runs[static_cast<size_t>(scope.run)];
        series.runName = run.name;
        series.typicalSize = run.typicalBatchSize;
        for (const BatchStatistic& b : run.batches) {
            series.batches.push_back({b.pair, b.group, b.size, b.meanLoss, b.ragged});
            series.raggedCount += b.ragged ? 1 : 0;
        }
    } else {
        // A pair outside every run: one batch, its own typical size, never ragged.
        for (int p : scope.pairs) {
            const PairResult& pair = result.pairs[static_cast<size_t>(p)];
            series.batches.push_back({p, pair.group, pair.layout.batchSize,
                                      pair.hasLosses ? pair.summary.mean : kNaN, false});
            series.typicalSize = pair.layout.batchSize;
        }
    }
    return series;
}

} // namespace shapescope
