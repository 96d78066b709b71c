// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace shapescope {

// What a fix is about: the pair's tensors (empty for a finding about no pair) and every name and
// path of the dump's tensors.
struct FixContext
{
    QString input;
    QString target;
    QStringList tensors;
};

// The --apply statements a diagnostic's fix amounts to, when its code only transforms the dump's
// tensors with operations the transform grammar knows (transformexpr.h), sets the loss options
// it knows (ignore_index, weight) or pairs other tensors. The fix's first line of code decides:
//   "loss = F.cross_entropy(logits.permute(0, 2, 1), labels)" -> logits=logits.permute(0, 2, 1)
//   "log_probs = log_probs.permute(1, 0, 2)"                    -> the same statement
//   "criterion = nn.CrossEntropyLoss(ignore_index=255)"         -> ignore_index=255
//   "loss = F.nll_loss(x, y, weight=w.reshape(-1))"             -> w=w.reshape(-1)
//   "shapescope check DUMP --role a=output --role b=target"     -> criterion(a, b)
// Empty when the fix needs anything else: model or loader code, another loss option, an
// operation outside the grammar, a name that is no tensor of the dump.
QStringList transformsOfFix(const QString& fix, const FixContext& context);

} // namespace shapescope
