// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/confusion.h"
#include "common/expected.h"

#include <QStringList>

namespace shapescope {

// A confusion matrix as CSV: the header `target,<class>...,targets,iou,accuracy`, one row per
// target class with its counts per predicted class, its position count, IoU and accuracy (empty
// when undefined), then a row `predicted` with the column sums, and rows `ignored`,
// `out_of_range` and `no_prediction` with their counts in the first class column. Classes are
// named by `classNames` where given (empty or missing entries: the class id).
QByteArray confusionCsv(const ConfusionMatrix& matrix, const QStringList& classNames = {});
// The same into the file `path`, atomically, never over `protectedPath` (atomicwrite.h).
Status saveConfusionCsv(const ConfusionMatrix& matrix, const QString& path,
                        const QString& protectedPath, const QStringList& classNames = {});

} // namespace shapescope
