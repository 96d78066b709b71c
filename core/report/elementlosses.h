// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/expected.h"

#include <QString>
#include <functional>

namespace shapescope {

class DumpReader;

// Every element of torch's reduction='none' output for one pair, written to `path` while it is
// computed (memory stays at the engine's two chunks, whatever the output's size):
// - a path ending in .npy: float32 (the dump's float64 for a float64 input), C order, of the
//   output's shape;
// - anything else: CSV `sample,i1,...,ik,loss`, the output's index (axis 0, then the others)
//   and the loss in the shortest form that reads back to the same double. Rows come in the
//   order the dump is read: sample by sample.
// `pair` indexes result.pairs; the pair must have been computed with result.spec.
// The file is written atomically and never over `protectedPath`.
Status saveElementLosses(DumpReader& reader, const AnalysisResult& result, int pair,
                         const QString& path, const QString& protectedPath, int threads,
                         const std::function<bool(qint64 doneElements)>& progress = {});

// The .npy header (format 1.0) of a little-endian C-order array.
QByteArray npyHeader(const char* descr, const Shape& shape);

} // namespace shapescope
