// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax statistics with positions across lanes: the class axis strided by `inner` (K-dim
// inputs, vectorised over the contiguous inner positions) and short contiguous rows (a few
// classes each: lanes = rows, so no lane idles as it would if one row of 10 classes filled a
// 16-lane vector). Each lane runs the same two-pass, chunked online softmax as the row path,
// with per-lane state; lanes never interact, so a position's result does not depend on which
// lane or group it lands in, and any split of a block gives bit-identical results.
// Re-included per Highway target.

#if defined(SHAPESCOPE_KERNELS_LANESOFTMAX_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_LANESOFTMAX_INL_H
#undef SHAPESCOPE_KERNELS_LANESOFTMAX_INL_H
#else
#define SHAPESCOPE_KERNELS_LANESOFTMAX_INL_H
#endif

#include "analysis/kernels/softmaxpass-inl.h"

#include <algorithm>
#include <cstdint>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Classes per chunk: between rescales, and the depth of the staging buffer.
inline constexpr size_t kLaneChunk = 64;

// A group is kUnroll vectors of consecutive positions; two independent dependency chains hide
// the compare/blend latency of pass A. The weighted sums need more registers, so one vector.
template <Extra kExtra> inline constexpr size_t kUnroll = kExtra == Extra::None ? 2 : 1;

// Where a group's lanes find their logits. A group of positions in one outer with consecutive
// inner indices is read in place: x[(o * C + c) * inner + i + lane]. Any other group (short
// rows, a group straddling two outers, the last partial group) is first copied chunk by chunk
// into a [class][lane] buffer; padding lanes repeat lane 0's position.
template <class D, size_t kMaxLanes> struct GroupLayout
{
    using T = hn::TFromD<D>;
    using TI = hwy::MakeSigned<T>;
    bool direct = false;
    qint64 baseOffset = 0;          // element (first position, class 0)
    HWY_ALIGN TI offset[kMaxLanes]; // per lane, relative to baseOffset (gather indices)
    qint64 offset64[kMaxLanes];     // the same, when TI could overflow

    GroupLayout(qint64 first, size_t lanes, size_t groupLanes, qint64 classes, qint64 inner)
    {
        qint64 o = first / inner;
        qint64 i = first % inner;
        baseOffset = o * classes * inner + i;
        direct = lanes == groupLanes && i + qint64(groupLanes) <= inner;
        if (direct)
            return;
        for (size_t j = 0; j < groupLanes; ++j) {
            offset64[j] = j < lanes ? o * classes * inner + i - baseOffset : 0;
            offset[j] = TI(offset64[j]);
            if (++i == inner) {
                i = 0;
                ++o;
            }
        }
    }
};

// Copies classes [c0, c0 + n) of a gathered group into buf[c][lane]. Short contiguous rows
// (inner == 1) are copied four rows by four classes through 128-bit transposes (float; the
// classes left over, double and HWY_SCALAR row by row, which beats vgatherdps, ~18 cycles on
// Zen 1, by 13%); anything else is gathered.
template <class D, class Layout, typename T>
HWY_INLINE void StageChunk(D d, const Layout& layout, bool useGather, const T* HWY_RESTRICT data,
                           qint64 inner, size_t c0, size_t n, size_t groupLanes,
                           T* HWY_RESTRICT buf)
{
    const size_t N = hn::Lanes(d);
    const hn::RebindToSigned<D> di;
    const T* base = data + layout.baseOffset + qint64(c0) * inner;
    if (inner == 1) {
        size_t c = 0;
#if HWY_TARGET != HWY_SCALAR
        if constexpr (sizeof(T) == 4) {
            // Four rows by four classes at a time: four 128-bit loads, a 4x4 transpose of
            // two interleave rounds, four 128-bit stores, where the scalar copy takes 16 loads
            // and 16 stores. Group lanes come in multiples of four.
            const hn::Full128<T> d4;
            const hn::Repartition<double, decltype(d4)> d2;
            for (; groupLanes % 4 == 0 && c + 4 <= n; c += 4) {
                for (size_t j = 0; j < groupLanes; j += 4) {
                    const auto a0 = hn::LoadU(d4, base + layout.offset64[j] + c);
                    const auto a1 = hn::LoadU(d4, base + layout.offset64[j + 1] + c);
                    const auto a2 = hn::LoadU(d4, base + layout.offset64[j + 2] + c);
                    const auto a3 = hn::LoadU(d4, base + layout.offset64[j + 3] + c);
                    // t01 = a0_0 a1_0 a0_1 a1_1, t01hi = a0_2 a1_2 a0_3 a1_3; t23 likewise.
                    const auto t01 = hn::BitCast(d2, hn::InterleaveLower(d4, a0, a1));
                    const auto t23 = hn::BitCast(d2, hn::InterleaveLower(d4, a2, a3));
                    const auto t01hi = hn::BitCast(d2, hn::InterleaveUpper(d4, a0, a1));
                    const auto t23hi = hn::BitCast(d2, hn::InterleaveUpper(d4, a2, a3));
                    T* out = buf + c * groupLanes + j;
                    hn::Store(hn::BitCast(d4, hn::InterleaveLower(d2, t01, t23)), d4, out);
                    hn::Store(hn::BitCast(d4, hn::InterleaveUpper(d2, t01, t23)), d4,
                              out + groupLanes);
                    hn::Store(hn::BitCast(d4, hn::InterleaveLower(d2, t01hi, t23hi)), d4,
                              out + 2 * groupLanes);
                    hn::Store(hn::BitCast(d4, hn::InterleaveUpper(d2, t01hi, t23hi)), d4,
                              out + 3 * groupLanes);
                }
            }
        }
#endif
        for (size_t j = 0; j < groupLanes; ++j) {
            const T* row = base + layout.offset64[j];
            for (size_t k = c; k < n; ++k)
                buf[k * groupLanes + j] = row[k];
        }
        return;
    }
    for (size_t c = 0; c < n; ++c, base += inner) {
        if (useGather) {
            for (size_t u = 0; u < groupLanes; u += N)
                hn::Store(hn::GatherIndex(d, base, hn::Load(di, layout.offset + u)), d,
                          buf + c * groupLanes + u);
        } else {
            for (size_t j = 0; j < groupLanes; ++j)
                buf[c * groupLanes + j] = base[layout.offset64[j]];
        }
    }
}

