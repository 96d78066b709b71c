// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/expected.h"

#include <QIODevice>

namespace shapescope {

// Writes per-sample losses as CSV with the header `pair,sample,loss,target,predicted`, one row
// per sample of every pair whose losses were computed. `pair` is the input tensor's path;
// `loss` is written in the shortest form that reads back to the same double ("nan" for NaN,
// empty when every position of the sample is ignored); `target` and `predicted` are empty for
// K-dim input and for probability or multi-label targets.
Status writeLossCsv(const AnalysisResult& result, QIODevice& device);
// The same into the file `path`, atomically, never over `protectedPath` (atomicwrite.h).
Status saveLossCsv(const AnalysisResult& result, const QString& path, const QString& protectedPath);

// Shortest round-trip text of a double (std::to_chars), "nan", "inf", "-inf".
QByteArray formatDouble(double value);

} // namespace shapescope
