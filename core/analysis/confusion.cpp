// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusion.h"

#include "formats/dumpreader.h"
#include "sampledetail.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace shapescope {

namespace {

// Adds one sample's positions at a time: the matrix directly, and the sample's own cell counts
// (dense, reset through the list of cells it touched) for the per-cell sample lists. A sample
// larger than a tile arrives in several tiles, consecutively.
class ConfusionCounter
{
public:
    explicit ConfusionCounter(ConfusionMatrix& matrix)
        : m_matrix(matrix), m_sampleCells(size_t(matrix.classes * matrix.classes), 0)
    {}

    void add(qint64 sample, const qint32* predicted, const qint64* targets, qint64 positions)
    {
        if (sample != m_sample)
            flush();
        m_sample = sample;
        const qint64 classes = m_matrix.classes;
        for (qint64 p = 0; p < positions; ++p) {
            const qint64 target = targets[p];
            if (target == m_matrix.ignoreIndex) {
                ++m_matrix.ignored;
            } else if (target < 0 || target >= classes) {
                ++m_matrix.outOfRange;
            } else if (predicted[p] < 0) {
                ++m_matrix.unpredicted;
            } else {
                const auto cell = size_t(target * classes + predicted[p]);
                ++m_matrix.counts[cell];
                if (m_sampleCells[cell]++ == 0)
                    m_touched.push_back(qint64(cell));
            }
        }
    }

    void flush()
    {
        std::sort(m_touched.begin(), m_touched.end());
        for (const qint64 cell : m_touched) {
            qint64& total = m_matrix.cellSampleTotals[size_t(cell)];
            if (total++ < ConfusionMatrix::kMaxListedSamples) {
                m_matrix.listedCells.push_back(cell);
                m_matrix.listedSamples.push_back(m_sample);
                m_matrix.listedCounts.push_back(m_sampleCells[size_t(cell)]);
            }
            m_sampleCells[size_t(cell)] = 0;
        }
        m_touched.clear();
    }

private:
    ConfusionMatrix& m_matrix;
    std::vector<qint64> m_sampleCells;
    std::vector<qint64> m_touched;
    qint64 m_sample = -1;
};

} // namespace

qint64 ConfusionMatrix::counted() const
{
    return std::accumulate(counts.begin(), counts.end(), qint64(0));
}

qint64 ConfusionMatrix::correct() const
{
    qint64 sum = 0;
    for (qint64 c = 0; c < classes; ++c)
        sum += count(c, c);
    return sum;
}

std::vector<CellSample> samplesInCell(const ConfusionMatrix& matrix, qint64 target,
                                      qint64 predicted)
{
    std::vector<CellSample> samples;
    if (target < 0 || predicted < 0 || target >= matrix.classes || predicted >= matrix.classes)
        return samples;
    const qint64 cell = target * matrix.classes + predicted;
    const auto [first, last] =
        std::equal_range(matrix.listedCells.begin(), matrix.listedCells.end(), cell);
    for (auto it = first; it != last; ++it) {
        const auto i = size_t(it - matrix.listedCells.begin());
        samples.push_back({matrix.listedSamples[i], matrix.listedCounts[i]});
    }
    return samples;
}

std::vector<ClassScore> classScores(const ConfusionMatrix& matrix)
{
    const qint64 classes = matrix.classes;
    std::vector<ClassScore> scores(size_t(std::max<qint64>(classes, 0)));
    for (qint64 t = 0; t < classes; ++t) {
        for (qint64 p = 0; p < classes; ++p) {
            const qint64 n = matrix.count(t, p);
            scores[size_t(t)].targets += n;
            scores[size_t(p)].predicted += n;
            if (t == p)
                scores[size_t(t)].truePositives = n;
        }
    }
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    for (ClassScore& s : scores) {
        const qint64 unionCount = s.targets + s.predicted - s.truePositives;
        s.iou = unionCount > 0 ? double(s.truePositives) / double(unionCount) : nan;
        s.accuracy = s.targets > 0 ? double(s.truePositives) / double(s.targets) : nan;
    }
    return scores;
}

