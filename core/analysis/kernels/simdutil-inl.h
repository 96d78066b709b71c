// SPDX-License-Identifier: GPL-3.0-or-later
// Per-target SIMD helpers of the loss kernels: double-precision accumulation of float lanes,
// bounds-safe tail loads and a NaN-safe exp. Re-included once per Highway target by
// foreach_target.h (hence the toggling include guard instead of #pragma once).

#if defined(SHAPESCOPE_KERNELS_SIMDUTIL_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#undef SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#else
#define SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
#endif

#include <cstddef>
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Double lanes holding the lanes of a vector of D: float lanes are widened into two half-width
// double vectors (one on HWY_SCALAR, which has no halves), double lanes stay as they are.
// Sums of exp terms are kept in double because in float32 the max's own exp(0) = 1 swallows the
// small terms next to it, and those small terms are the whole loss of a confident prediction.
template <class D> struct Wide
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

template <class D> HWY_INLINE Wide<D> WideSet(D, double value)
{
    Wide<D> w;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        w.part[k] = hn::Set(typename Wide<D>::DW(), value);
    return w;
}

template <class D> HWY_INLINE Wide<D> Widen(D d, hn::Vec<D> v)
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
template <class D> HWY_INLINE Wide<D> WideLoad(D d, const double* p)
{
    using W = Wide<D>;
    const typename W::DW dw;
    W w;
    for (size_t k = 0; k < W::kParts; ++k)
        w.part[k] = hn::LoadU(dw, p + k * hn::Lanes(dw));
    (void)d;
    return w;
}

template <class D> HWY_INLINE void WideStore(D, const Wide<D>& w, double* p)
{
    const typename Wide<D>::DW dw;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        hn::StoreU(w.part[k], dw, p + k * hn::Lanes(dw));
}

template <class D> HWY_INLINE void WideAddTo(Wide<D>& acc, const Wide<D>& v)
{
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        acc.part[k] = hn::Add(acc.part[k], v.part[k]);
}

template <class D> HWY_INLINE Wide<D> WideMul(const Wide<D>& a, const Wide<D>& b)
{
    Wide<D> r;
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        r.part[k] = hn::Mul(a.part[k], b.part[k]);
    return r;
}

// acc += a * b
template <class D> HWY_INLINE void WideMulAddTo(Wide<D>& acc, const Wide<D>& a, const Wide<D>& b)
{
    for (size_t k = 0; k < Wide<D>::kParts; ++k)
        acc.part[k] = hn::MulAdd(a.part[k], b.part[k], acc.part[k]);
}

template <class D> HWY_INLINE double WideReduce(const Wide<D>& w)
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

template <class D> HWY_INLINE Wide<D> WideLoadTail(D d, const double* p, size_t n)
{
    HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(double) * 2];
    for (size_t i = 0; i < hn::Lanes(d); ++i)
        lanes[i] = i < n ? p[i] : 0.0;
    return WideLoad(d, lanes);
}

