// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "pairlosses.h"

namespace shapescope {

inline constexpr int kHighestLossCount = 20;

// Kinds where argmax == target is a meaningful accuracy: one class per position, read from a
// score per class (cross entropy, NLL). Not CTC (an alignment, not a class per frame), BCE or
// the elementwise losses.
bool hasAccuracy(LossKind kind);

// Summarises a pair's computed losses: PyTorch's mean and sum, min/max over samples, accuracy
// (for the kinds where it means something, hasAccuracy), a histogram of per-sample losses,
// per-class means and the highest-loss samples.
LossSummary summarizeLosses(const PairLosses& losses, const PairLayout& layout, LossKind kind);

// Bins for `values` (finite ones only): Freedman-Diaconis width, between 1 and 200 bins.
Histogram makeHistogram(const std::vector<double>& values, const std::vector<quint8>& skip);

} // namespace shapescope
