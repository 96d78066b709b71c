// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossspec.h"

#include <QtGlobal>

namespace shapescope {

// A block of model output viewed as [outer][classes][inner] in C order, whatever the tensor's
// rank: (N, C) is outer = N, inner = 1; (N, C, H, W) is outer = N, inner = H * W; (N, T, C)
// with the class axis last is outer = N * T, inner = 1. A "position" is one (outer, inner) pair,
// p = o * inner + i: one element of PyTorch's reduction='none' output.
template <typename T> struct ClassBlock
{
    const T* input = nullptr;
    qint64 outer = 0;
    qint64 classes = 0;
    qint64 inner = 1;

    qint64 positions() const { return outer * inner; }
};

// Per-position results; each array holds positions() entries. Null pointers are not written.
struct PositionOutputs
{
    // PyTorch's reduction='none' value. 0 where the target is ignore_index; NaN where the target
    // is out of range (PyTorch raises there; the analysis diagnoses it).
    double* loss = nullptr;
    // The position's share of the denominator of reduction='mean': weight[target] (1 without a
    // weight), 0 where ignored or out of range. For probability targets and BCE: 1.
    double* weight = nullptr;
    // argmax over the classes, the first maximum as torch.argmax; -1 if the row has a NaN.
    qint32* predicted = nullptr;
    // log p(target) = x[target] - logsumexp(x) (for nll: x[target]); NaN where ignored or out of
    // range. Class-index targets only.
    double* logProbTarget = nullptr;
};

struct ClassIndexOptions
{
    const double* weight = nullptr; // `classes` entries, or null for no weight
    qint64 ignoreIndex = -100;
    double labelSmoothing = 0.0;          // cross_entropy only; must be 0 for nll
    bool inputIsLogProbabilities = false; // nll_loss: the input already is log p
};

struct ProbabilityOptions
{
    const double* weight = nullptr; // `classes` entries, or null
    double labelSmoothing = 0.0;
};

struct BceOptions
{
    const double* weight = nullptr;    // per-class rescaling weight (`classes` entries), or null
    const double* posWeight = nullptr; // per-class pos_weight (`classes` entries), or null
};

struct ElementwiseOptions
{
    LossKind kind = LossKind::Mse;  // one of the kinds isElementwise() accepts
    double beta = 1.0;              // smooth_l1
    double delta = 1.0;             // huber
    bool logTarget = false;         // kl_div
    const double* weight = nullptr; // binary_cross_entropy: per class (`classes` entries), or null
};

// The kernels below (losskernels.cpp, kernels/) are thread-safe and use SIMD (AVX-512, AVX2,
// SSE4 or scalar, picked at run time). A position's results depend only on its own values and
// the options, never on the block it came in: splitting the outer rows into blocks in any way
// gives bit-identical outputs, whatever the thread count. Losses are within ~5e-7 relative of
// PyTorch evaluated in float64 (tests/tst_losskernels.cpp); NaN and +-inf come out as PyTorch's.

// F.cross_entropy / F.nll_loss with class-index targets: `targets` holds positions() int64
// class indices laid out [outer][inner].
void classIndexLoss(const ClassBlock<float>& block, const qint64* targets,
                    const ClassIndexOptions& options, const PositionOutputs& out);
void classIndexLoss(const ClassBlock<double>& block, const qint64* targets,
                    const ClassIndexOptions& options, const PositionOutputs& out);

// F.cross_entropy with class-probability targets of the input's layout. logProbTarget is NaN.
// (Torch's label_smoothing here: t' = t * (1 - eps) + eps / C.)
void probabilityLoss(const ClassBlock<float>& block, const float* targets,
                     const ProbabilityOptions& options, const PositionOutputs& out);
void probabilityLoss(const ClassBlock<double>& block, const double* targets,
                     const ProbabilityOptions& options, const PositionOutputs& out);

// F.binary_cross_entropy_with_logits, element-wise over [outer][classes][inner] with targets of
// the same layout; out.loss[p] is the mean over the position's classes of the elementwise
// reduction='none' values (so the mean over positions is PyTorch's mean over all elements).
// weight and posWeight apply along the class axis (torch: shaped (C, 1, ...) for K-dim inputs);
// predicted is the argmax over the classes, logProbTarget NaN.
void bceWithLogitsLoss(const ClassBlock<float>& block, const float* targets,
                       const BceOptions& options, const PositionOutputs& out);
void bceWithLogitsLoss(const ClassBlock<double>& block, const double* targets,
                       const BceOptions& options, const PositionOutputs& out);

// The elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy, kl_div) over
// [outer][classes][inner] with targets of the same layout, each element in the input's precision
// with torch's formula. out.loss[p] is the mean over the position's classes of the reduction=
// 'none' values (so the mean over positions is torch's mean over all elements); for kl_div it is
// their sum (the row's divergence: reduction='batchmean' divides the total by the batch size).
// binary_cross_entropy gives NaN where an input lies outside [0, 1], where torch raises.
// predicted is the argmax over the classes when there are several (else -1), logProbTarget NaN.
void elementwiseLoss(const ClassBlock<float>& block, const float* targets,
                     const ElementwiseOptions& options, const PositionOutputs& out);
void elementwiseLoss(const ClassBlock<double>& block, const double* targets,
                     const ElementwiseOptions& options, const PositionOutputs& out);

} // namespace shapescope
