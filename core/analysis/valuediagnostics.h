// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "pairlosses.h"
#include "shapeadvice.h"

#include <vector>

namespace shapescope {

// Findings that need the data: targets outside 0..C-1 (and the 1-based labels behind them),
// NaN/Inf losses, a softmax or sigmoid applied before a loss that applies its own, multi-hot
// rows given to CrossEntropyLoss.
std::vector<Diagnostic> diagnoseValues(const PairContext& pair, const PairLayout& layout,
                                       const PairLosses& losses);

} // namespace shapescope
