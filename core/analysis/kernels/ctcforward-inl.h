// SPDX-License-Identifier: GPL-3.0-or-later
// The per-target CTC forward recursion of ctckernel.cpp. Re-included once per Highway target by
// foreach_target.h (hence the toggling include guard instead of #pragma once).

#if defined(SHAPESCOPE_KERNELS_CTCFORWARD_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_CTCFORWARD_INL_H
#undef SHAPESCOPE_KERNELS_CTCFORWARD_INL_H
#else
#define SHAPESCOPE_KERNELS_CTCFORWARD_INL_H
#endif

#include "analysis/ctckernel.h"

#include <algorithm>
#include <cmath>
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>
#include <limits>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Probability-domain alpha recursion. alpha lives at buffer offset 2, so alpha[s - 1] and
// alpha[s - 2] are plain unaligned loads with zeros before state 0; the states are padded to
// whole vectors with p = 0, so padding stays 0. Returns +inf when every state died (the caller
// then asks the log-space reference, which tells impossible from underflow).
double CtcForward(const CtcSample& sample)
{
    const hn::ScalableTag<double> d;
    const size_t lanes = hn::Lanes(d);
    const size_t states = size_t(sample.states());
    const size_t padded = (states + lanes - 1) / lanes * lanes;
    const size_t labels = sample.labels.size();
    const size_t labelsPadded = (labels + lanes - 1) / lanes * lanes;
    const size_t size = 2 * (padded + 2) + 2 * padded + 2 * labelsPadded;
    std::vector<double> buffer(size, 0.0);
    double* alpha = buffer.data();
    double* next = alpha + padded + 2;
    double* p = next + padded + 2;
    double* skip = p + padded;
    double* pLabel = skip + padded;
    double* shifted = pLabel + labelsPadded;
    std::copy(sample.canSkip.begin(), sample.canSkip.end(), skip);

    double logScale = 0;
    // p[s] = exp(logProbs[t][label(s)] - max_t): at least one label gets exactly 1.
    auto loadStep = [&](qint64 t) {
        const double* row = sample.logProbs.data() + size_t(t) * labels;
        double top = -std::numeric_limits<double>::infinity();
        for (size_t k = 0; k < labels; ++k) {
            if (std::isnan(row[k])) // Exp below maps NaN to 0; the reference keeps it
                return false;
            top = std::max(top, row[k]);
        }
        if (!std::isfinite(top))
            return false;
        // Exp gives exactly 0 below -1000, which also covers -inf and the padding.
        for (size_t k = 0; k < labelsPadded; ++k)
            shifted[k] = k < labels ? row[k] - top : -std::numeric_limits<double>::infinity();
        for (size_t k = 0; k < labelsPadded; k += lanes)
            hn::StoreU(hn::Exp(d, hn::LoadU(d, shifted + k)), d, pLabel + k);
        for (size_t s = 0; s < states; ++s)
            p[s] = pLabel[sample.stateLabel[s]];
        logScale += top;
        return true;
    };
    auto rescale = [&](double* values) {
        auto sum = hn::Zero(d);
        for (size_t s = 0; s < padded; s += lanes)
            sum = hn::Add(sum, hn::LoadU(d, values + s));
        const double total = hn::GetLane(hn::SumOfLanes(d, sum));
        if (!(total > 0) || !std::isfinite(total))
            return false;
        const auto inverse = hn::Set(d, 1.0 / total);
        for (size_t s = 0; s < padded; s += lanes)
            hn::StoreU(hn::Mul(hn::LoadU(d, values + s), inverse), d, values + s);
        logScale += std::log(total);
        return true;
    };

    const double inf = std::numeric_limits<double>::infinity();
    if (!loadStep(0))
        return inf;
    alpha[2] = p[0];
    if (states > 1)
        alpha[3] = p[1];
    if (!rescale(alpha + 2))
        return inf;
    for (qint64 t = 1; t < sample.inputLength; ++t) {
        if (!loadStep(t))
            return inf;
        for (size_t s = 0; s < padded; s += lanes) {
            const auto stay = hn::LoadU(d, alpha + 2 + s);
            const auto advance = hn::LoadU(d, alpha + 1 + s);
            const auto jump = hn::LoadU(d, alpha + s);
            const auto sum = hn::MulAdd(hn::LoadU(d, skip + s), jump, hn::Add(stay, advance));
            hn::StoreU(hn::Mul(sum, hn::LoadU(d, p + s)), d, next + 2 + s);
        }
        std::swap(alpha, next);
        if (!rescale(alpha + 2))
            return inf;
    }
    const double last = alpha[2 + states - 1] + (states > 1 ? alpha[2 + states - 2] : 0.0);
    return last > 0 ? -(std::log(last) + logScale) : inf;
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_CTCFORWARD_INL_H
