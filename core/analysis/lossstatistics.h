// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "pairlosses.h"

namespace shapescope {

inline constexpr int kHighestLossCount = 20;

// Summarises a pair's computed losses: PyTorch's mean and sum, min/max over samples, accuracy,
// a histogram of per-sample losses, per-class means and the highest-loss samples.
LossSummary summarizeLosses(const PairLosses& losses, const PairLayout& layout);

// Bins for `values` (finite ones only): Freedman-Diaconis width, between 1 and 200 bins.
Histogram makeHistogram(const std::vector<double>& values, const std::vector<quint8>& skip);

} // namespace shapescope
