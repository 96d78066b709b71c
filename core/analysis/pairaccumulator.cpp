// SPDX-License-Identifier: GPL-3.0-or-later
#include "pairaccumulator.h"

#include <cmath>
#include <limits>

namespace shapescope {

namespace {
constexpr size_t kMaxNonFiniteSamples = 50;
}

PairAccumulator::PairAccumulator(const PairLayout& layout, const LossSpec& spec)
    : m_layout(layout), m_ignoreIndex(spec.ignoreIndex),
      m_perPosition(layout.positionsPerSample() == 1)
{
    const auto samples = static_cast<size_t>(layout.batchSize);
    SampleValues& values = m_losses.samples;
    values.loss.assign(samples, 0.0);
    values.ignored.assign(samples, 0);
    if (!m_perPosition) {
        m_sampleSums.assign(samples, 0.0);
        m_sampleCounts.assign(samples, 0);
    }
    if (layout.targetKind == TargetKind::ClassIndices) {
        m_losses.targets.classCounts.assign(static_cast<size_t>(layout.numClasses), 0);
        m_losses.classLossSums.assign(static_cast<size_t>(layout.numClasses), 0.0);
        if (m_perPosition) {
            values.target.assign(samples, 0);
            values.predicted.assign(samples, -1);
            values.pTarget.assign(samples, std::numeric_limits<double>::quiet_NaN());
        }
    }
}

void PairAccumulator::noteNonFinite(qint64 sample)
{
    ++m_losses.nonFinitePositions;
    auto& list = m_losses.nonFiniteSamples;
    if (list.size() < kMaxNonFiniteSamples && (list.empty() || list.back() != sample))
        list.push_back(sample);
}

void PairAccumulator::addClassIndexPosition(qint64 sample, qint64 target, double loss,
                                            double weight, qint32 predicted, double logProbTarget)
{
    TargetTally& tally = m_losses.targets;
    SampleValues& values = m_losses.samples;
    if (m_perPosition) {
        values.target[sample] = target;
        values.predicted[sample] = predicted;
        values.pTarget[sample] = std::exp(logProbTarget);
    }
    if (target == m_ignoreIndex) {
        ++tally.ignored;
        if (m_perPosition)
            values.ignored[sample] = 1;
        return;
    }
    if (target < 0 || target >= m_layout.numClasses) {
        if (!tally.hasOutOfRange) {
            tally.hasOutOfRange = true;
            tally.firstOutOfRange = target;
        }
        ++tally.outOfRangeTotal;
        auto it = tally.outOfRange.find(target);
        if (it != tally.outOfRange.end())
            ++it->second;
        else if (tally.outOfRange.size() < TargetTally::kMaxDistinct)
            tally.outOfRange.emplace(target, 1);
        if (m_perPosition)
            values.loss[sample] = std::numeric_limits<double>::quiet_NaN();
        return;
    }
    ++tally.classCounts[target];
    m_losses.classLossSums[target] += loss;
    if (predicted == target)
        ++m_losses.correct;
    if (!std::isfinite(loss))
        noteNonFinite(sample);
    m_losses.lossSum += loss;
    m_losses.weightSum += weight;
    ++m_losses.positions;
    if (m_perPosition) {
        values.loss[sample] = loss;
    } else {
        m_sampleSums[sample] += loss;
        ++m_sampleCounts[sample];
    }
}

void PairAccumulator::addTile(const Tile& tile, const qint64* targets, const PositionOutputs& out)
{
    const qint64 positions = tile.positions();
    const qint64 perSample = tile.positionsPerSample();
    for (qint64 p = 0; p < positions; ++p) {
        const qint64 sample = tile.firstSample + (perSample > 0 ? p / perSample : 0);
        const double loss = out.loss[p];
        if (targets) {
            addClassIndexPosition(sample, targets[p], loss, out.weight[p],
                                  out.predicted ? out.predicted[p] : -1,
                                  out.logProbTarget ? out.logProbTarget[p]
                                                    : std::numeric_limits<double>::quiet_NaN());
            continue;
        }
        if (!std::isfinite(loss))
            noteNonFinite(sample);
        m_losses.lossSum += loss;
        m_losses.weightSum += out.weight ? out.weight[p] : 1.0;
        ++m_losses.positions;
        if (m_perPosition) {
            m_losses.samples.loss[sample] = loss;
        } else {
            m_sampleSums[sample] += loss;
            ++m_sampleCounts[sample];
        }
    }
}

PairLosses PairAccumulator::finish()
{
    SampleValues& values = m_losses.samples;
    if (!m_perPosition) {
        for (size_t s = 0; s < m_sampleSums.size(); ++s) {
            if (m_sampleCounts[s] == 0) {
                values.loss[s] = std::numeric_limits<double>::quiet_NaN();
                values.ignored[s] = 1;
            } else {
                values.loss[s] = m_sampleSums[s] / static_cast<double>(m_sampleCounts[s]);
            }
        }
    }
    return std::move(m_losses);
}

} // namespace shapescope
