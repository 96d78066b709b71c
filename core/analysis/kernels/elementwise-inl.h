// SPDX-License-Identifier: GPL-3.0-or-later
// The elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy, kl_div): each element
// in the input's precision with PyTorch's formula and order of operations, summed per position in
// double. Re-included per Highway target.

#if defined(SHAPESCOPE_KERNELS_ELEMENTWISE_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_ELEMENTWISE_INL_H
#undef SHAPESCOPE_KERNELS_ELEMENTWISE_INL_H
#else
#define SHAPESCOPE_KERNELS_ELEMENTWISE_INL_H
#endif

#include "analysis/kernels/simdutil-inl.h"
#include "analysis/losskernels.h"

#include <algorithm>
#include <cstdint>
#include <hwy/cache_control.h>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Every op maps x = t = 0 to 0: zero-filled tail lanes then add nothing to a row's sum.

// torch: (input - target).pow(2)
struct MseOp
{
    template <class D, class V> HWY_INLINE V operator()(D, V x, V t) const
    {
        const V diff = hn::Sub(x, t);
        return hn::Mul(diff, diff);
    }
};

// torch: (input - target).abs()
struct L1Op
{
    template <class D, class V> HWY_INLINE V operator()(D, V x, V t) const
    {
        return hn::Abs(hn::Sub(x, t));
    }
};

// torch (SmoothL1 kernel): z < beta ? 0.5 * z * z / beta : z - 0.5 * beta, z = |x - t|;
// beta == 0 is l1_loss.
template <typename T> struct SmoothL1Op
{
    T beta;
    template <class D, class V> HWY_INLINE V operator()(D d, V x, V t) const
    {
        const V z = hn::Abs(hn::Sub(x, t));
        if (beta == T(0))
            return z;
        const V b = hn::Set(d, beta);
        const V half = hn::Set(d, T(0.5));
        const V quadratic = hn::Div(hn::Mul(hn::Mul(half, z), z), b);
        const V linear = hn::Sub(z, hn::Mul(half, b));
        return hn::IfThenElse(hn::Lt(z, b), quadratic, linear);
    }
};

// torch (Huber kernel): z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta)
template <typename T> struct HuberOp
{
    T delta;
    template <class D, class V> HWY_INLINE V operator()(D d, V x, V t) const
    {
        const V z = hn::Abs(hn::Sub(x, t));
        const V dl = hn::Set(d, delta);
        const V half = hn::Set(d, T(0.5));
        const V quadratic = hn::Mul(hn::Mul(half, z), z);
        const V linear = hn::Mul(dl, hn::Sub(z, hn::Mul(half, dl)));
        return hn::IfThenElse(hn::Lt(z, dl), quadratic, linear);
    }
};

// torch 2.x (binary_cross_entropy_out_cpu): (t - 1) * max(log1p(-x), -100) - t * max(log(x),
// -100). Torch 1.13 takes log(1 - x), within a float32 rounding of this for x away from 0.
// An x outside [0, 1] (or NaN) makes torch raise "all elements of input should be between 0
// and 1"; here it gives NaN, which the analysis reports with torch's text.
struct BceProbabilityOp
{
    template <class D, class V> HWY_INLINE V operator()(D d, V x, V t) const
    {
        using T = hn::TFromD<D>;
        const V one = hn::Set(d, T(1));
        const V floor = hn::Set(d, T(-100));
        // Highway's Log and Log1p are defined for arguments above 0 (above -1): log(0) is
        // torch's -inf clamped to -100, set directly.
        const V logX = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), floor, hn::Max(hn::Log(d, x), floor));
        const V log1mX =
            hn::IfThenElse(hn::Eq(x, one), floor, hn::Max(hn::Log1p(d, hn::Neg(x)), floor));
        const V l = hn::Sub(hn::Mul(hn::Sub(t, one), log1mX), hn::Mul(t, logX));
        const auto inRange = hn::And(hn::Ge(x, hn::Zero(d)), hn::Le(x, one));
        return hn::IfThenElse(inRange, l, hn::Set(d, std::numeric_limits<T>::quiet_NaN()));
    }
};

// torch.kl_div: log_target ? exp(t) * (t - x) : xlogy(t, t) - t * x, where xlogy(0, y) = 0.
template <bool kLogTarget> struct KlDivOp
{
    template <class D, class V> HWY_INLINE V operator()(D d, V x, V t) const
    {
        if constexpr (kLogTarget) {
            return hn::Mul(hn::Exp(d, t), hn::Sub(t, x));
        } else {
            const V xlogy = hn::IfThenZeroElse(hn::Eq(t, hn::Zero(d)), hn::Mul(t, hn::Log(d, t)));
            return hn::Sub(xlogy, hn::Mul(t, x));
        }
    }
};

