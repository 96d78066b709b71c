// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossstatistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace shapescope {

namespace {

constexpr int kMaxBins = 200;

bool counted(const PairLosses& losses, size_t sample)
{
    return !losses.samples.ignored[sample] && std::isfinite(losses.samples.loss[sample]);
}

} // namespace

Histogram makeHistogram(const std::vector<double>& values, const std::vector<quint8>& skip)
{
    std::vector<double> finite;
    finite.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        if ((skip.empty() || !skip[i]) && std::isfinite(values[i]))
            finite.push_back(values[i]);
    }
    Histogram histogram;
    if (finite.empty())
        return histogram;
    const auto [lowIt, highIt] = std::minmax_element(finite.begin(), finite.end());
    histogram.low = *lowIt;
    histogram.high = *highIt;
    int bins = 1;
    if (histogram.high > histogram.low) {
        // Freedman-Diaconis: width = 2 IQR / n^(1/3); robust to the long tail losses have.
        const size_t n = finite.size();
        std::nth_element(finite.begin(), finite.begin() + n / 4, finite.end());
        const double q1 = finite[n / 4];
        std::nth_element(finite.begin(), finite.begin() + (3 * n) / 4, finite.end());
        const double q3 = finite[(3 * n) / 4];
        const double width = 2.0 * (q3 - q1) / std::cbrt(static_cast<double>(n));
        const double range = histogram.high - histogram.low;
        const double wanted =
            width > 0 ? std::ceil(range / width) : std::ceil(std::sqrt(static_cast<double>(n)));
        // Clamped as a double: a huge range over a tiny width (a damaged dump's 1e37 loss)
        // does not fit an int, and NaN (an infinite range) fails both comparisons.
        bins = wanted >= 1 ? static_cast<int>(std::min(wanted, double(kMaxBins))) : 1;
    }
    histogram.counts.assign(static_cast<size_t>(bins), 0);
    const double span = histogram.high - histogram.low;
    for (double v : finite) {
        const double at = span > 0 ? (v - histogram.low) / span * bins : 0.0;
        const int bin = at >= 0 && at < bins ? static_cast<int>(at) : (at >= bins ? bins - 1 : 0);
        ++histogram.counts[static_cast<size_t>(std::clamp(bin, 0, bins - 1))];
    }
    return histogram;
}

bool hasAccuracy(LossKind kind)
{
    return kind == LossKind::CrossEntropy || kind == LossKind::Nll;
}

LossSummary summarizeLosses(const PairLosses& losses, const PairLayout& layout, LossKind kind)
{
    LossSummary summary;
    const SampleValues& values = losses.samples;
    summary.positions = losses.positions;
    summary.ignored = losses.targets.ignored;
    summary.sum = losses.lossSum;
    summary.mean = losses.weightSum != 0 ? losses.lossSum / losses.weightSum
                                         : std::numeric_limits<double>::quiet_NaN();
    if (hasAccuracy(kind) && layout.targetKind == TargetKind::ClassIndices && losses.positions > 0)
        summary.accuracy =
            static_cast<double>(losses.correct) / static_cast<double>(losses.positions);

    std::vector<qint64> ranked;
    bool first = true;
    // A sample whose target is out of range has a NaN loss too, but no loss at all in PyTorch.
    auto outOfRange = [&](size_t s) {
        return !values.target.empty() &&
               (values.target[s] < 0 || values.target[s] >= layout.numClasses);
    };
    std::vector<qint64> nonFinite;
    for (size_t s = 0; s < values.loss.size(); ++s) {
        if (!values.ignored[s] && !std::isfinite(values.loss[s]) && !outOfRange(s))
            nonFinite.push_back(static_cast<qint64>(s));
        if (!counted(losses, s))
            continue;
        ++summary.samples;
        const double loss = values.loss[s];
        summary.min = first ? loss : std::min(summary.min, loss);
        summary.max = first ? loss : std::max(summary.max, loss);
        first = false;
        ranked.push_back(static_cast<qint64>(s));
    }
    summary.histogram = makeHistogram(values.loss, values.ignored);

    for (size_t c = 0; c < losses.targets.classCounts.size(); ++c) {
        const qint64 count = losses.targets.classCounts[c];
        if (count > 0) {
            summary.perClass.push_back({static_cast<qint64>(c), count,
                                        losses.classLossSums[c] / static_cast<double>(count)});
        }
    }

    summary.nonFinite = static_cast<qint64>(nonFinite.size());
    const size_t top = std::min<size_t>(kHighestLossCount, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top),
                      ranked.end(), [&](qint64 a, qint64 b) {
                          return values.loss[a] != values.loss[b] ? values.loss[a] > values.loss[b]
                                                                  : a < b;
                      });
    // The samples that poison the mean lead the list, however many they are.
    ranked.insert(ranked.begin(), nonFinite.begin(), nonFinite.end());
    const bool perSampleClasses = !values.target.empty();
    for (size_t i = 0; i < top + nonFinite.size(); ++i) {
        const qint64 s = ranked[i];
        RankedSample sample;
        sample.sample = s;
        sample.loss = values.loss[s];
        sample.target = perSampleClasses ? values.target[s] : -1;
        sample.predicted = perSampleClasses ? values.predicted[s] : -1;
        sample.pTarget =
            perSampleClasses ? values.pTarget[s] : std::numeric_limits<double>::quiet_NaN();
        summary.highestLoss.push_back(sample);
    }
    return summary;
}

} // namespace shapescope