// Fills tile entries [0, count) for positions first .. first + count - 1.
template <Extra kExtra, bool kSoftmax, class D, typename T>
HWY_NOINLINE void LaneSoftmax(D d, const SoftmaxJob<T>& job, qint64 first, int count,
                              SoftmaxTile& tile)
{
    using DI = hn::RebindToSigned<D>;
    using TI = hwy::MakeSigned<T>;
    constexpr size_t U = kUnroll<kExtra>;
    constexpr size_t kMaxLanes = U * HWY_MAX_BYTES / sizeof(T);
    const DI di;
    const size_t N = hn::Lanes(d);
    const size_t G = U * N;
    const qint64 classes = job.classes;
    const qint64 inner = job.inner;
    const size_t chunk = std::min<size_t>(kLaneChunk, size_t(classes));
    // Gather indices are TI (int32 for float): fall back to scalar staging if they could overflow.
    const bool useGather =
        double(G) * double(classes) * double(inner) < double(std::numeric_limits<TI>::max());
    const Smoothing<D> smoothing(d, job.smoothing, classes);
    HWY_ALIGN T xBuf[kLaneChunk * kMaxLanes];
    HWY_ALIGN T tBuf[kExtra == Extra::Probability ? kLaneChunk * kMaxLanes : 1];

    for (size_t g = 0; g < size_t(count); g += G) {
        const size_t lanes = std::min(G, size_t(count) - g);
        const GroupLayout<D, kMaxLanes> layout(first + qint64(g), lanes, G, classes, inner);
        MaxState<D> state[U];
        PassBSums<D> sums[U];
        hn::Vec<D> ref[U];
        for (size_t u = 0; u < U; ++u)
            ref[u] = hn::Zero(d);

        for (size_t c0 = 0; c0 < size_t(classes); c0 += chunk) {
            const size_t n = std::min(chunk, size_t(classes) - c0);
            const T* x = job.input + layout.baseOffset + qint64(c0) * inner;
            const T* t = kExtra == Extra::Probability
                             ? job.targets + layout.baseOffset + qint64(c0) * inner
                             : nullptr;
            size_t stride = size_t(inner);
            if (!layout.direct) {
                StageChunk(d, layout, useGather, job.input, inner, c0, n, G, xBuf);
                x = xBuf;
                if constexpr (kExtra == Extra::Probability) {
                    StageChunk(d, layout, useGather, job.targets, inner, c0, n, G, tBuf);
                    t = tBuf;
                }
                stride = G;
            }

            for (size_t c = 0; c < n; ++c) {
                const auto index = hn::Set(di, TI(c0 + c));
                for (size_t u = 0; u < U; ++u)
                    state[u].update(d, hn::LoadU(d, x + c * stride + u * N), index);
            }
            if constexpr (!kSoftmax)
                continue;

            for (size_t u = 0; u < U; ++u) {
                const auto newRef = Reference(state[u].best);
                if (c0 > 0 && !hn::AllTrue(d, hn::Eq(newRef, ref[u]))) {
                    // exp(old - new) in double; lanes whose sum is still 0 may see old > new.
                    const Wide<D> oldRef = Widen(d, ref[u]);
                    const Wide<D> nextRef = Widen(d, newRef);
                    const typename Wide<D>::DW dw;
                    for (size_t k = 0; k < Wide<D>::kParts; ++k) {
                        const auto delta =
                            hn::Min(hn::Sub(oldRef.part[k], nextRef.part[k]), hn::Zero(dw));
                        sums[u].sumExp.part[k] =
                            hn::Mul(sums[u].sumExp.part[k], hn::Exp(dw, delta));
                    }
                }
                ref[u] = newRef;
            }
            if constexpr (kExtra == Extra::None) {
                // As ChunkSumExp (rowsoftmax-inl.h): exp summed in T over up to eight classes, then
                // widened; a lane whose first maximum is finite and in this chunk leaves it out
                // and adds its exp(0) = 1 in double. -1 matches no class.
                hn::Vec<DI> skip[U];
                for (size_t u = 0; u < U; ++u) {
                    const auto own = hn::And(hn::RebindMask(di, hn::IsFinite(state[u].best)),
                                             hn::Not(hn::Lt(state[u].index, hn::Set(di, TI(c0)))));
                    skip[u] = hn::IfThenElse(own, state[u].index, hn::Set(di, TI(-1)));
                    WideAddTo(sums[u].sumExp, Widen(d, hn::IfThenElseZero(hn::RebindMask(d, own),
                                                                          hn::Set(d, T(1)))));
                }
                // One class per step (unrolled, a group's exps run out of registers: 10%
                // slower), its index stepped by a vector add rather than broadcast anew.
                const auto one = hn::Set(di, TI(1));
                auto classIndex = hn::Set(di, TI(c0));
                for (size_t c = 0; c < n; c += 8) {
                    const size_t group = std::min<size_t>(8, n - c);
                    hn::Vec<D> sum[U];
                    for (size_t u = 0; u < U; ++u)
                        sum[u] = hn::Zero(d);
#pragma GCC unroll 1
                    for (size_t k = 0; k < group; ++k, classIndex = hn::Add(classIndex, one)) {
                        for (size_t u = 0; u < U; ++u) {
                            const auto v = hn::LoadU(d, x + (c + k) * stride + u * N);
                            const auto first = hn::RebindMask(d, hn::Eq(skip[u], classIndex));
                            const auto e = ExpNonPositive(d, hn::Sub(v, ref[u]));
                            sum[u] = hn::Add(sum[u], hn::IfThenZeroElse(first, e));
                        }
                    }
                    for (size_t u = 0; u < U; ++u)
                        WideAddTo(sums[u].sumExp, Widen(d, sum[u]));
                }
                continue;
            }
            for (size_t c = 0; c < n; ++c) {
                const Wide<D> w = WideSet(d, kExtra != Extra::None ? job.weight[c0 + c] : 0.0);
                for (size_t u = 0; u < U; ++u) {
                    const auto v = hn::LoadU(d, x + c * stride + u * N);
                    const auto tv = kExtra == Extra::Probability
                                        ? hn::LoadU(d, t + c * stride + u * N)
                                        : hn::Zero(d);
                    PassBStep<kExtra>(d, v, v, ref[u], w, tv, smoothing, sums[u]);
                }
            }
        }

        // Lanes past `lanes` land in the tile's slack and are never read.
        for (size_t u = 0; u < U; ++u) {
            const size_t at = g + u * N;
            HWY_ALIGN T best[HWY_MAX_BYTES / sizeof(T)];
            HWY_ALIGN TI index[HWY_MAX_BYTES / sizeof(T)];
            hn::Store(state[u].best, d, best);
            const auto minusOne = hn::Set(di, TI(-1));
            hn::Store(hn::IfThenElse(hn::RebindMask(di, state[u].nan), minusOne, state[u].index),
                      di, index);
            for (size_t j = 0; j < N; ++j) {
                tile.max[at + j] = double(best[j]);
                tile.argmax[at + j] = qint32(index[j]);
            }
            Wide<D> logSum = sums[u].sumExp;
            for (size_t k = 0; k < Wide<D>::kParts; ++k)
                logSum.part[k] = hn::Log(typename Wide<D>::DW(), logSum.part[k]);
            WideStore(d, logSum, tile.logSumExp + at);
            WideStore(d, sums[u].weightedSum, tile.weightedSum + at);
            WideStore(d, sums[u].targetMass, tile.targetMass + at);
        }
    }
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_LANESOFTMAX_INL_H
