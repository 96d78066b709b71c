// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "tensor/tensorinfo.h"
#include "torchchanges.h"

#include <functional>
#include <vector>

namespace shapescope {

struct ShapeCheck;

// "torch >= 2.13", "torch 1.13", "torch 2.0 to 2.12": adjacent ranges of torchRanges() merged.
QString torchRangesText(const std::vector<TorchRange>& ranges);

// Compares the pair's verdict under the chosen release with one release of every other range
// (`checkUnder` runs the shape checks under a given release). When the chosen release raises
// and others accept, the raising diagnostic gets a versionNote; when it accepts and others
// raise, an info diagnostic "torch-version-difference" quotes what they raise.
void addVersionNotes(ShapeCheck& check, const TensorInfo& input, const TensorInfo& target,
                     const TorchChoice& torch,
                     const std::function<std::vector<Diagnostic>(TorchVersion)>& checkUnder);

} // namespace shapescope
