// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace shapescope {

// The --apply statements a diagnostic's fix amounts to, when its code only transforms the pair's
// tensors with operations the transform grammar knows (transformexpr.h). The fix's first line of
// code decides:
//   "loss = F.cross_entropy(logits.permute(0, 2, 1), labels)" -> logits=logits.permute(0, 2, 1)
//   "log_probs = log_probs.permute(1, 0, 2)"                    -> the same statement
// Empty when the fix needs anything else: model or loader code, a loss option (a keyword
// argument), an operation outside the grammar, a name that is not one of `tensorNames`.
QStringList transformsOfFix(const QString& fix, const QStringList& tensorNames);

} // namespace shapescope
