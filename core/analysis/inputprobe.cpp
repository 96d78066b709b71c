// SPDX-License-Identifier: GPL-3.0-or-later
#include "inputprobe.h"

#include <algorithm>
#include <cmath>

namespace shapescope {

namespace {

// A softmax output sums to 1 up to float32 rounding over C terms.
double sumTolerance(qint64 classes)
{
    return 1e-3 + 1e-6 * static_cast<double>(classes);
}

} // namespace

template <typename T>
void probeInput(const ClassBlock<T>& block, qint64 maxPositions, InputProbe& probe)
{
    probe.classes = block.classes;
    const qint64 positions = std::min(block.positions(), maxPositions);
    for (qint64 p = 0; p < positions; ++p) {
        const qint64 o = p / block.inner;
        const qint64 i = p % block.inner;
        const T* row = block.input + o * block.classes * block.inner + i;
        bool unit = true;
        bool nonPositive = true;
        double sum = 0;
        double maxValue = -INFINITY;
        for (qint64 c = 0; c < block.classes; ++c) {
            const double v = row[c * block.inner];
            unit = unit && v >= 0.0 && v <= 1.0;
            nonPositive = nonPositive && v <= 0.0;
            sum += v;
            maxValue = std::max(maxValue, v);
        }
        ++probe.positions;
        if (unit)
            ++probe.unitIntervalRows;
        if (unit && std::abs(sum - 1.0) <= sumTolerance(block.classes))
            ++probe.probabilityRows;
        if (nonPositive && std::isfinite(maxValue)) {
            double expSum = 0;
            for (qint64 c = 0; c < block.classes; ++c)
                expSum += std::exp(static_cast<double>(row[c * block.inner]) - maxValue);
            const double logSumExp = maxValue + std::log(expSum);
            if (std::abs(logSumExp) <= sumTolerance(block.classes))
                ++probe.logProbabilityRows;
        }
    }
}

template <typename T>
void probeTarget(const ClassBlock<T>& block, qint64 maxPositions, TargetProbe& probe)
{
    const qint64 positions = std::min(block.positions(), maxPositions);
    for (qint64 p = 0; p < positions; ++p) {
        const qint64 o = p / block.inner;
        const qint64 i = p % block.inner;
        const T* row = block.input + o * block.classes * block.inner + i;
        bool binary = true;
        bool unit = true;
        double sum = 0;
        for (qint64 c = 0; c < block.classes; ++c) {
            const double v = row[c * block.inner];
            binary = binary && (v == 0.0 || v == 1.0);
            unit = unit && v >= 0.0 && v <= 1.0;
            sum += v;
        }
        ++probe.positions;
        if (binary && sum == 1.0)
            ++probe.oneHotRows;
        else if (binary && sum > 1.0)
            ++probe.multiHotRows;
        if (!unit || std::abs(sum - 1.0) > sumTolerance(block.classes))
            ++probe.notDistributionRows;
    }
}

template void probeInput(const ClassBlock<float>&, qint64, InputProbe&);
template void probeInput(const ClassBlock<double>&, qint64, InputProbe&);
template void probeTarget(const ClassBlock<float>&, qint64, TargetProbe&);
template void probeTarget(const ClassBlock<double>&, qint64, TargetProbe&);

} // namespace shapescope