// exp(x) for the logits minus their max, x <= 0: exp is the kernels' hot loop, so instead of
// hn::Exp (which also serves x up to +104: it saturates a float->int conversion, scales by 2^q in
// two steps and selects 0 below -104) the range handling is cut to this domain. x is clamped
// below at `lowest`, where p * 2^q is still normal for any p >= 0.7, so 2^q is applied by adding
// q to p's exponent field; q comes from the 1.5 * 2^mantissa rounding trick with no float->int
// conversion at all (hn::Exp's conversion of NaN is UB on HWY_SCALAR). Below the clamp, exp is
// < 5e-38 (float) / 1e-307 (double) instead of 0: the sums it feeds hold the max's exp(0) = 1,
// so nothing changes. NaN becomes exp(lowest) (Max returns the second operand on x86 and ignores
// NaN on HWY_SCALAR) and +inf gives NaN; both only occur in rows that pass A reports as NaN.
// float: the FMAs are the cost (a 256-bit FMA is two of Zen 1's 128-bit ones), so there are
// seven (q, r and five for the polynomial; nine with hwy's reduction and a degree-6 polynomial)
// where MulAdd is a true FMA: r = x - q ln2 in one step (ln 2 rounded to float is 1.9e-9 off:
// <= 2.4e-7 relative at q = -125, <= 5e-8 for x >= -20), and a degree-5 polynomial for exp on
// [-ln2/2, ln2/2] with p(0) = 1, so exp(0) = 1 exactly (the label-smoothing and
// probability-target sums keep the max's term), fitted for relative error by Lawson's iteration
// (9.1e-8; 1.6e-7 with float rounding; 3.7e-7 at worst over floats in [-86, 0] against
// std::exp in double). tst_losskernels_reference's expAccuracy checks it on every target.
// double: hwy's two-step reduction and ExpImpl (1 ulp).
template <class D, class V> HWY_INLINE V ExpNonPositive(D d, V x)
{
    using T = hn::TFromD<D>;
    const hn::RebindToSigned<D> di;
    using TI = hwy::MakeSigned<T>;
    constexpr bool kF32 = sizeof(T) == 4;
    constexpr int kMantissaBits = kF32 ? 23 : 52;
    constexpr T kLowest = kF32 ? T(-86.0) : T(-707.0); // q >= -125 / -1021
    const V kRound = hn::Set(d, T(1.5) * T(TI(1) << kMantissaBits));
    x = hn::Max(x, hn::Set(d, kLowest));
    // t = x / ln 2 + 1.5 * 2^m: its low mantissa bits hold q = round(x / ln 2).
    const V t = hn::MulAdd(x, hn::Set(d, T(1.442695040888963407359924681)), kRound);
    const V q = hn::Sub(t, kRound);
    V poly;
    if constexpr (kF32) {
        V r;
#if HWY_NATIVE_FMA
        r = hn::MulAdd(q, hn::Set(d, T(-0.693147180559945309)), x);
#else
        // MulAdd rounds the product first here: ln 2 split in two (hwy's ExpReduce constants)
        // keeps q * ln2_hi exact.
        r = hn::MulAdd(q, hn::Set(d, T(-0.693145751953125)), x);
        r = hn::MulAdd(q, hn::Set(d, T(-1.428606765330187045e-6)), r);
#endif
        poly = hn::Set(d, T(8.290316e-3));
        poly = hn::MulAdd(poly, r, hn::Set(d, T(4.189793e-2)));
        poly = hn::MulAdd(poly, r, hn::Set(d, T(1.6667636e-1)));
        poly = hn::MulAdd(poly, r, hn::Set(d, T(4.999915e-1)));
        poly = hn::MulAdd(poly, r, hn::Set(d, T(9.999997e-1)));
        poly = hn::MulAdd(poly, r, hn::Set(d, T(1)));
    } else {
        // hwy's ExpReduce constants: ln 2 split in two for an exact first product.
        V r = hn::MulAdd(q, hn::Set(d, T(-0.6931471805596629565116018)), x);
        r = hn::MulAdd(q, hn::Set(d, T(-0.28235290563031577122588448175e-12)), r);
        hn::impl::ExpImpl<T> impl;
        poly = hn::Add(impl.ExpPoly(d, r), hn::Set(d, T(1)));
    }
    // poly * 2^q: q added to the exponent field. bits(t) = bits(1.5 * 2^m) + q, and
    // bits(1.5 * 2^m) << m wraps to 0, so bits(t) << m = q << m.
    return hn::BitCast(
        d, hn::Add(hn::BitCast(di, poly), hn::ShiftLeft<kMantissaBits>(hn::BitCast(di, t))));
}

template <class D> HWY_INLINE hn::Vec<D> NegInf(D d)
{
    return hn::Set(d, -std::numeric_limits<hn::TFromD<D>>::infinity());
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_SIMDUTIL_INL_H
