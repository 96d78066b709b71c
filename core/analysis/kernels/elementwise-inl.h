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
    if (classes == 1 && inner == 1) {
        // One element per position ((N,) and (N, 1) inputs): losses straight into the output.
        const size_t n = size_t(block.outer);
        const V wc = hn::Set(d, kWeighted ? w[0] : T(1));
        size_t i = 0;
        for (; i + N <= n; i += N)
            WideStore(d,
                      Widen(d, ElementLoss<kWeighted>(d, op, hn::LoadU(d, x + i),
                                                      hn::LoadU(d, targets + i), wc)),
                      sums + i);
        if (i < n) {
            HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(T) + 8];
            WideStore(d,
                      Widen(d, ElementLoss<kWeighted>(d, op, LoadTail(d, x + i, n - i, T(0)),
                                                      LoadTail(d, targets + i, n - i, T(0)), wc)),
                      lanes);
            std::copy(lanes, lanes + (n - i), sums + i);
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
