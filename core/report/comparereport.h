// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/dumpcompare.h"

#include <QJsonObject>
#include <QString>

namespace shapescope {

// `shapescope diff A B --json`: files, tensors (path, a/b shape, dtype and value summary,
// differing elements) and pairs (mean loss and PyTorch's errors on each side), each with
// "differs".
QJsonObject comparisonToJson(const DumpComparison& comparison);

// The same as a table for the terminal: one line per tensor and per pair, '*' where they differ.
QString comparisonToText(const DumpComparison& comparison);

} // namespace shapescope
