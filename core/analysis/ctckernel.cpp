// SPDX-License-Identifier: GPL-3.0-or-later
// The CTC forward recursion of ctckernel.h, compiled once per Highway target (foreach_target.h
// re-includes this file) and picked at run time by HWY_DYNAMIC_DISPATCH.

#include "analysis/ctckernel.h"

#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS HWY_SSSE3
#endif

// clang-format off: foreach_target.h must follow HWY_TARGET_INCLUDE and precede the rest
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "analysis/ctckernel.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>
// clang-format on

#include "analysis/kernels/ctcforward-inl.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if HWY_ONCE
namespace shapescope {
namespace kernels {
HWY_EXPORT(CtcForward);
} // namespace kernels

CtcSample makeCtcSample(std::span<const qint64> target, qint64 blank, qint64 inputLength)
{
    CtcSample sample;
    sample.inputLength = inputLength;
    sample.targetLength = qint64(target.size());
    sample.labels = {blank};
    auto column = [&](qint64 label) {
        const auto at = std::find(sample.labels.begin(), sample.labels.end(), label);
        if (at != sample.labels.end())
            return int(at - sample.labels.begin());
        sample.labels.push_back(label);
        return int(sample.labels.size() - 1);
    };
    const size_t states = 2 * target.size() + 1;
    sample.stateLabel.assign(states, 0);
    sample.canSkip.assign(states, 0.0);
    for (size_t i = 0; i < target.size(); ++i) {
        sample.stateLabel[2 * i + 1] = column(target[i]);
        // torch: from s - 2 only when that state's label differs (never onto a blank)
        if (i > 0 && target[i] != target[i - 1])
            sample.canSkip[2 * i + 1] = 1.0;
    }
    return sample;
}

qint64 ctcMinimumInputLength(std::span<const qint64> target)
{
    qint64 length = qint64(target.size());
    for (size_t i = 1; i < target.size(); ++i)
        length += target[i] == target[i - 1] ? 1 : 0;
    return length;
}

template <typename T>
void gatherCtcColumns(const T* rows, qint64 first, qint64 count, qint64 inner, qint64 classes,
                      bool batchFirst, std::vector<CtcSample>& samples, qint64 only)
{
    for (qint64 r = 0; r < count; ++r) {
        for (qint64 i = 0; i < inner; ++i) {
            const T* row = rows + (r * inner + i) * classes;
            const qint64 t = batchFirst ? i : first + r;
            const qint64 b = batchFirst ? first + r : i;
            if (only >= 0 && b != only)
                continue;
            CtcSample& sample = samples[size_t(b)];
            if (t >= sample.inputLength)
                continue;
            double* out = sample.logProbs.data() + size_t(t) * sample.labels.size();
            for (size_t k = 0; k < sample.labels.size(); ++k)
                out[k] = double(row[sample.labels[k]]);
        }
    }
}
template void gatherCtcColumns(const float*, qint64, qint64, qint64, qint64, bool,
                               std::vector<CtcSample>&, qint64);
template void gatherCtcColumns(const double*, qint64, qint64, qint64, qint64, bool,
                               std::vector<CtcSample>&, qint64);

double ctcNegLogLikelihoodReference(const CtcSample& sample)
{
    const double ninf = -std::numeric_limits<double>::infinity();
    if (sample.inputLength == 0) // torch: a likelihood of 1 for an empty target, else 0
        return sample.targetLength == 0 ? 0.0 : -ninf;
    const size_t states = size_t(sample.states());
    const size_t labels = sample.labels.size();
    auto lp = [&](qint64 t, size_t s) {
        return sample.logProbs[size_t(t) * labels + size_t(sample.stateLabel[s])];
    };
    std::vector<double> alpha(states, ninf), next(states, ninf);
    alpha[0] = lp(0, 0);
    if (states > 1)
        alpha[1] = lp(0, 1);
    for (qint64 t = 1; t < sample.inputLength; ++t) {
        for (size_t s = 0; s < states; ++s) {
            const double la1 = alpha[s];
            const double la2 = s > 0 ? alpha[s - 1] : ninf;
            const double la3 = s > 1 && sample.canSkip[s] != 0 ? alpha[s - 2] : ninf;
            double top = std::max({la1, la2, la3});
            if (top == ninf)
                top = 0;
            next[s] = std::log(std::exp(la1 - top) + std::exp(la2 - top) + std::exp(la3 - top)) +
                      top + lp(t, s);
        }
        std::swap(alpha, next);
    }
    const double l1 = alpha[states - 1];
    const double l2 = states > 1 ? alpha[states - 2] : ninf;
    double top = std::max(l1, l2);
    if (top == ninf)
        top = 0;
    return -(std::log(std::exp(l1 - top) + std::exp(l2 - top)) + top);
}

double ctcNegLogLikelihood(const CtcSample& sample)
{
    if (sample.inputLength == 0)
        return ctcNegLogLikelihoodReference(sample);
    const double fast = HWY_DYNAMIC_DISPATCH(kernels::CtcForward)(sample);
    return std::isfinite(fast) ? fast : ctcNegLogLikelihoodReference(sample);
}

} // namespace shapescope
#endif // HWY_ONCE
