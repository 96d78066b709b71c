// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <vector>

namespace shapescope {

struct ClassProbability
{
    qint64 classIndex = 0;
    double probability = 0;
    int rank = 0; // 1 for the most probable
};

// The `k` most probable classes, most probable first (torch.topk of the probabilities; equal
// probabilities keep the lower class first). NaN ranks below every number.
std::vector<ClassProbability> topClasses(const std::vector<double>& probabilities, int k);

// The rank (1-based) of `classIndex` among the probabilities, as topClasses would give it; 0
// when out of range.
int classRank(const std::vector<double>& probabilities, qint64 classIndex);

} // namespace shapescope
