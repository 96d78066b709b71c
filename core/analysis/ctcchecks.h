// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "lossspec.h"
#include "tensor/tensorinfo.h"
#include "torchversion.h"

#include <optional>
#include <vector>

namespace shapescope {

// A CTC pair as torch sees it, with the values of its small tensors already read.
struct CtcInputs
{
    const TensorInfo& logProbs;
    const TensorInfo& targets;
    const TensorInfo* inputLengthsTensor; // nullptr when not found
    const TensorInfo* targetLengthsTensor;
    std::vector<qint64> inputLengths;
    std::vector<qint64> targetLengths;
    const LossSpec& spec;
};

// How log_probs is read: (T, N, C) as torch wants it, or (N, T, C) when it was dumped batch
// first and ShapeScope computes what `.permute(1, 0, 2)` would.
struct CtcView
{
    bool batchFirst = false;
    qint64 steps = 0;          // T
    qint64 batch = 0;          // N
    qint64 classes = 0;        // C
    bool concatenated = false; // 1-D targets, each sample's after the previous one's
};

struct CtcCheck
{
    std::optional<CtcView> view;         // set when the losses can be computed
    std::vector<Diagnostic> diagnostics; // `pair` left at -1
};

// torch's ctc_loss checks, in torch's order and words for `torch` (LossCTC.cpp): log_probs of
// rank 3, blank in [0, C), input_lengths and target_lengths of size N, the targets' sizes, and
// every input length at most T. A batch-first log_probs, which fails the input_lengths check,
// becomes `ctc-batch-first` and the rest is checked on the permuted view.
CtcCheck checkCtc(const CtcInputs& inputs, TorchVersion torch);

// The ctc-target-too-long finding for `samples` (those whose target needs more steps than
// their input has): an error, or a warning under zero_infinity (their loss is then 0).
Diagnostic ctcTargetTooLong(const CtcInputs& inputs, const CtcView& view,
                            const std::vector<qint64>& samples, qint64 count);

// input-not-log-probabilities for log_probs rows that are not log_softmax output:
// `probabilities` when they sum to 1 (a softmax), else raw scores.
Diagnostic ctcNotLogSoftmax(const CtcInputs& inputs, bool probabilities);

} // namespace shapescope
