// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysisresult.h"

#include <algorithm>

namespace shapescope {

const TensorInfo* DumpSummary::tensor(int index) const
{
    return index >= 0 && static_cast<size_t>(index) < tensors.size()
               ? &tensors[static_cast<size_t>(index)]
               : nullptr;
}

const TensorInfo* DumpSummary::find(const QString& path) const
{
    auto it = std::find_if(tensors.begin(), tensors.end(),
                           [&](const TensorInfo& t) { return t.path == path; });
    if (it == tensors.end())
        it = std::find_if(tensors.begin(), tensors.end(),
                          [&](const TensorInfo& t) { return samePath(t.path, path); });
    return it == tensors.end() ? nullptr : &*it;
}

const StepFlow* AnalysisResult::flowOfPair(int pair) const
{
    for (const StepFlow& flow : flows) {
        if (std::find(flow.pairs.begin(), flow.pairs.end(), pair) != flow.pairs.end())
            return &flow;
    }
    return nullptr;
}

int AnalysisResult::count(Severity severity) const
{
    return static_cast<int>(
        std::count_if(diagnostics.begin(), diagnostics.end(),
                      [&](const Diagnostic& d) { return d.severity == severity; }));
}

} // namespace shapescope
