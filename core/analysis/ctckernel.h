// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <span>
#include <vector>

namespace shapescope {

// One sample of a CTC batch, reduced to what its loss needs: per time step, the log-probabilities
// of the blank and of each distinct label of its target (gathered from log_probs[t][b][:]).
struct CtcSample
{
    qint64 inputLength = 0;
    qint64 targetLength = 0;
    std::vector<qint64> labels;   // [blank, distinct target labels...]: the gathered columns
    std::vector<int> stateLabel;  // per state of the extended target (2S + 1): index into labels
    std::vector<double> canSkip;  // per state: 1 when it may be entered from state s - 2
    std::vector<double> logProbs; // inputLength x labels.size(), row-major

    qint64 states() const { return 2 * targetLength + 1; }
};

// Sets up labels, stateLabel and canSkip for `target` (its first targetLength labels); the
// caller then fills logProbs.
CtcSample makeCtcSample(std::span<const qint64> target, qint64 blank, qint64 inputLength);

// The smallest input length that can emit `target`: one step per label, plus a blank between
// two equal neighbours. A shorter input makes every path impossible (torch: an infinite loss).
qint64 ctcMinimumInputLength(std::span<const qint64> target);

// Gathers the columns each sample needs from `count` consecutive rows (axis 0) of log_probs,
// starting at row `first`: rows of (inner, classes) values, where axis 0 is time and `inner` the
// batch, or (batchFirst) axis 0 the batch and `inner` time. Steps past a sample's input length
// are skipped. Only sample `only` is filled when it is >= 0, so threads can share the rows.
template <typename T>
void gatherCtcColumns(const T* rows, qint64 first, qint64 count, qint64 inner, qint64 classes,
                      bool batchFirst, std::vector<CtcSample>& samples, qint64 only = -1);

// -log p(target | log_probs), what F.ctc_loss(reduction="none") returns before zero_infinity.
// The forward recursion runs in the probability domain with a rescale per time step, vectorised
// over the states (Highway); when that loses every path to underflow it falls back to the
// reference, so an infinite result is always the reference's.
double ctcNegLogLikelihood(const CtcSample& sample);

// torch's own recursion (aten/src/ATen/native/LossCTC.cpp), in log space, in double: the
// reference the tests hold the fast path to.
double ctcNegLogLikelihoodReference(const CtcSample& sample);

} // namespace shapescope
