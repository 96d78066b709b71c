// SPDX-License-Identifier: GPL-3.0-or-later
#include "metatypes.h"

namespace shapescope {

void registerMetaTypes()
{
    static const bool registered = [] {
        qRegisterMetaType<DumpSummary>();
        qRegisterMetaType<AnalysisResult>();
        qRegisterMetaType<LossSpec>();
        qRegisterMetaType<Diagnostic>();
        qRegisterMetaType<Severity>();
        qRegisterMetaType<std::shared_ptr<const AnalysisResult>>();
        return true;
    }();
    Q_UNUSED(registered);
}

} // namespace shapescope