// One vector of losses, times the per-element weight when there is one.
template <bool kWeighted, class Op, class D, class V = hn::Vec<D>>
HWY_INLINE V ElementLoss(D d, const Op& op, V x, V t, V w)
{
    if constexpr (kWeighted)
        return hn::Mul(op(d, x, t), w);
    else
        return op(d, x, t);
}

// Rows of at most this many classes take the flat path of ElementwiseSums.
constexpr size_t kShortRow = 16;

// The n element losses of x and t (times the scalar weight when kWeighted) into out[0, n). Long
// runs bypass the cache on the way out: the output is twice the input's bytes (double against
// float) and nobody reads it before the run ends, so reading it in first (write-allocate) would
// only add traffic.
template <bool kWeighted, class Op, class D, typename T>
HWY_INLINE void ElementLossesFlat(D d, const Op& op, const T* HWY_RESTRICT x,
                                  const T* HWY_RESTRICT t, size_t n, T weight,
                                  double* HWY_RESTRICT out)
{
    using V = hn::Vec<D>;
    const size_t N = hn::Lanes(d);
    const V wc = hn::Set(d, weight);
    size_t i = 0;
    constexpr size_t kStreamFrom = size_t(1) << 17;
    const typename Wide<D>::DW dw;
    if (n >= kStreamFrom && Wide<D>::kParts * hn::Lanes(dw) == N) {
        // Scalar steps up to a vector-aligned output address, which Stream needs.
        const size_t alignBytes = hn::Lanes(dw) * sizeof(double);
        for (; i < n && reinterpret_cast<uintptr_t>(out + i) % alignBytes != 0; ++i) {
            HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(T) + 8];
            WideStore(d,
                      Widen(d, ElementLoss<kWeighted>(d, op, LoadTail(d, x + i, 1, T(0)),
                                                      LoadTail(d, t + i, 1, T(0)), wc)),
                      lanes);
            out[i] = lanes[0];
        }
        for (; i + N <= n; i += N) {
            const Wide<D> v = Widen(
                d, ElementLoss<kWeighted>(d, op, hn::LoadU(d, x + i), hn::LoadU(d, t + i), wc));
            for (size_t k = 0; k < Wide<D>::kParts; ++k)
                hn::Stream(v.part[k], dw, out + i + k * hn::Lanes(dw));
        }
        hwy::FlushStream();
    }
    for (; i + N <= n; i += N)
        WideStore(
            d,
            Widen(d, ElementLoss<kWeighted>(d, op, hn::LoadU(d, x + i), hn::LoadU(d, t + i), wc)),
            out + i);
    if (i < n) {
        HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(T) + 8];
        WideStore(d,
                  Widen(d, ElementLoss<kWeighted>(d, op, LoadTail(d, x + i, n - i, T(0)),
                                                  LoadTail(d, t + i, n - i, T(0)), wc)),
                  lanes);
        std::copy(lanes, lanes + (n - i), out + i);
    }
}

// One row's element losses, each times its class's weight, into out[0, classes).
template <class Op, class D, typename T>
HWY_INLINE void ElementLossesRow(D d, const Op& op, const T* x, const T* t, const T* w,
                                 size_t classes, double* out)
{
    const size_t N = hn::Lanes(d);
    HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(T) + 8];
    for (size_t c = 0; c < classes; c += N) {
        const size_t n = std::min(N, classes - c);
        WideStore(
            d,
            Widen(d, ElementLoss<true>(d, op, LoadTail(d, x + c, n, T(0)),
                                       LoadTail(d, t + c, n, T(0)), LoadTail(d, w + c, n, T(0)))),
            lanes);
        std::copy(lanes, lanes + n, out + c);
    }
}

