// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "shapeadvice.h"
#include "tensor/tensorinfo.h"

// Small helpers shared by the advice builders.
namespace shapescope::advice {

QString tuple(const Shape& shape); // "(32, 10)", "(5,)", "()"
qint64 product(const Shape& shape, size_t from, size_t to);
QString describe(const TensorInfo& tensor); // "/b/logits (32, 10) float32"
// The first ten sample indices, "3, 7, 12, …" when there are more.
QString sampleList(const std::vector<qint64>& samples);
Diagnostic base(const PairContext& pair, DiagCode code, Severity severity,
                const QString& torchText);

} // namespace shapescope::advice
