// SPDX-License-Identifier: GPL-3.0-or-later
// The compute ceiling of the loss kernels (computeceiling.h), measured with the kernels' own exp
// (ExpNonPositive of simdutil-inl.h) on the SIMD target the kernels dispatch to. Compiled once
// per Highway target like core/analysis/losskernels.cpp, with the same targets.

#include "computeceiling.h"

#include "besttime.h"

// Before any Highway header: the targets core/analysis/losskernels.cpp compiles.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS HWY_SSSE3
#endif

// clang-format off: foreach_target.h must follow HWY_TARGET_INCLUDE and precede the rest
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "computeceiling.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>
// clang-format on

#include "analysis/kernels/simdutil-inl.h"

#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace shapescope::bench::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace hk = shapescope::kernels::HWY_NAMESPACE;

// `passes` times over x[0, n) (n a multiple of two vectors, small enough for L1): the work the
// kernels cannot avoid per logit, a running max (the reference and the argmax), one exp against
// the reference and one add. Two vectors per step: of the unrolls tried (1, 2, 4 and 8 vectors,
// depth- or breadth-first) the fastest on a Zen 1 core; more run out of registers.
HWY_NOINLINE double MaxExpSum(const float* HWY_RESTRICT x, size_t n, int passes)
{
    const hn::ScalableTag<float> d;
    using V = hn::Vec<decltype(d)>;
    const size_t N = hn::Lanes(d);
    const V ref = hn::Set(d, 9.0f);
    V sum0 = hn::Zero(d), sum1 = sum0, best0 = hk::NegInf(d), best1 = best0;
    for (int p = 0; p < passes; ++p)
        for (size_t i = 0; i + 2 * N <= n; i += 2 * N) {
            const V v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + N);
            best0 = hn::Max(best0, v0);
            best1 = hn::Max(best1, v1);
            sum0 = hn::Add(sum0, hk::ExpNonPositive(d, hn::Sub(v0, ref)));
            sum1 = hn::Add(sum1, hk::ExpNonPositive(d, hn::Sub(v1, ref)));
        }
    return double(
        hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(sum0, sum1), hn::Add(best0, best1)))));
}

// `iterations` rounds of ten independent vector FMA chains (FMA latency is at most ten times
// its reciprocal throughput on current x86 cores, so throughput is what this measures).
HWY_NOINLINE double FmaChains(long iterations)
{
    const hn::ScalableTag<float> d;
    using V = hn::Vec<decltype(d)>;
    const V m = hn::Set(d, 0.999999f), c = hn::Set(d, 1e-7f);
    V a[10];
    for (int k = 0; k < 10; ++k)
        a[k] = hn::Set(d, 1.0f + float(k) * 1e-3f);
    for (long i = 0; i < iterations; ++i)
        for (int k = 0; k < 10; ++k)
            a[k] = hn::MulAdd(a[k], m, c);
    V s = a[0];
    for (int k = 1; k < 10; ++k)
        s = hn::Add(s, a[k]);
    return double(hn::GetLane(hn::SumOfLanes(d, s)));
}

size_t FloatLanes()
{
    return hn::Lanes(hn::ScalableTag<float>());
}

int64_t ThisTarget()
{
    return HWY_TARGET;
}

} // namespace shapescope::bench::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace shapescope::bench {
HWY_EXPORT(MaxExpSum);
HWY_EXPORT(FmaChains);
HWY_EXPORT(FloatLanes);
HWY_EXPORT(ThisTarget);

ComputeCeiling measureComputeCeiling(int reps, bool quick)
{
    // 2048 logits (8 KiB): the kernels' chunk, L1-resident, spread over [-9, 9) so that the exp
    // arguments (against the reference 9) cover (-18, 0].
    constexpr size_t kLogits = 2048;
    std::vector<float> x(kLogits), y(kLogits);
    for (size_t i = 0; i < kLogits; ++i)
        x[i] = y[i] = float((i * 2654435761u) % 4096) / 4096.0f * 18.0f - 9.0f;
    const int passes = quick ? 10 : 20000;
    const long fmaIterations = quick ? 1000 : 50'000'000;
    double sink = 0.0;
    auto maxExpSum = HWY_DYNAMIC_DISPATCH(MaxExpSum);

    ComputeCeiling c;
    c.target = hwy::TargetName(HWY_DYNAMIC_DISPATCH(ThisTarget)());
    c.lanes = int(HWY_DYNAMIC_DISPATCH(FloatLanes)());
    const double logits = double(kLogits) * passes;
    c.logitsPerSecond1 =
        logits / bestTime(reps, [&] { sink += maxExpSum(x.data(), kLogits, passes); });
    c.logitsPerSecond2 =
        2.0 * logits / bestTime(reps, [&] {
            double other = 0.0;
            std::thread second([&] { other = maxExpSum(y.data(), kLogits, passes); });
            sink += maxExpSum(x.data(), kLogits, passes);
            second.join();
            sink += other;
        });
    c.vectorFmasPerSecond = 10.0 * double(fmaIterations) / bestTime(reps, [&] {
                                sink += HWY_DYNAMIC_DISPATCH(FmaChains)(fmaIterations);
                            });
    if (sink == 42.0) // keeps the loops from being elided
        c.lanes = -c.lanes;
    return c;
}

} // namespace shapescope::bench
#endif // HWY_ONCE
