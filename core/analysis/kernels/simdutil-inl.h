// Per-target SIMD helpers of the loss kernels: double-precision accumulation of float lanes,
// bounds-safe tail loads and a NaN-safe exp. Re-included once per Highway target by
// foreach_target.h (hence the toggling include guard instead of #pragma once).

#if defined(SHAPESCOPE_KERNELS_SIMDUTIL_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#undef SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#else
#define SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include <cstddef>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Double lanes holding the lanes of a vector of D: float lanes are widened into two half-width
// double vectors (one on HWY_SCALAR, which has no halves), double lanes stay as they are.
// Sums of exp terms are kept in double because in float32 the max's own exp(0) = 1 swallows the
// small terms next to it, and those small terms are the whole loss of a confident prediction.
template <class D>
struct Wide
{
    using T = hn::TFromD<D>;
#if HWY_TARGET == HWY_SCALAR
    using DW = hn::Rebind<double, D>;
    static constexpr size_t kParts = 1;
#else
    using DW = hn::Repartition<double, D>;
    static constexpr size_t kParts = sizeof(T) == 8 ? 1 : 2;
#endif
    hn::Vec<DW> part[kParts];
};

template <class D>
HWY_INLINE Wide<D> WideSet(D, double value)
{
    Wide<D> w;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        w.part[k] = hn::Set(typename Wide<D>::DW(), value);
    return w;
}

template <class D>
HWY_INLINE Wide<D> Widen(D d, hn::Vec<D> v)
{
    using W = Wide<D>;
    const typename W::DW dw;
    W w;
    if constexpr (sizeof(hn::TFromD<D>) == 8) {
        w.part[0] = v;
    } else {
#if HWY_TARGET == HWY_SCALAR
        w.part[0] = hn::PromoteTo(dw, v);
#else
        const hn::Half<D> dh;
        w.part[0] = hn::PromoteTo(dw, hn::LowerHalf(dh, v));
        w.part[1] = hn::PromoteTo(dw, hn::UpperHalf(dh, v));
#endif
    }
    (void)d;
    return w;
}

// The Lanes(d) doubles at p, lane for lane as Widen would place them.
template <class D>
HWY_INLINE Wide<D> WideLoad(D d, const double* p)
{
    using W = Wide<D>;
    const typename W::DW dw;
    W w;
    for (size_t k = 0; k < W::kParts; ++k)
        w.part[k] = hn::LoadU(dw, p + k * hn::Lanes(dw));
    (void)d;
    return w;
}

template <class D>
HWY_INLINE void WideStore(D, const Wide<D>& w, double* p)
{
    const typename Wide<D>::DW dw;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        hn::StoreU(w.part[k], dw, p + k * hn::Lanes(dw));
}

template <class D>
HWY_INLINE void WideAddTo(Wide<D>& acc, const Wide<D>& v)
{
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        acc.part[k] = hn::Add(acc.part[k], v.part[k]);
}

template <class D>
HWY_INLINE Wide<D> WideMul(const Wide<D>& a, const Wide<D>& b)
{
    Wide<D> r;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        r.part[k] = hn::Mul(a.part[k], b.part[k]);
    return r;
}

// acc += a * b
template <class D>
HWY_INLINE void WideMulAddTo(Wide<D>& acc, const Wide<D>& a, const Wide<D>& b)
{
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        acc.part[k] = hn::MulAdd(a.part[k], b.part[k], acc.part[k]);
}

template <class D>
HWY_INLINE double WideReduce(const Wide<D>& w)
{
    const typename Wide<D>::DW dw;
    auto sum = w.part[0];
    for (size_t k = 1; k < Wide<D>::kParts; ++k)
        sum = hn::Add(sum, w.part[k]);
    return hn::GetLane(hn::SumOfLanes(dw, sum));
}

// The first n (< Lanes(d)) values at p, the other lanes `fill`. Never reads past p + n:
// hn::MaskedLoad does on SSE4 and HWY_SCALAR.
template <class D, typename T = hn::TFromD<D>>
HWY_INLINE hn::Vec<D> LoadTail(D d, const T* p, size_t n, T fill)
{
    HWY_ALIGN T lanes[HWY_MAX_BYTES / sizeof(T)];
    for (size_t i = 0; i < hn::Lanes(d); ++i)
        lanes[i] = i < n ? p[i] : fill;
    return hn::Load(d, lanes);
}

template <class D>
HWY_INLINE Wide<D> WideLoadTail(D d, const double* p, size_t n)
{
    HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(double) * 2];
    for (size_t i = 0; i < hn::Lanes(d); ++i)
        lanes[i] = i < n ? p[i] : 0.0;
    return WideLoad(d, lanes);
}

// exp(x) for x <= 0, the logits minus their max. hwy's Exp is valid on [-FLT_MAX, 104] and
// converts to int32 on the way, which is UB for NaN on HWY_SCALAR; Min(x, 0) turns NaN (and the
// +inf of a row whose max is +inf; both rows are reported as NaN anyway) into 0.
template <class D, class V>
HWY_INLINE V ExpNonPositive(D d, V x)
{
    return hn::Exp(d, hn::Min(x, hn::Zero(d)));
}

template <class D>
HWY_INLINE hn::Vec<D> NegInf(D d)
{
    return hn::Set(d, -std::numeric_limits<hn::TFromD<D>>::infinity());
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
