// SPDX-License-Identifier: GPL-3.0-or-later
#include "sequenceadvice.h"

#include "advicesupport.h"

namespace shapescope::advice {

namespace {

QString seqLabelShiftWhy()
{
    return QStringLiteral(
        "For next-token prediction the labels are the inputs shifted left by one, so they have "
        "one position fewer per sequence; the logits of the last position predict nothing and "
        "must be dropped the same way (Hugging Face models do both inside forward() when given "
        "labels=). This is not a short batch: drop_last, a batch size or F.interpolate would "
        "not fix it.");
}

// (B, T, V) or (B, V, T) logits against (B, T -/+ 1) labels.
std::optional<Diagnostic> shiftedSequence(const PairContext& pair, const QString& torchText)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    // Next-token labels are class indices; a float target of another length is something else.
    if (in.size() != 3 || tg.size() != 2 || tg[0] != in[0] || isFloating(pair.target.dtype))
        return std::nullopt;
    const bool classesLast = tg[1] + 1 == in[1] || tg[1] == in[1] + 1;
    const bool classesSecond = !classesLast && (tg[1] + 1 == in[2] || tg[1] == in[2] + 1);
    if (!classesLast && !classesSecond)
        return std::nullopt;
    const int timeAxis = classesLast ? 1 : 2;
    const qint64 steps = in[timeAxis];
    const qint64 classes = in[classesLast ? 2 : 1];
    Diagnostic d = base(pair, DiagCode::LabelShift, Severity::Error, torchText);
    d.axes = {{TensorSide::Input, timeAxis}, {TensorSide::Target, 1}};
    const bool labelsShorter = tg[1] < steps;
    d.message = QStringLiteral("%1 has %2 positions per sequence but %3 has %4: %5 shifted by one "
                               "token and %6 not")
                    .arg(pair.input.path)
                    .arg(steps)
                    .arg(pair.target.path)
                    .arg(tg[1])
                    .arg(labelsShorter ? QStringLiteral("the labels were")
                                       : QStringLiteral("the logits were"),
                         labelsShorter ? QStringLiteral("the logits were")
                                       : QStringLiteral("the labels were"));
    d.explanation = seqLabelShiftWhy();
    const QString logits = labelsShorter
                               ? (classesLast ? QStringLiteral("%1[:, :-1]").arg(pair.x)
                                              : QStringLiteral("%1[:, :, :-1]").arg(pair.x))
                               : pair.x;
    const QString labels = labelsShorter ? pair.y : QStringLiteral("%1[:, 1:]").arg(pair.y);
    d.fix = classesLast
                ? pair.lossCall(QStringLiteral("%1.reshape(-1, %2)").arg(logits).arg(classes),
                                labels + QStringLiteral(".reshape(-1)"))
                : pair.lossCall(logits, labels);
    return d;
}

// (B*T, V) against (B*(T-1),): the difference is one position per sequence, so it divides both.
std::optional<Diagnostic> shiftedFlattened(const PairContext& pair, const QString& torchText)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    if (in.size() != 2 || tg.size() != 1 || in[0] == tg[0] || tg[0] == 0 ||
        isFloating(pair.target.dtype))
        return std::nullopt;
    const qint64 longer = qMax(in[0], tg[0]);
    const qint64 shorter = qMin(in[0], tg[0]);
    const qint64 sequences = longer - shorter;
    // At least 3 positions per sequence, so a batch of half the size is not read as a shift.
    if (longer % sequences != 0 || longer / sequences < 3)
        return std::nullopt;
    const qint64 steps = longer / sequences;
    const bool labelsShorter = tg[0] < in[0];
    Diagnostic d = base(pair, DiagCode::LabelShift, Severity::Error, torchText);
    d.axes = {{TensorSide::Input, 0}, {TensorSide::Target, 0}};
    d.message = QStringLiteral("%1 rows = %2 x %3 vs %4 targets = %2 x %5: one position per "
                               "sequence is missing from the %6")
                    .arg(in[0])
                    .arg(sequences)
                    .arg(labelsShorter ? steps : steps - 1)
                    .arg(tg[0])
                    .arg(labelsShorter ? steps - 1 : steps)
                    .arg(labelsShorter ? QStringLiteral("labels") : QStringLiteral("logits"));
    d.explanation = QStringLiteral("Both were flattened from %1 sequences: %2 positions each on "
                                   "one side, %3 on the other. ")
                        .arg(sequences)
                        .arg(steps)
                        .arg(steps - 1) +
                    seqLabelShiftWhy();
    if (labelsShorter) {
        d.fix = pair.lossCall(QStringLiteral("%1.view(%2, %3, -1)[:, :-1].reshape(-1, %4)")
                                  .arg(pair.x)
                                  .arg(sequences)
                                  .arg(steps)
                                  .arg(in[1]),
                              pair.y);
    } else {
        d.fix = pair.lossCall(pair.x, QStringLiteral("%1.view(%2, %3)[:, 1:].reshape(-1)")
                                          .arg(pair.y)
                                          .arg(sequences)
                                          .arg(steps));
    }
    return d;
}

