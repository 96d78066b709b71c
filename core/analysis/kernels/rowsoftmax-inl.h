// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax statistics of contiguous rows (inner == 1, class axis last) with enough classes to
// fill vectors: the lanes of a vector are consecutive classes of one row. Re-included per
// Highway target.

#if defined(SHAPESCOPE_KERNELS_ROWSOFTMAX_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_ROWSOFTMAX_INL_H
#undef SHAPESCOPE_KERNELS_ROWSOFTMAX_INL_H
#else
#define SHAPESCOPE_KERNELS_ROWSOFTMAX_INL_H
#endif

#include "analysis/kernels/softmaxpass-inl.h"

#include <algorithm>
#include <cmath>
#include <hwy/cache_control.h>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Classes per chunk: 8 KiB of float32 stay in L1 between pass A and pass B; a 50257-class
// vocabulary row is 25 chunks and 24 rescales.
inline constexpr size_t kRowChunk = 2048;

// Pass A over x[0, n): the largest value and whether a NaN occurs. A row with a NaN has a NaN
// loss and argmax -1 whatever its max, so a plain Max serves (its NaN handling differs between
// targets). NaN detection rides on a running sum, NaN iff some x is NaN or inf - inf occurred;
// only then is the chunk checked exactly. The scan goes in steps of eight vectors, which pass B
// of the chunk before interleaves with its exp (SumExpVectors): the scan's loads, maxima and
// adds fill slots the exp's long dependency chains leave idle, and the scan is what reads from
// memory while pass B works in L1 (4% faster than a separate pass A on the long-row benchmarks,
// Zen 1). Two max chains: one would wait on Max's latency when the scan runs alone.
template <class D, typename T = hn::TFromD<D>> struct MaxScan
{
    using V = hn::Vec<D>;
    const T* HWY_RESTRICT x;
    size_t n;
    size_t at = 0;
    V m0, m1, sum;

    MaxScan(D d, const T* x, size_t n) : x(x), n(n), m0(NegInf(d)), m1(m0), sum(hn::Zero(d)) {}

    // The two vectors at x + i, one per max chain.
    HWY_INLINE void takePair(D d, size_t i)
    {
        const V v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + hn::Lanes(d));
        m0 = hn::Max(m0, v0);
        m1 = hn::Max(m1, v1);
        sum = hn::Add(sum, hn::Add(v0, v1));
    }

    // Eight vectors, if that many are left.
    HWY_INLINE void step(D d)
    {
        const size_t N = hn::Lanes(d);
        if (at + 8 * N > n)
            return;
        for (size_t k = 0; k < 8 * N; k += 2 * N)
            takePair(d, at + k);
        at += 8 * N;
    }

    // Scans what is left; returns the max and sets `nan`.
    HWY_INLINE T finish(D d, bool& nan)
    {
        const size_t N = hn::Lanes(d);
        for (; at + 2 * N <= n; at += 2 * N)
            takePair(d, at);
        for (; at + N <= n; at += N) {
            const V v = hn::LoadU(d, x + at);
            m0 = hn::Max(m0, v);
            sum = hn::Add(sum, v);
        }
        if (at < n) {
            m1 = hn::Max(m1, LoadTail(d, x + at, n - at, -std::numeric_limits<T>::infinity()));
            sum = hn::Add(sum, LoadTail(d, x + at, n - at, T(0)));
            at = n;
        }
        nan = !hn::AllFalse(d, hn::IsNaN(sum));
        if (nan) { // NaN, or only +inf meeting -inf?
            nan = false;
            for (size_t i = 0; i < n && !nan; i += N)
                nan = !hn::AllFalse(d, hn::IsNaN(i + N <= n ? hn::LoadU(d, x + i)
                                                            : LoadTail(d, x + i, n - i, T(0))));
        }
        return hn::GetLane(hn::MaxOfLanes(d, hn::Max(m0, m1)));
    }
};

// The first index in x[0, n) holding `value`, which occurs there.
template <class D, typename T>
HWY_INLINE size_t FindFirst(D d, const T* HWY_RESTRICT x, size_t n, T value)
{
    const size_t N = hn::Lanes(d);
    const auto target = hn::Set(d, value);
    size_t i = 0;
    // Four vectors per test: the scan runs over half a row on average, for every row.
    for (; i + 4 * N <= n; i += 4 * N) {
        const auto any = hn::Or(
            hn::Or(hn::Eq(hn::LoadU(d, x + i), target), hn::Eq(hn::LoadU(d, x + i + N), target)),
            hn::Or(hn::Eq(hn::LoadU(d, x + i + 2 * N), target),
                   hn::Eq(hn::LoadU(d, x + i + 3 * N), target)));
        if (!hn::AllFalse(d, any))
            break;
    }
    for (; i + N <= n; i += N) {
        const intptr_t lane = hn::FindFirstTrue(d, hn::Eq(hn::LoadU(d, x + i), target));
        if (lane >= 0)
            return i + size_t(lane);
    }
    const intptr_t lane = hn::FindFirstTrue(d, hn::Eq(LoadTail(d, x + i, n - i, T(0)), target));
    return i + size_t(lane);
}

