// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QMetaType>
#include <memory>

// Types that travel through queued signals and QVariant (QSignalSpy, item data) between the
// session's worker threads and the GUI. Declared here, not in core, so core stays free of
// metatype registration it does not need.
Q_DECLARE_METATYPE(shapescope::DumpSummary)
Q_DECLARE_METATYPE(shapescope::AnalysisResult)
Q_DECLARE_METATYPE(shapescope::LossSpec)
Q_DECLARE_METATYPE(shapescope::Diagnostic)
Q_DECLARE_METATYPE(shapescope::Severity)
Q_DECLARE_METATYPE(std::shared_ptr<const shapescope::AnalysisResult>)

namespace shapescope {

// Registers the types above once; every entry point of the GUI library calls it.
void registerMetaTypes();

} // namespace shapescope
