// SPDX-License-Identifier: GPL-3.0-or-later
// The per-vector steps both softmax layouts share (rowsoftmax-inl.h: lanes are classes of one
// row; lanesoftmax-inl.h: lanes are positions). Every position is reduced in two passes over
// its logits, chunk by chunk:
//   pass A: max (first maximum, NaN ignored), its index, whether a NaN occurs;
//   pass B: sum exp(x_c - ref) with ref the max so far, plus Extra's weighted sums.
// Between chunks, sums kept relative to an old max are rescaled by exp(old - new) in double:
// Milakov & Gimelshein's online softmax (2018) at chunk rather than element granularity, so a
// row of any length is read from memory once (pass B re-reads a chunk from L1), there is one
// rescale (one rounding) per chunk instead of one per element, and every exp argument is <= 0
// (taken against the max so far, the current chunk included).

#if defined(SHAPESCOPE_KERNELS_SOFTMAXPASS_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_SOFTMAXPASS_INL_H
#undef SHAPESCOPE_KERNELS_SOFTMAXPASS_INL_H
#else
#define SHAPESCOPE_KERNELS_SOFTMAXPASS_INL_H
#endif

#include "analysis/kernels/simdutil-inl.h"
#include "analysis/kernels/softmaxtile.h"

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Pass B sums, double lanes.
template <class D> struct PassBSums
{
    Wide<D> sumExp;
    Wide<D> weightedSum; // Extra::WeightedSum and Extra::Probability
    Wide<D> targetMass;  // Extra::Probability

    PassBSums() : PassBSums(D()) {}
    explicit PassBSums(D d)
        : sumExp(WideSet(d, 0.0)), weightedSum(WideSet(d, 0.0)), targetMass(WideSet(d, 0.0))
    {}
};

// Label smoothing of probability targets, t' = t * keep + spread with keep = 1 - eps and
// spread = eps / C (keep = 1, spread = 0 without smoothing: t' = t exactly).
template <class D> struct Smoothing
{
    Wide<D> keep;
    Wide<D> spread;

    Smoothing(D d, double eps, qint64 classes)
        : keep(WideSet(d, 1.0 - eps)), spread(WideSet(d, eps > 0.0 ? eps / double(classes) : 0.0))
    {}
};

// One vector of pass B. xExp feeds the exp (tail lanes -inf, adding at most 2e-38 next to the
// max's 1), xSum the weighted sums (tail lanes 0 with w = 0: 0 * -inf would be NaN). w and t are
// the lanes' class weights and target probabilities (Extra::None ignores them).
template <Extra kExtra, class D, class V = hn::Vec<D>>
HWY_INLINE void PassBStep(D d, V xExp, V xSum, V ref, const Wide<D>& w, V t,
                          const Smoothing<D>& smoothing, PassBSums<D>& sums)
{
    WideAddTo(sums.sumExp, Widen(d, ExpNonPositive(d, hn::Sub(xExp, ref))));
    if constexpr (kExtra == Extra::WeightedSum) {
        WideMulAddTo(sums.weightedSum, w, Widen(d, xSum));
    } else if constexpr (kExtra == Extra::Probability) {
        Wide<D> wt = Widen(d, t);
        for (size_t k = 0; k < Wide<D>::kParts; ++k)
            wt.part[k] = hn::Mul(w.part[k], hn::MulAdd(wt.part[k], smoothing.keep.part[k],
                                                       smoothing.spread.part[k]));
        WideAddTo(sums.targetMass, wt);
        WideMulAddTo(sums.weightedSum, wt, Widen(d, xSum));
    } else {
        (void)xSum;
        (void)w;
        (void)t;
        (void)smoothing;
    }
}

// Pass A state of one vector of lanes: the running max ignores NaN (Gt is false for it) and
// keeps the first maximum (strictly greater replaces), as torch.argmax.
template <class D> struct MaxState
{
    using DI = hn::RebindToSigned<D>;
    hn::Vec<D> best;
    hn::Vec<DI> index;
    hn::Mask<D> nan;

    MaxState() : MaxState(D()) {}
    explicit MaxState(D d)
        : best(NegInf(d)), index(hn::Zero(DI())), nan(hn::Lt(hn::Zero(d), hn::Zero(d)))
    {}

    HWY_INLINE void update(D d, hn::Vec<D> v, hn::Vec<DI> vIndex)
    {
        const auto greater = hn::Gt(v, best);
        best = hn::IfThenElse(greater, v, best);
        index = hn::IfThenElse(hn::RebindMask(DI(), greater), vIndex, index);
        nan = hn::Or(nan, hn::IsNaN(v)); // not Ne(v, v): hwy's Ne is an ordered compare
        (void)d;
    }
};

// The reference pass B subtracts: the max, or 0 while the max is -inf (all logits so far -inf:
// their exp is 0 against any finite reference, and -inf - -inf would be NaN) or +inf (a NaN
// row anyway).
template <class V> HWY_INLINE V Reference(V best)
{
    return hn::IfThenElseZero(hn::IsFinite(best), best);
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_SOFTMAXPASS_INL_H