// Pass B over x[0, n) (and t, w for Extra): sums against the reference `ref`.
template <Extra kExtra, class D, typename T>
HWY_INLINE void ChunkSums(D d, const T* HWY_RESTRICT x, const T* HWY_RESTRICT t,
                          const double* HWY_RESTRICT w, size_t n, T ref,
                          const Smoothing<D>& smoothing, PassBSums<D>& sums)
{
    const size_t N = hn::Lanes(d);
    const auto vRef = hn::Set(d, ref);
    const auto zero = hn::Zero(d);
    const Wide<D> noWeight = WideSet(d, 0.0);
    constexpr bool kWeighted = kExtra != Extra::None;
    size_t i = 0;
    for (; i + N <= n; i += N) {
        const auto v = hn::LoadU(d, x + i);
        const auto tv = kExtra == Extra::Probability ? hn::LoadU(d, t + i) : zero;
        PassBStep<kExtra>(d, v, v, vRef, kWeighted ? WideLoad(d, w + i) : noWeight, tv, smoothing,
                          sums);
    }
    if (i < n) {
        const size_t rest = n - i;
        const auto vExp = LoadTail(d, x + i, rest, -std::numeric_limits<T>::infinity());
        const auto vSum = LoadTail(d, x + i, rest, T(0));
        const auto tv = kExtra == Extra::Probability ? LoadTail(d, t + i, rest, T(0)) : zero;
        PassBStep<kExtra>(d, vExp, vSum, vRef, kWeighted ? WideLoadTail(d, w + i, rest) : noWeight,
                          tv, smoothing, sums);
    }
}

// sum exp(x_c - ref) over the full vectors of x[begin, end) into acc: eight vectors summed
// pairwise in T, then widened. Per-element widening doubles the cost of the exp; the float sum
// of eight terms < ~1 rounds by at most 3 ulp of itself. Each eight vectors also take a step of
// `next`, pass A of the chunk after this one.
template <class D, typename T, class V = hn::Vec<D>>
HWY_INLINE void SumExpVectors(D d, const T* HWY_RESTRICT x, size_t begin, size_t end, V vRef,
                              Wide<D>& acc0, Wide<D>& acc1, MaxScan<D>& next)
{
    const size_t N = hn::Lanes(d);
    auto term = [&](size_t i) { return ExpNonPositive(d, hn::Sub(hn::LoadU(d, x + i), vRef)); };
    size_t i = begin;
    for (; i + 8 * N <= end; i += 8 * N) {
        next.step(d);
        const V s0 =
            hn::Add(hn::Add(term(i), term(i + N)), hn::Add(term(i + 2 * N), term(i + 3 * N)));
        const V s1 = hn::Add(hn::Add(term(i + 4 * N), term(i + 5 * N)),
                             hn::Add(term(i + 6 * N), term(i + 7 * N)));
        WideAddTo(acc0, Widen(d, hn::Add(s0, s1)));
    }
    for (; i + 2 * N <= end; i += 2 * N)
        WideAddTo(acc1, Widen(d, hn::Add(term(i), term(i + N))));
    if (i + N <= end)
        WideAddTo(acc1, Widen(d, term(i)));
}

// Pass B of Extra::None: sum exp(x_c - ref) over x[0, n). The element at `skip` (the row's first
// maximum when it lies in this chunk, else n) is left out: the caller adds its exp(0) = 1 exactly
// in double. A lone 1 among terms summed in T would round away the small terms beside it, and
// when the max is far ahead those small terms are the whole loss of the prediction. Further
// maxima stay in, as the sum is then >= 2 and the rounding relative to it is small.
template <class D, typename T>
HWY_INLINE double ChunkSumExp(D d, const T* HWY_RESTRICT x, size_t n, T ref, size_t skip,
                              MaxScan<D>& next)
{
    using V = hn::Vec<D>;
    const size_t N = hn::Lanes(d);
    const V vRef = hn::Set(d, ref);
    Wide<D> acc0 = WideSet(d, 0.0), acc1 = acc0;
    const size_t full = n / N * N;
    // The vector holding `skip` (possibly the partial last one) is summed on its own, masked.
    const size_t skipAt = skip < n ? skip / N * N : full;
    SumExpVectors(d, x, 0, skipAt, vRef, acc0, acc1, next);
    SumExpVectors(d, x, std::min(skipAt + N, full), full, vRef, acc0, acc1, next);
    if (skipAt < n) {
        const size_t rest = std::min(N, n - skipAt);
        const V v = rest == N ? hn::LoadU(d, x + skipAt)
                              : LoadTail(d, x + skipAt, rest, -std::numeric_limits<T>::infinity());
        const hn::RebindToSigned<D> di;
        using TI = hwy::MakeSigned<T>;
        const auto lane = hn::Eq(hn::Iota(di, 0), hn::Set(di, TI(skip - skipAt)));
        const V e = ExpNonPositive(d, hn::Sub(v, vRef));
        WideAddTo(acc1, Widen(d, hn::IfThenZeroElse(hn::RebindMask(d, lane), e)));
    }
    if (full < n && skipAt != full) {
        const V v = LoadTail(d, x + full, n - full, -std::numeric_limits<T>::infinity());
        WideAddTo(acc1, Widen(d, ExpNonPositive(d, hn::Sub(v, vRef))));
    }
    WideAddTo(acc0, acc1);
    return WideReduce(acc0);
}

