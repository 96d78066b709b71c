// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "pairlosses.h"
#include "shapeadvice.h"

#include <vector>

namespace shapescope {

// The value findings of the elementwise losses: an input of binary_cross_entropy outside [0, 1]
// (torch raises), probabilities given to kl_div (torch returns a meaningless loss silently), and
// NaN/Inf losses of the others.
void diagnoseElementwiseValues(const PairContext& pair, const PairLayout& layout,
                               const PairLosses& losses, std::vector<Diagnostic>& out);

} // namespace shapescope
