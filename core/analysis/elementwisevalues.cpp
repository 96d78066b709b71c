// SPDX-License-Identifier: GPL-3.0-or-later
#include "elementwisevalues.h"

#include "advicesupport.h"
#include "pytorchmessages.h"

#include <QStringList>
#include <algorithm>

namespace shapescope {

namespace {

Diagnostic outOfRange(const PairContext& pair, const PairLosses& losses)
{
    Diagnostic d =
        advice::base(pair, DiagCode::InputOutOfRange, Severity::Error, pytorch::bceInputRange());
    d.samples = losses.nonFiniteSamples;
    d.message = QStringLiteral("%1 elements of %2, in samples %3, lie outside [0, 1] (or are NaN): "
                               "BCELoss takes probabilities")
                    .arg(losses.nonFinitePositions)
                    .arg(pair.input.path, advice::sampleList(losses.nonFiniteSamples));
    d.explanation = QStringLiteral(
        "BCELoss wants probabilities, the output of a sigmoid. Raw scores (logits) belong to "
        "BCEWithLogitsLoss, which applies the sigmoid itself and is numerically stable.");
    d.fix = QStringLiteral("loss = F.binary_cross_entropy_with_logits(raw_scores, %1)\n"
                           "# or keep BCELoss on probabilities: F.binary_cross_entropy("
                           "torch.sigmoid(raw_scores), %1)")
                .arg(pair.y);
    return d;
}

Diagnostic notLogProbabilities(const PairContext& pair, const PairLayout& layout,
                               const InputProbe& probe)
{
    Diagnostic d =
        advice::base(pair, DiagCode::InputNotLogProbabilities, Severity::Warning, QString());
    if (layout.classAxis >= 0)
        d.axes = {{TensorSide::Input, layout.classAxis}};
    d.message = QStringLiteral("%1 of %2 examined rows of %3 lie in [0, 1]: KLDivLoss was given "
                               "probabilities where it wants log-probabilities")
                    .arg(std::max(probe.probabilityRows, probe.unitIntervalRows))
                    .arg(probe.positions)
                    .arg(pair.input.path);
    d.explanation = QStringLiteral(
        "kl_div(input, target) computes target * (log target - input): it takes the input as "
        "log-probabilities. Given probabilities, PyTorch returns a negative or meaningless loss "
        "without a warning.");
    d.fix = QStringLiteral("loss = F.kl_div(torch.log(%1), %2, reduction=\"batchmean\")\n"
                           "# better: F.log_softmax(scores, dim=1) in place of the softmax")
                .arg(pair.x, pair.y);
    return d;
}

Diagnostic nonFinite(const PairContext& pair, const PairLosses& losses)
{
    Diagnostic d = advice::base(pair, DiagCode::NonFiniteInput, Severity::Error, QString());
    d.samples = losses.nonFiniteSamples;
    d.message = QStringLiteral("the loss is NaN or Inf at %1 positions, in samples %2: the input "
                               "or the target holds NaN or Inf")
                    .arg(losses.nonFinitePositions)
                    .arg(advice::sampleList(losses.nonFiniteSamples));
    d.explanation = QStringLiteral("One NaN element makes the mean loss NaN, and the weights NaN "
                                   "after one step.");
    d.fix = QStringLiteral("assert torch.isfinite(%1).all() and torch.isfinite(%2).all()")
                .arg(pair.x, pair.y);
    return d;
}

bool mostly(qint64 rows, qint64 positions)
{
    return positions > 0 && rows * 100 >= positions * 99;
}

} // namespace

void diagnoseElementwiseValues(const PairContext& pair, const PairLayout& layout,
                               const PairLosses& losses, std::vector<Diagnostic>& out)
{
    const LossKind kind = pair.spec.kind;
    if (losses.nonFinitePositions > 0)
        out.push_back(kind == LossKind::BinaryCrossEntropy ? outOfRange(pair, losses)
                                                           : nonFinite(pair, losses));
    const InputProbe& probe = losses.input;
    // A row of log-probabilities has entries <= 0; one in [0, 1] everywhere is probabilities.
    if (kind == LossKind::KlDiv && layout.numClasses >= 2 &&
        (mostly(probe.probabilityRows, probe.positions) ||
         mostly(probe.unitIntervalRows, probe.positions)))
        out.push_back(notLogProbabilities(pair, layout, probe));
}

} // namespace shapescope
