// SPDX-License-Identifier: GPL-3.0-or-later
// F.binary_cross_entropy_with_logits, element-wise in the input's precision, summed per position
// in double. Re-included per Highway target.

#if defined(SHAPESCOPE_KERNELS_BCE_INL_H) == defined(HWY_TARGET_TOGGLE)
#ifdef SHAPESCOPE_KERNELS_BCE_INL_H
#undef SHAPESCOPE_KERNELS_BCE_INL_H
#else
#define SHAPESCOPE_KERNELS_BCE_INL_H
#endif

#include "analysis/kernels/simdutil-inl.h"
#include "analysis/losskernels.h"

#include <algorithm>
#include <limits>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace shapescope::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// PyTorch 1.13.1, Loss.cpp, binary_cross_entropy_with_logits:
//   max_val = (-x).clamp_min(0); log_weight = (pos_weight - 1) * t + 1
//   l = (1 - t) * x + log_weight * (log(exp(-max_val) + exp(-x - max_val)) + max_val)
//   l = l * weight
// log(exp(-m) + exp(-x - m)) + m = log1p(exp(-|x|)) + max(-x, 0), and
// (1 - t) x + log_weight * max(-x, 0) is (1 - t) x for x >= 0 and -pos_weight * t * x for x < 0,
// so l = (x >= 0 ? (1 - t) x : -pos_weight t x) + log_weight * log1p(exp(-|x|)): for t in [0, 1]
// and pos_weight >= 0 both terms are >= 0, where torch's form cancels (x = -20, t = 0 is
// -20 + 20 + 2e-9 in float32). x = -inf gives torch -inf + inf = NaN; so does this.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V BceElement(D d, V x, V t, V posWeight, V weight)
{
    using T = hn::TFromD<D>;
    const V one = hn::Set(d, T(1));
    const V softplus = hn::Log1p(d, ExpNonPositive(d, hn::Neg(hn::Abs(x))));
    const V linear = hn::IfThenElse(hn::Ge(x, hn::Zero(d)), hn::Mul(hn::Sub(one, t), x),
                                    hn::Neg(hn::Mul(hn::Mul(posWeight, t), x)));
    const V logWeight = hn::MulAdd(hn::Sub(posWeight, one), t, one);
    const V l = hn::MulAdd(logWeight, softplus, linear);
    const V nan = hn::Set(d, std::numeric_limits<T>::quiet_NaN());
    return hn::Mul(hn::IfThenElse(hn::Eq(x, NegInf(d)), nan, l), weight);
}

// Element-wise losses of x[0, n) into l[0, n); pw and w are per element.
template <class D, typename T>
HWY_INLINE void BceRun(D d, const T* HWY_RESTRICT x, const T* HWY_RESTRICT t,
                       const T* HWY_RESTRICT pw, const T* HWY_RESTRICT w, size_t n,
                       T* HWY_RESTRICT l)
{
    const size_t N = hn::Lanes(d);
    size_t i = 0;
    for (; i + N <= n; i += N)
        hn::StoreU(BceElement(d, hn::LoadU(d, x + i), hn::LoadU(d, t + i), hn::LoadU(d, pw + i),
                              hn::LoadU(d, w + i)),
                   d, l + i);
    if (i < n) {
        HWY_ALIGN T lanes[HWY_MAX_BYTES / sizeof(T)];
        hn::Store(BceElement(d, LoadTail(d, x + i, n - i, T(0)), LoadTail(d, t + i, n - i, T(0)),
                             LoadTail(d, pw + i, n - i, T(0)), LoadTail(d, w + i, n - i, T(0))),
                  d, lanes);
        std::copy(lanes, lanes + (n - i), l + i);
    }
}

// Sum over the classes of one contiguous row, in double lanes.
template <class D, typename T>
HWY_INLINE double BceRowSum(D d, const T* HWY_RESTRICT x, const T* HWY_RESTRICT t,
                            const T* HWY_RESTRICT pw, const T* HWY_RESTRICT w, size_t n)
{
    const size_t N = hn::Lanes(d);
    Wide<D> sum = WideSet(d, 0.0);
    size_t i = 0;
    for (; i + N <= n; i += N)
        WideAddTo(sum, Widen(d, BceElement(d, hn::LoadU(d, x + i), hn::LoadU(d, t + i),
                                           hn::LoadU(d, pw + i), hn::LoadU(d, w + i))));
    if (i < n) // zero-filled tail lanes have weight 0: they add 0
        WideAddTo(sum, Widen(d, BceElement(d, LoadTail(d, x + i, n - i, T(0)),
                                           LoadTail(d, t + i, n - i, T(0)),
                                           LoadTail(d, pw + i, n - i, T(0)),
                                           LoadTail(d, w + i, n - i, T(0)))));
    return WideReduce(sum);
}

// Per-position sums of the element-wise losses into sums[0, positions). pw and w hold one
// value per class.
template <class D, typename T>
HWY_NOINLINE void BceSums(D d, const ClassBlock<T>& block, const T* targets, const T* pw,
                          const T* w, double* sums)
{
    const size_t N = hn::Lanes(d);
    const size_t classes = size_t(block.classes);
    const qint64 inner = block.inner;
    if (inner == 1 && classes >= 4 * N) {
        for (qint64 r = 0; r < block.outer; ++r)
            sums[r] = BceRowSum(d, block.input + r * block.classes, targets + r * block.classes, pw,
                                w, classes);
    } else if (inner == 1) {
        // Few classes: runs of whole rows as one flat element-wise pass, weights tiled to
        // the run, then each row summed in order.
        constexpr size_t kRun = 1024;
        const size_t rowsPerRun = std::max<size_t>(1, kRun / classes);
        std::vector<T> pwRun(rowsPerRun * classes), wRun(rowsPerRun * classes), l(pwRun.size());
        for (size_t k = 0; k < pwRun.size(); ++k) {
            pwRun[k] = pw[k % classes];
            wRun[k] = w[k % classes];
        }
        for (qint64 r0 = 0; r0 < block.outer; r0 += qint64(rowsPerRun)) {
            const size_t rows = size_t(std::min<qint64>(qint64(rowsPerRun), block.outer - r0));
            const qint64 at = r0 * block.classes;
            BceRun(d, block.input + at, targets + at, pwRun.data(), wRun.data(), rows * classes,
                   l.data());
            for (size_t r = 0; r < rows; ++r) {
                double sum = 0.0;
                for (size_t c = 0; c < classes; ++c)
                    sum += double(l[r * classes + c]);
                sums[r0 + qint64(r)] = sum;
            }
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
                    const auto pwc = hn::Set(d, pw[c]);
                    const auto wc = hn::Set(d, w[c]);
                    for (size_t j = 0; j < span; j += N) {
                        const size_t n = std::min(N, span - j);
                        const auto x = n == N ? hn::LoadU(d, block.input + at + j)
                                              : LoadTail(d, block.input + at + j, n, T(0));
                        const auto t = n == N ? hn::LoadU(d, targets + at + j)
                                              : LoadTail(d, targets + at + j, n, T(0));
                        // Tail lanes add into acc's slack, which is never copied out.
                        Wide<D> sum = WideLoad(d, acc + j);
                        WideAddTo(sum, Widen(d, BceElement(d, x, t, pwc, wc)));
                        WideStore(d, sum, acc + j);
                    }
                }
                std::copy(acc, acc + span, sums + o * inner + i0);
            }
        }
    }
}

} // namespace shapescope::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif // SHAPESCOPE_KERNELS_BCE_INL_H
