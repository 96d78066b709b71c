// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/kernels/softmaxtile.h"

#include <cmath>
#include <limits>

// PyTorch 1.13.1, aten/src/ATen/native/LossNLL.cpp, for reduction='none' (per position):
//   log_softmax:    logp_c = x_c - logsumexp(x)
//   nll_loss:       loss = -w[y] * logp_y; 0 (and weight 0) where y == ignore_index
//   cross_entropy_loss_label_smoothing:
//                   smooth = -(logp * w).sum(class_dim), masked to 0 where ignored;
//                   loss = (1 - eps) * nll + smooth * (eps / C)
//   cross_entropy_loss_prob_target:
//                   t' = t * (1 - eps) + eps / C (only if eps > 0);
//                   loss = -(logp * t' * w).sum(class_dim)
// With lse = max + logSumExp, sum_c w_c logp_c = sum_c w_c x_c - lse * sum_c w_c, so the SIMD
// passes only need the sums in SoftmaxTile. Products keep their element-wise order
// (w_c * x_c with x_c = -inf and w_c = 0 is NaN, as torch's logp * w).

namespace shapescope::kernels {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// log(sum_c exp(x_c - max)) = logsumexp(x) - max of a position (>= 0), NaN where torch's
// log_softmax is NaN: a NaN logit, or an infinite max (+inf - +inf, or a row of -inf).
double logSumExpOverMax(const SoftmaxTile& tile, int k)
{
    if (tile.argmax[k] < 0 || !std::isfinite(tile.max[k]))
        return kNaN;
    return tile.logSumExp[k];
}

} // namespace

template <typename T>
void finishClassIndex(const SoftmaxJob<T>& job, const qint64* targets,
                      const ClassIndexOptions& options, double weightSum, qint64 first, int count,
                      const SoftmaxTile& tile, const PositionOutputs& out)
{
    const qint64 classes = job.classes;
    const qint64 inner = job.inner;
    const double eps = options.inputIsLogProbabilities ? 0.0 : options.labelSmoothing;
    // Position p is (o, i) with p = o * inner + i; x[o][c][i] is at (o * C + c) * inner + i.
    qint64 o = first / inner;
    qint64 i = first % inner;
    for (int k = 0; k < count; ++k) {
        const qint64 p = first + k;
        const qint64 y = targets[p];
        double loss = 0.0;
        double weight = 0.0;
        double logProbTarget = kNaN;
        if (y == options.ignoreIndex) {
            // torch writes 0 without reading the input, even a NaN one.
        } else if (y < 0 || y >= classes) {
            loss = kNaN; // torch raises "Target out of bounds"; the analysis reports it
        } else {
            const double xy = double(job.input[(o * classes + y) * inner + i]);
            weight = options.weight ? options.weight[y] : 1.0;
            if (options.inputIsLogProbabilities) {
                logProbTarget = xy;
                loss = -xy * weight;
            } else {
                const double logSum = logSumExpOverMax(tile, k);
                // x_y - max is exact in double and both terms of -logp_y are >= 0, so a
                // confident prediction's tiny loss keeps its relative precision.
                logProbTarget = (xy - tile.max[k]) - logSum;
                loss = -logProbTarget * weight;
                if (eps > 0.0) {
                    const double lse = tile.max[k] + logSum;
                    const double smooth = weightSum * lse - tile.weightedSum[k];
                    loss = (1.0 - eps) * loss + smooth * (eps / double(classes));
                }
            }
        }
        if (out.loss)
            out.loss[p] = loss;
        if (out.weight)
            out.weight[p] = weight;
        if (out.predicted)
            out.predicted[p] = tile.argmax[k];
        if (out.logProbTarget)
            out.logProbTarget[p] = logProbTarget;
        if (++i == inner) {
            i = 0;
            ++o;
        }
    }
}

void finishProbability(qint64 first, int count, const SoftmaxTile& tile, const PositionOutputs& out)
{
    for (int k = 0; k < count; ++k) {
        const qint64 p = first + k;
        // -sum_c w_c t'_c (x_c - lse)
        const double lse = tile.max[k] + logSumExpOverMax(tile, k);
        const double loss = tile.targetMass[k] * lse - tile.weightedSum[k];
        if (out.loss)
            out.loss[p] = loss;
        if (out.weight)
            out.weight[p] = 1.0;
        if (out.predicted)
            out.predicted[p] = tile.argmax[k];
        if (out.logProbTarget)
            out.logProbTarget[p] = kNaN;
    }
}

template <typename T> qint32 scalarArgmax(const T* x, qint64 classes, qint64 stride)
{
    qint32 best = classes > 0 ? 0 : -1;
    T bestValue = -std::numeric_limits<T>::infinity();
    for (qint64 c = 0; c < classes; ++c) {
        const T v = x[c * stride];
        if (std::isnan(v))
            return -1;
        if (v > bestValue) {
            bestValue = v;
            best = qint32(c);
        }
    }
    return best;
}

template void finishClassIndex<float>(const SoftmaxJob<float>&, const qint64*,
                                      const ClassIndexOptions&, double, qint64, int,
                                      const SoftmaxTile&, const PositionOutputs&);
template void finishClassIndex<double>(const SoftmaxJob<double>&, const qint64*,
                                       const ClassIndexOptions&, double, qint64, int,
                                       const SoftmaxTile&, const PositionOutputs&);
template qint32 scalarArgmax<float>(const float*, qint64, qint64);
template qint32 scalarArgmax<double>(const double*, qint64, qint64);

} // namespace shapescope::kernels
