#include "analysisresult.h"

#include <algorithm>

namespace shapescope {

int AnalysisResult::count(Severity severity) const
{
    return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                          [&](const Diagnostic& d) { return d.severity == severity; }));
}

} // namespace shapescope