double meanIou(const std::vector<ClassScore>& scores)
{
    double sum = 0;
    int n = 0;
    for (const ClassScore& s : scores) {
        if (!std::isnan(s.iou)) {
            sum += s.iou;
            ++n;
        }
    }
    return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

double pixelAccuracy(const ConfusionMatrix& matrix)
{
    const qint64 counted = matrix.counted();
    return counted > 0 ? double(matrix.correct()) / double(counted)
                       : std::numeric_limits<double>::quiet_NaN();
}

std::vector<ConfusedPair> mostConfusedPairs(const ConfusionMatrix& matrix, int limit)
{
    std::vector<ConfusedPair> pairs;
    for (qint64 t = 0; t < matrix.classes; ++t) {
        for (qint64 p = 0; p < matrix.classes; ++p) {
            if (t != p && matrix.count(t, p) > 0)
                pairs.push_back({t, p, matrix.count(t, p)});
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const ConfusedPair& a, const ConfusedPair& b) {
        return a.positions > b.positions;
    });
    if (limit >= 0 && pairs.size() > size_t(limit))
        pairs.resize(size_t(limit));
    return pairs;
}

Expected<ConfusionMatrix> computeConfusion(DumpReader& reader, WorkerPool& pool, const PairJob& job,
                                           const std::function<bool(qint64)>& progress)
{
    const qint64 classes = job.layout.numClasses;
    if (job.layout.targetKind != TargetKind::ClassIndices)
        return Error{QStringLiteral("a confusion matrix needs class-index targets")};
    if (classes <= 0 || classes > ConfusionMatrix::kMaxClasses)
        return Error{QStringLiteral("a confusion matrix of %1 classes is too large to show (at "
                                    "most %2)")
                         .arg(classes)
                         .arg(ConfusionMatrix::kMaxClasses)};
    ConfusionMatrix matrix;
    matrix.classes = classes;
    matrix.ignoreIndex = job.spec.ignoreIndex;
    matrix.counts.assign(size_t(classes * classes), 0);
    matrix.cellSampleTotals.assign(size_t(classes * classes), 0);
    ConfusionCounter counter(matrix);
    LossEngine engine(reader, pool);
    const Status done = engine.computePredictions(
        job,
        [&](const Tile& tile, const qint32* predicted, const qint64* targets) {
            const qint64 perSample = tile.positionsPerSample();
            for (qint64 s = 0; s < tile.samples; ++s)
                counter.add(tile.firstSample + s, predicted + s * perSample,
                            targets + s * perSample, perSample);
            return Status::success();
        },
        progress);
    if (!done)
        return done.failure();
    counter.flush();
    // Appended sample by sample: a stable sort by cell keeps each cell's samples in order.
    std::vector<size_t> order(matrix.listedCells.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return matrix.listedCells[a] < matrix.listedCells[b];
    });
    auto permuted = [&order](const std::vector<qint64>& v) {
        std::vector<qint64> out(v.size());
        for (size_t i = 0; i < order.size(); ++i)
            out[i] = v[order[i]];
        return out;
    };
    matrix.listedCells = permuted(matrix.listedCells);
    matrix.listedSamples = permuted(matrix.listedSamples);
    matrix.listedCounts = permuted(matrix.listedCounts);
    return matrix;
}

Expected<int> segmentationPair(const AnalysisResult& result, const QString& input)
{
    std::vector<int> candidates;
    for (size_t p = 0; p < result.pairs.size(); ++p) {
        const PairResult& pair = result.pairs[p];
        if (!input.isEmpty() && pair.input != input && pair.group != input)
            continue;
        if (pair.hasLosses && pair.layout.targetKind == TargetKind::ClassIndices &&
            pair.layout.classAxis >= 0)
            candidates.push_back(int(p));
    }
    if (candidates.size() == 1)
        return candidates.front();
    if (!input.isEmpty())
        return Error{QStringLiteral("%1: no pair with the input or group %2 has computed losses "
                                    "against class indices")
                         .arg(result.dump.file, input)};
    if (candidates.empty())
        return Error{QStringLiteral("%1: no pair has computed losses against class indices")
                         .arg(result.dump.file)};
    return Error{QStringLiteral("%1: %2 pairs have class-index losses; choose one with --pair")
                     .arg(result.dump.file)
                     .arg(candidates.size())};
}

std::vector<PositionOutcome> positionOutcomes(const SampleDetail& detail)
{
    std::vector<PositionOutcome> outcomes(detail.target.size(), PositionOutcome::Unscorable);
    for (size_t p = 0; p < outcomes.size(); ++p) {
        if (p < detail.ignored.size() && detail.ignored[p])
            outcomes[p] = PositionOutcome::Ignored;
        else if ((p < detail.outOfRange.size() && detail.outOfRange[p]) ||
                 p >= detail.predicted.size() || detail.predicted[p] < 0)
            outcomes[p] = PositionOutcome::Unscorable;
        else
            outcomes[p] = detail.predicted[p] == detail.target[p] ? PositionOutcome::Correct
                                                                  : PositionOutcome::Wrong;
    }
    return outcomes;
}

} // namespace shapescope