// Per-position sums over the classes of the element-wise losses into sums[0, positions).
// `w` holds one weight per class (used when kWeighted).
template <bool kWeighted, class Op, class D, typename T>
HWY_NOINLINE void ElementwiseSums(D d, const Op& op, const ClassBlock<T>& block,
                                  const T* HWY_RESTRICT targets, const T* w, double* sums)
{
    using V = hn::Vec<D>;
    const size_t N = hn::Lanes(d);
    const size_t classes = size_t(block.classes);
    const qint64 inner = block.inner;
    const T* HWY_RESTRICT x = block.input;
    const V one = hn::Set(d, T(1));
    if (block.outer <= 0)
        return;
    if (classes == 1 && inner == 1) {
        // One element per position ((N,) and (N, 1) inputs): losses straight into the output.
        ElementLossesFlat<kWeighted>(d, op, x, targets, size_t(block.outer),
                                     kWeighted ? w[0] : T(1), sums);
    } else if (inner == 1 && classes <= kShortRow) {
        // Short rows ((N, 2), (N, 8)): one vector per row would leave most lanes empty, so the
        // rows' elements are computed as one flat run and then summed row by row.
        constexpr size_t kRows = 256;
        HWY_ALIGN double flat[kRows * kShortRow + HWY_MAX_BYTES];
        const size_t rows = size_t(block.outer);
        for (size_t r0 = 0; r0 < rows; r0 += kRows) {
            const size_t count = std::min(kRows, rows - r0);
            const size_t at = r0 * classes;
            if constexpr (kWeighted) {
                for (size_t r = 0; r < count; ++r)
                    ElementLossesRow(d, op, x + at + r * classes, targets + at + r * classes, w,
                                     classes, flat + r * classes);
            } else {
                ElementLossesFlat<false>(d, op, x + at, targets + at, count * classes, T(1), flat);
            }
            for (size_t r = 0; r < count; ++r) {
                double sum = 0;
                for (size_t c = 0; c < classes; ++c)
                    sum += flat[r * classes + c];
                sums[r0 + r] = sum;
            }
        }
    } else if (inner == 1) {
        // Contiguous rows: each row summed in double lanes (the weight, when any, per class).
        for (qint64 r = 0; r < block.outer; ++r) {
            const T* xr = x + r * block.classes;
            const T* tr = targets + r * block.classes;
            Wide<D> sum = WideSet(d, 0.0);
            size_t c = 0;
            for (; c + N <= classes; c += N)
                WideAddTo(sum, Widen(d, ElementLoss<kWeighted>(
                                            d, op, hn::LoadU(d, xr + c), hn::LoadU(d, tr + c),
                                            kWeighted ? hn::LoadU(d, w + c) : one)));
            if (c < classes)
                WideAddTo(sum,
                          Widen(d, ElementLoss<kWeighted>(
                                       d, op, LoadTail(d, xr + c, classes - c, T(0)),
                                       LoadTail(d, tr + c, classes - c, T(0)),
                                       kWeighted ? LoadTail(d, w + c, classes - c, T(0)) : one)));
            sums[r] = WideReduce(sum);
        }
    } else {
        // Class axis strided: vectorise over inner positions, class by class.
        constexpr size_t kSpan = 512;
        HWY_ALIGN double acc[kSpan + HWY_MAX_BYTES / sizeof(T)];
        for (qint64 o = 0; o < block.outer; ++o) {
            for (qint64 i0 = 0; i0 < inner; i0 += qint64(kSpan)) {
                const size_t span = size_t(std::min<qint64>(qint64(kSpan), inner - i0));
                std::fill(acc, acc + span + N, 0.0);
                for (size_t c = 0; c < classes; ++c) {
                    const qint64 at = (o * block.classes + qint64(c)) * inner + i0;
                    const V wc = hn::Set(d, kWeighted ? w[c] : T(1));
                    for (size_t j = 0; j < span; j += N) {
                        const size_t n = std::min(N, span - j);
                        const V xv =
                            n == N ? hn::LoadU(d, x + at + j) : LoadTail(d, x + at + j, n, T(0));
                        const V tv = n == N ? hn::LoadU(d, targets + at + j)
                                            : LoadTail(d, targets + at + j, n, T(0));
                        // Tail lanes add into acc's slack, which is never copied out.
                        Wide<D> sum = WideLoad(d, acc + j);
                        WideAddTo(sum, Widen(d, ElementLoss<kWeighted>(d, op, xv, tv, wc)));
                        WideStore(d, sum, acc + j);
                    }
                }
                std::copy(acc, acc + span, sums + o * inner + i0);
            }
        }
    }
}

template <class Op, class D, typename T>
HWY_INLINE void ElementwiseSumsFor(D d, const Op& op, const ClassBlock<T>& block, const T* targets,
                                   const T* w, double* sums)
{
    if (w)
        ElementwiseSums<true>(d, op, block, targets, w, sums);
    else
        ElementwiseSums<false>(d, op, block, targets, w, sums);
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_ELEMENTWISE_INL_H
