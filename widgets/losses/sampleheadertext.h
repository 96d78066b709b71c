// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"

#include <QColor>
#include <QString>

namespace shapescope {

// The inspector's header: the sample, its loss, and at `position` the target and prediction
// (with class names), p(target) and the position's loss; non-finite logits in `error`'s colour.
QString sampleHeaderHtml(const AnalysisResult& result, const SampleDetail& detail, qint64 position,
                         const QColor& error);

// "logits: NaN at class 2, +Inf at class 7" (the first 8), or empty when all are finite.
QString nonFiniteMarks(const std::vector<double>& logits);

} // namespace shapescope
