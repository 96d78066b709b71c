// SPDX-License-Identifier: GPL-3.0-or-later
#include "valuediagnostics.h"

#include "advicesupport.h"
#include "binaryheads.h"
#include "elementwisevalues.h"
#include "pytorchmessages.h"

#include <QStringList>
#include <optional>

namespace shapescope {

namespace {

// A probe verdict needs nearly every examined row to agree.
bool mostly(qint64 rows, qint64 positions)
{
    return positions > 0 && rows * 100 >= positions * 99;
}

// Labels numbered from 1 (1..C: class 0 never occurs, C does) or from -1 (-1..C-2: class C-1
// never occurs): every class is off by one, and the out-of-range value is a real class, not an
// ignore marker. ignore_index=-1 would silently drop a whole class.
std::optional<Diagnostic> shiftedLabels(const PairContext& pair, const TargetTally& tally,
                                        qint64 classes)
{
    if (tally.outOfRange.size() != 1 || tally.classCounts.empty())
        return std::nullopt;
    const qint64 value = tally.outOfRange.begin()->first;
    const bool fromOne = value == classes && tally.classCounts[0] == 0;
    bool fromMinusOne = value == -1 && classes >= 2 && tally.classCounts[classes - 1] == 0;
    for (qint64 c = 0; fromMinusOne && c + 1 < classes; ++c)
        fromMinusOne = tally.classCounts[c] > 0;
    if (!fromOne && !fromMinusOne)
        return std::nullopt;
    Diagnostic d = advice::base(pair, DiagCode::LabelsShifted, Severity::Error,
                                pytorch::targetOutOfBounds(tally.firstOutOfRange));
    const qint64 low = fromOne ? 1 : -1;
    d.message = QStringLiteral("targets run from %1 to %2 (class %3 never occurs, %4 occurs %5 "
                               "times): the labels are shifted by %6")
                    .arg(low)
                    .arg(low + classes - 1)
                    .arg(fromOne ? 0 : classes - 1)
                    .arg(value)
                    .arg(tally.outOfRangeTotal)
                    .arg(fromOne ? QStringLiteral("one (1-based)") : QStringLiteral("minus one"));
    d.explanation =
        QStringLiteral("PyTorch's class indices start at 0: with %1 classes a target must lie in "
                       "0..%2. Labels numbered %3..%4 (%5) put one class out of range and shift "
                       "every other class by one. The value %6 is a class here, not padding: "
                       "every other class occurs, so ignore_index=%6 would silently drop it.")
            .arg(classes)
            .arg(classes - 1)
            .arg(low)
            .arg(low + classes - 1)
            .arg(fromOne ? QStringLiteral("as in MATLAB, R or many CSV files")
                         : QStringLiteral("as for {-1, 0, 1} sentiment or direction labels"))
            .arg(value);
    d.fix = pair.lossCall(pair.x,
                          pair.y + (fromOne ? QStringLiteral(" - 1") : QStringLiteral(" + 1"))) +
            QStringLiteral("\n# better, once in the Dataset: label = label %1 1")
                .arg(fromOne ? QLatin1Char('-') : QLatin1Char('+'));
    return d;
}

void diagnoseTargetRange(const PairContext& pair, const PairLayout& layout,
                         const PairLosses& losses, std::vector<Diagnostic>& out)
{
    const TargetTally& tally = losses.targets;
    const qint64 classes = layout.numClasses;
    if (tally.hasOutOfRange) {
        if (std::optional<Diagnostic> shifted = shiftedLabels(pair, tally, classes)) {
            out.push_back(*shifted);
            return;
        }
        Diagnostic d = advice::base(pair, DiagCode::TargetOutOfRange, Severity::Error,
                                    pytorch::targetOutOfBounds(tally.firstOutOfRange));
        QStringList values;
        for (const auto& [value, count] : tally.outOfRange)
            values << QStringLiteral("%1 (x%2)").arg(value).arg(count);
        d.message = QStringLiteral("%1 targets lie outside 0..%2: %3")
                        .arg(tally.outOfRangeTotal)
                        .arg(classes - 1)
                        .arg(values.join(QStringLiteral(", ")));
        const qint64 sentinel = tally.outOfRange.size() == 1 ? tally.outOfRange.begin()->first : 0;
        if (tally.outOfRange.size() == 1 && (sentinel == 255 || sentinel < 0)) {
            d.explanation =
                QStringLiteral(
                    "Every out-of-range target is %1, a value datasets use to mark pixels or "
                    "tokens "
                    "to skip (255 for 'void' in VOC and Cityscapes masks, -1 for padding). PyTorch "
                    "skips only targets equal to ignore_index, which defaults to -100.")
                    .arg(sentinel);
            d.fix = QStringLiteral("criterion = nn.%1(ignore_index=%2)")
                        .arg(pair.spec.kind == LossKind::Nll ? QStringLiteral("NLLLoss")
                                                             : QStringLiteral("CrossEntropyLoss"))
                        .arg(sentinel);
        } else {
            const qint64 largest = tally.outOfRange.rbegin()->first;
            d.explanation = QStringLiteral("The model has %1 outputs, so targets must lie in "
                                           "0..%2. If the dataset really has "
                                           "more classes (up to %3), the final layer is too small; "
                                           "if not, the labels need "
                                           "remapping to 0..%2.")
                                .arg(classes)
                                .arg(classes - 1)
                                .arg(largest);
            // Both remedies change the model or the dataset, not the dumped tensors.
            d.fix = largest >= classes
                        ? QStringLiteral("# in the model: one output per class, "
                                         "int(%1.max()) + 1 = %2 here\n"
                                         "#     model.fc = nn.Linear(model.fc.in_features, %2)")
                              .arg(pair.y)
                              .arg(largest + 1)
                        : QStringLiteral("# in the dataset: remap the labels to 0..%1")
                              .arg(classes - 1);
        }
        out.push_back(d);
        return;
    }
    // No error, but class 0 never occurs while every other class does: 1-based labels whose
    // top class happened to be absent, or a class silently lost. With at least 10 targets per
    // class, uniform labels miss class 0 by chance with probability below e^-10.
    const qint64 counted = losses.positions;
    if (classes >= 3 && counted >= 10 * classes && tally.classCounts[0] == 0) {
        bool othersPresent = true;
        for (qint64 c = 1; c < classes; ++c)
            othersPresent = othersPresent && tally.classCounts[c] > 0;
        if (othersPresent) {
            Diagnostic d =
                advice::base(pair, DiagCode::LabelsShifted, Severity::Warning, QString());
            d.message = QStringLiteral("class 0 never occurs among %1 targets while classes 1..%2 "
                                       "all do")
                            .arg(counted)
                            .arg(classes - 1);
            d.explanation = QStringLiteral("Labels may be numbered from 1: PyTorch raises only "
                                           "when the top label %1 appears, and until then the "
                                           "model learns shifted classes.")
                                .arg(classes);
            d.fix = QStringLiteral("print(torch.bincount(%1))  # does class 0 exist?").arg(pair.y);
            out.push_back(d);
        }
    }
}

void diagnoseInputProbe(const PairContext& pair, const PairLayout& layout, const PairLosses& losses,
                        std::vector<Diagnostic>& out)
{
    const InputProbe& probe = losses.input;
    const LossKind kind = pair.spec.kind;
    // A binary BCE head has one class per position; its values are evidence only in numbers.
    const bool binaryBce = kind == LossKind::Bce && probe.positions >= kBinarySigmoidEvidence;
    if (probe.positions == 0 || (layout.numClasses < 2 && !binaryBce))
        return;
    if (kind == LossKind::CrossEntropy && mostly(probe.probabilityRows, probe.positions)) {
        Diagnostic d =
            advice::base(pair, DiagCode::SoftmaxBeforeLoss, Severity::Warning, QString());
        d.axes = {{TensorSide::Input, layout.classAxis}};
        d.message = QStringLiteral("%1 of %2 examined rows of %3 are probabilities (in [0, 1], "
                                   "summing to 1): a softmax ran before CrossEntropyLoss")
                        .arg(probe.probabilityRows)
                        .arg(probe.positions)
                        .arg(pair.input.path);
        d.explanation = QStringLiteral(
            "CrossEntropyLoss applies log_softmax itself. Given probabilities it computes "
            "log_softmax(softmax(x)), which squeezes every logit into [0, 1]: the loss can never "
            "fall much below log(C) - 1, gradients vanish, and training stalls without an error.");
        d.fix = QStringLiteral("# drop the final nn.Softmax / F.softmax from the model:\n"
                               "%1 = model(x)  # raw scores\n")
                    .arg(pair.x) +
                pair.lossCall(pair.x, pair.y);
        out.push_back(d);
    } else if (kind == LossKind::Nll && mostly(probe.probabilityRows, probe.positions)) {
        Diagnostic d =
            advice::base(pair, DiagCode::SoftmaxBeforeLoss, Severity::Warning, QString());
        d.axes = {{TensorSide::Input, layout.classAxis}};
        d.message = QStringLiteral("%1 holds probabilities, but NLLLoss wants log-probabilities")
                        .arg(pair.input.path);
        d.explanation =
            QStringLiteral("NLLLoss returns -input[target]: with probabilities that is "
                           "-p instead of -log p, a loss in [-1, 0] that barely trains.");
        d.fix = QStringLiteral("loss = F.nll_loss(F.log_softmax(scores, dim=1), %1)\n"
                               "# or simply: loss = F.cross_entropy(scores, %1)")
                    .arg(pair.y);
        out.push_back(d);
    } else if (kind == LossKind::Nll && !mostly(probe.logProbabilityRows, probe.positions)) {
        Diagnostic d =
            advice::base(pair, DiagCode::InputNotLogProbabilities, Severity::Warning, QString());
        d.axes = {{TensorSide::Input, layout.classAxis}};
        d.message = QStringLiteral("only %1 of %2 examined rows of %3 are log-probabilities "
                                   "(logsumexp = 0)")
                        .arg(probe.logProbabilityRows)
                        .arg(probe.positions)
                        .arg(pair.input.path);
        d.explanation = QStringLiteral("NLLLoss expects log_softmax output. Raw logits give "
                                       "a loss that is unbounded below, and training diverges.");
        d.fix = QStringLiteral("loss = F.cross_entropy(%1, %2)  # = nll_loss(log_softmax(%1))")
                    .arg(pair.x, pair.y);
        out.push_back(d);
    } else if (kind == LossKind::Bce && probe.unitIntervalRows == probe.positions) {
        Diagnostic d =
            advice::base(pair, DiagCode::SigmoidBeforeLoss, Severity::Warning, QString());
        d.message = QStringLiteral("every examined value of %1 lies in [0, 1]: a sigmoid ran "
                                   "before BCEWithLogitsLoss")
                        .arg(pair.input.path);
        d.explanation = QStringLiteral("BCEWithLogitsLoss applies the sigmoid itself; applying it "
                                       "twice maps every prediction into [0.5, 0.73].");
        d.fix = pair.lossCall(QStringLiteral("raw_scores"), pair.y) +
                QStringLiteral("\n# or keep the sigmoid and use F.binary_cross_entropy(probs, %1)")
                    .arg(pair.y);
        out.push_back(d);
    }
}

void diagnoseTargetProbe(const PairContext& pair, const PairLayout& layout,
                         const PairLosses& losses, std::vector<Diagnostic>& out)
{
    const TargetProbe& probe = losses.target;
    if (layout.targetKind != TargetKind::ClassProbabilities || probe.positions == 0)
        return;
    if (probe.multiHotRows > 0) {
        Diagnostic d = advice::base(pair, DiagCode::OneHotTarget, Severity::Warning, QString());
        d.message = QStringLiteral("%1 of %2 examined target rows have several 1s: a multi-label "
                                   "target")
                        .arg(probe.multiHotRows)
                        .arg(probe.positions);
        d.explanation = QStringLiteral(
            "CrossEntropyLoss reads a target of the input's shape as one probability distribution "
            "per sample; rows with several 1s sum to more than 1. For multi-label data each class "
            "is its own yes/no question: that is BCEWithLogitsLoss.");
        d.fix = QStringLiteral("loss = F.binary_cross_entropy_with_logits(%1, %2.float())")
                    .arg(pair.x, pair.y);
        out.push_back(d);
    } else if (probe.notDistributionRows > 0) {
        Diagnostic d =
            advice::base(pair, DiagCode::TargetNotDistribution, Severity::Warning, QString());
        d.message = QStringLiteral("%1 of %2 examined target rows are not probability "
                                   "distributions (entries outside [0, 1] or a sum other than 1)")
                        .arg(probe.notDistributionRows)
                        .arg(probe.positions);
        d.explanation = QStringLiteral("PyTorch does not check class-probability targets; rows "
                                       "that do not sum to 1 scale the loss and its gradient.");
        d.fix = QStringLiteral("%1 = %1 / %1.sum(dim=1, keepdim=True)").arg(pair.y);
        out.push_back(d);
    }
}

void diagnoseNonFinite(const PairContext& pair, const PairLosses& losses,
                       std::vector<Diagnostic>& out)
{
    if (losses.nonFinitePositions == 0)
        return;
    Diagnostic d = advice::base(pair, DiagCode::NonFiniteInput, Severity::Error, QString());
    d.samples = losses.nonFiniteSamples;
    d.message = QStringLiteral("the loss is NaN or Inf at %1 positions, in samples %2: the input "
                               "holds NaN or Inf")
                    .arg(losses.nonFinitePositions)
                    .arg(advice::sampleList(losses.nonFiniteSamples));
    d.explanation = QStringLiteral(
        "A NaN or +Inf logit makes that sample's loss NaN, and the mean over the batch NaN with "
        "it; the weights then turn NaN after one step. Usual causes: a learning rate too high, "
        "log or division of zero in the model, float16 overflow without a GradScaler.");
    // The non-finite scores come from training; any edit of the dump would hide them.
    d.fix = QStringLiteral("# in the training loop, to find and stop what made %1 non-finite:\n"
                           "#     torch.autograd.set_detect_anomaly(True)\n"
                           "#     torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)")
                .arg(pair.x);
    out.push_back(d);
}

// Every target is ignore_index: reduction='mean' divides 0 by 0.
void diagnoseAllIgnored(const PairContext& pair, const PairLosses& losses,
                        std::vector<Diagnostic>& out)
{
    if (losses.positions != 0 || losses.targets.ignored == 0 || losses.targets.hasOutOfRange)
        return;
    Diagnostic d = advice::base(pair, DiagCode::AllTargetsIgnored, Severity::Error, QString());
    d.message = QStringLiteral("all %1 targets of %2 are ignore_index (%3): torch's mean loss is "
                               "NaN (0 / 0)")
                    .arg(losses.targets.ignored)
                    .arg(pair.target.path)
                    .arg(pair.spec.ignoreIndex);
    d.explanation = QStringLiteral(
        "CrossEntropyLoss with reduction='mean' divides the summed loss by the number of "
        "positions not equal to ignore_index. A batch where every label is padding (a sequence "
        "batch of empty or fully masked examples, labels built from an all-zero attention_mask) "
        "has none, so torch returns NaN, raises nothing, and the NaN reaches every weight at the "
        "next step.");
    d.fix = QStringLiteral("loss = F.cross_entropy(%1, %2, ignore_index=%3, reduction=\"sum\")\n"
                           "loss = loss / (%2 != %3).sum().clamp(min=1)  # 0 for a batch of "
                           "padding only")
                .arg(pair.x, pair.y)
                .arg(pair.spec.ignoreIndex);
    out.push_back(d);
}

} // namespace

std::vector<Diagnostic> diagnoseValues(const PairContext& pair, const PairLayout& layout,
                                       const PairLosses& losses)
{
    std::vector<Diagnostic> out;
    if (isElementwise(pair.spec.kind)) {
        diagnoseElementwiseValues(pair, layout, losses, out);
        return out;
    }
    if (layout.targetKind == TargetKind::ClassIndices)
        diagnoseTargetRange(pair, layout, losses, out);
    if (layout.targetKind == TargetKind::ClassIndices && pair.spec.kind != LossKind::Bce)
        diagnoseAllIgnored(pair, losses, out);
    diagnoseNonFinite(pair, losses, out);
    diagnoseInputProbe(pair, layout, losses, out);
    diagnoseTargetProbe(pair, layout, losses, out);
    return out;
}

} // namespace shapescope