// Fills tile entries [0, count) for rows first .. first + count - 1. kSoftmax = false (nll)
// runs pass A only: the loss reads x[target] alone.
template <Extra kExtra, bool kSoftmax, class D, typename T>
HWY_NOINLINE void RowSoftmax(D d, const SoftmaxJob<T>& job, qint64 first, int count,
                             SoftmaxTile& tile)
{
    const size_t classes = size_t(job.classes);
    const Smoothing<D> smoothing(d, job.smoothing, job.classes);
    // Pass A of each chunk: the next chunk in memory is the row's next one or the next row's
    // first (rows are contiguous), and Extra::None's pass B takes its scan along.
    const T* const end = job.input + (first + count) * job.classes;
    MaxScan<D> scan(d, job.input + first * job.classes, std::min(kRowChunk, classes));
    for (int k = 0; k < count; ++k) {
        const T* x = job.input + (first + k) * job.classes;
        const T* t =
            kExtra == Extra::Probability ? job.targets + (first + k) * job.classes : nullptr;
        T best = -std::numeric_limits<T>::infinity();
        size_t bestIndex = 0;
        bool nan = false;
        T ref = 0;
        double sumExp = 0.0;
        double weightedSum = 0.0;
        double targetMass = 0.0;
        for (size_t c0 = 0; c0 < classes; c0 += kRowChunk) {
            const size_t n = std::min(kRowChunk, classes - c0);
            bool chunkNan = false;
            const T chunkMax = scan.finish(d, chunkNan);
            const T* following = x + c0 + n;
            // The rest of this row, or all of the next.
            const size_t rowLeft = c0 + n < classes ? classes - c0 - n : classes;
            const size_t followingSize = following == end ? 0 : std::min(kRowChunk, rowLeft);
            scan = MaxScan<D>(d, following, followingSize);
            nan = nan || chunkNan;
            if (nan) // the max is meaningless (and may not occur in x) once a NaN was seen
                continue;
            if (chunkMax > best) {
                best = chunkMax;
                bestIndex = c0 + FindFirst(d, x + c0, n, chunkMax);
            }
            if constexpr (kSoftmax) {
                // Pass B is compute-bound: have the memory system fetch the next chunk
                // meanwhile. Extra::None's pass B reads it itself, through the scan it
                // interleaves (a prefetch ahead of the scan measured no faster); the other sums
                // prefetch the chunk at once.
                if constexpr (kExtra != Extra::None) {
                    for (size_t ahead = 0; ahead < followingSize; ahead += 64 / sizeof(T))
                        hwy::Prefetch(following + ahead);
                }
                const T newRef = std::isfinite(best) ? best : T(0);
                // The old sum is 0 unless ref was an earlier, smaller finite max, so the
                // exponent is <= 0 whenever it matters; min() keeps 0 * exp(+x) from being NaN.
                if (newRef != ref && sumExp != 0.0)
                    sumExp *= std::exp(std::min(double(ref) - double(newRef), 0.0));
                ref = newRef;
                if constexpr (kExtra == Extra::None) {
                    const bool skip = chunkMax == ref && bestIndex >= c0;
                    sumExp += ChunkSumExp(d, x + c0, n, ref, skip ? bestIndex - c0 : n, scan);
                    if (skip)
                        sumExp += 1.0;
                    continue;
                }
                PassBSums<D> sums(d);
                ChunkSums<kExtra>(d, x + c0, t ? t + c0 : nullptr,
                                  kExtra != Extra::None ? job.weight + c0 : nullptr, n, ref,
                                  smoothing, sums);
                sumExp += WideReduce(sums.sumExp);
                if constexpr (kExtra != Extra::None)
                    weightedSum += WideReduce(sums.weightedSum);
                if constexpr (kExtra == Extra::Probability)
                    targetMass += WideReduce(sums.targetMass);
            }
        }
        tile.max[k] = double(best);
        tile.logSumExp[k] = std::log(sumExp);
        tile.weightedSum[k] = weightedSum;
        tile.targetMass[k] = targetMass;
        tile.argmax[k] = nan ? -1 : qint32(bestIndex);
    }
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_ROWSOFTMAX_INL_H