std::optional<Diagnostic> timeMajor(const PairContext& pair, const QString& torchText)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    if (in.size() != 3 || tg.size() != 2 || in[0] == in[1] || in[0] != tg[1] || in[1] != tg[0])
        return std::nullopt;
    Diagnostic d = base(pair, DiagCode::TimeMajorOutput, Severity::Error, torchText);
    d.axes = {{TensorSide::Input, 0}, {TensorSide::Input, 1}, {TensorSide::Target, 0}};
    d.message = QStringLiteral("output %1 is time-major (T, B, C) = (%2, %3, %4); the target %5 "
                               "is batch-first (B, T)")
                    .arg(pair.input.path)
                    .arg(in[0])
                    .arg(in[1])
                    .arg(in[2])
                    .arg(tuple(tg));
    d.explanation =
        QStringLiteral(
            "nn.RNN, nn.LSTM, nn.GRU and nn.Transformer return (T, B, ...) unless built with "
            "batch_first=True, while a DataLoader stacks the labels batch-first. PyTorch takes "
            "axis 0 "
            "as the batch, so it compares %1 time steps with %2 sequences.")
            .arg(in[0])
            .arg(tg[0]);
    d.fix = pair.lossCall(QStringLiteral("%1.permute(1, 2, 0)").arg(pair.x), pair.y) +
            QStringLiteral("  # (B, C, T)\n# or build the model with batch_first=True");
    return d;
}

std::optional<Diagnostic> squeezedBatch(const PairContext& pair, const QString& torchText)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    if (in.size() < 2 || in[0] != 1)
        return std::nullopt;
    // The target each class axis wants, with its batch axis of 1 removed.
    Shape perClassSecond(in.begin() + 2, in.end());
    Shape perClassLast(in.begin() + 1, in.end() - 1);
    const bool classesSecond = tg == perClassSecond;
    const bool classesLast = !classesSecond && in.size() >= 3 && tg == perClassLast;
    if (!classesSecond && !classesLast)
        return std::nullopt;
    Diagnostic d = base(pair, DiagCode::SqueezedBatch, Severity::Error, torchText);
    d.axes = {{TensorSide::Input, 0}};
    d.message = QStringLiteral("target %1 is %2, the target of a batch of one without its batch "
                               "axis")
                    .arg(pair.target.path, tuple(tg));
    d.explanation = QStringLiteral("labels.squeeze() removes every axis of length 1, the batch "
                                   "axis too when the batch has one sample (the last batch of an "
                                   "epoch, or batch_size=1). Squeeze only the axis meant: "
                                   "labels.squeeze(-1), or labels.view(-1).");
    const QString target = tg.empty() ? QStringLiteral("%1.view(-1)").arg(pair.y)
                                      : QStringLiteral("%1.unsqueeze(0)").arg(pair.y);
    d.fix = classesLast
                ? pair.lossCall(QStringLiteral("%1.reshape(-1, %2)").arg(pair.x).arg(in.back()),
                                pair.y + QStringLiteral(".reshape(-1)"))
                : pair.lossCall(pair.x, target);
    d.fix += QStringLiteral("\n# in the loader: labels.squeeze(-1), not labels.squeeze()");
    return d;
}

std::optional<Diagnostic> rgbMask(const PairContext& pair, const QString& torchText)
{
    const Shape& in = pair.input.shape;
    const Shape& tg = pair.target.shape;
    if (in.size() < 3 || tg.size() != in.size() || (tg.back() != 3 && tg.back() != 4) ||
        tg[0] != in[0] || Shape(tg.begin() + 1, tg.end() - 1) != Shape(in.begin() + 2, in.end()))
        return std::nullopt;
    Diagnostic d = base(pair, DiagCode::RgbMask, Severity::Error, torchText);
    d.axes = {{TensorSide::Target, static_cast<int>(tg.size()) - 1}};
    d.message = QStringLiteral("target %1 %2 is a colour image (%3 channels last), not one class "
                               "index per pixel")
                    .arg(pair.target.path, tuple(tg))
                    .arg(tg.back());
    d.explanation = QStringLiteral(
        "Segmentation datasets (VOC, Cityscapes colour masks, masks saved as PNG) store the class "
        "as a colour. CrossEntropyLoss wants the index of the class at each pixel, an int64 "
        "(N, H, W) tensor: map each colour to its class with the dataset's colour table. No view "
        "or reshape can do it, and averaging the channels mixes classes.");
    const QString rgb = tg.back() == 4 ? QStringLiteral("[..., :3]") : QString();
    d.fix = QStringLiteral("palette = torch.unique(%1%2.reshape(-1, 3), dim=0)  # better: the "
                           "dataset's colour table, row i = class i\n"
                           "%1 = (%1%2[..., None, :] == palette).all(-1).long().argmax(-1)\n")
                .arg(pair.y, rgb) +
            pair.lossCall(pair.x, pair.y);
    return d;
}

} // namespace

std::optional<Diagnostic> sequenceDiagnostic(const PairContext& pair, const QString& torchText)
{
    for (auto recognise : {shiftedSequence, shiftedFlattened, timeMajor, squeezedBatch, rgbMask}) {
        if (std::optional<Diagnostic> d = recognise(pair, torchText))
            return d;
    }
    return std::nullopt;
}

} // namespace shapescope::advice
