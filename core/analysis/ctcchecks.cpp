// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctcchecks.h"

#include "common/displaytext.h"
#include "shaperules.h"
#include "torchchanges.h"

#include <QStringList>
#include <algorithm>

namespace shapescope {

namespace {

// ATen's TensorArg checks end by naming the function that checked.
QString checkedBy(TorchVersion torch)
{
    return QStringLiteral(" (while checking arguments for %1)")
        .arg(torchHas(torch, TorchChange::CtcCheckedInAllocateOutputs)
                 ? QStringLiteral("ctc_loss_allocate_outputs")
                 : QStringLiteral("ctc_loss_cpu"));
}

QString callText(const CtcInputs& in, const QString& logProbs)
{
    QStringList args{logProbs, pythonName(in.targets),
                     in.inputLengthsTensor ? pythonName(*in.inputLengthsTensor)
                                           : QStringLiteral("input_lengths"),
                     in.targetLengthsTensor ? pythonName(*in.targetLengthsTensor)
                                            : QStringLiteral("target_lengths")};
    if (in.spec.blank != 0)
        args << QStringLiteral("blank=%1").arg(in.spec.blank);
    if (in.spec.zeroInfinity)
        args << QStringLiteral("zero_infinity=True");
    return QStringLiteral("F.ctc_loss(%1)").arg(args.join(QStringLiteral(", ")));
}

Diagnostic make(const CtcInputs& in, DiagCode code, Severity severity, const QString& message)
{
    Diagnostic d;
    d.code = code;
    d.severity = severity;
    d.tensors = {in.logProbs.path, in.targets.path};
    for (const TensorInfo* lengths : {in.inputLengthsTensor, in.targetLengthsTensor}) {
        if (lengths)
            d.tensors << lengths->path;
    }
    d.message = message;
    return d;
}

Diagnostic lengthsError(const CtcInputs& in, DiagCode code, const QString& torchText,
                        const QString& message, const QString& explanation)
{
    Diagnostic d = make(in, code, Severity::Error, message);
    d.pytorchError = torchText;
    d.explanation = explanation;
    d.fix = QStringLiteral("# lengths must describe this batch: one per sample, each at most "
                           "its tensor's extent\nloss = %1")
                .arg(callText(in, pythonName(in.logProbs)));
    return d;
}

// The checks that follow the batch-size ones, on log_probs read as `view`.
std::optional<Diagnostic> checkSizes(const CtcInputs& in, const CtcView& view, TorchVersion torch)
{
    const QString by = checkedBy(torch);
    const Shape& tg = in.targets.shape;
    const qint64 n = view.batch;
    if (in.targetLengths.size() != size_t(n)) {
        return lengthsError(in, DiagCode::BatchSizeMismatch,
                            QStringLiteral("target_lengths must be of size batch_size"),
                            QStringLiteral("target_lengths has %1 values for a batch of %2")
                                .arg(in.targetLengths.size())
                                .arg(n),
                            QStringLiteral("Every sample needs the length of its target."));
    }
    if (view.concatenated) {
        qint64 total = 0;
        for (qint64 length : in.targetLengths)
            total += length;
        if (tg[0] != total) {
            return lengthsError(
                in, DiagCode::CtcLengths,
                QStringLiteral("Expected tensor to have size %1 at dimension 0, but got size %2 "
                               "for argument #2 'targets'%3")
                    .arg(total)
                    .arg(tg[0])
                    .arg(by),
                QStringLiteral(
                    "the concatenated targets hold %1 labels; target_lengths add up to %2")
                    .arg(tg[0])
                    .arg(total),
                QStringLiteral("1-D targets are every sample's labels one after another, so "
                               "target_lengths must add up to their length."));
        }
    } else {
        if (tg[0] != n) {
            return lengthsError(
                in, DiagCode::BatchSizeMismatch,
                QStringLiteral("Expected tensor to have size %1 at dimension 0, but got size %2 "
                               "for argument #2 'targets'%3")
                    .arg(n)
                    .arg(tg[0])
                    .arg(by),
                QStringLiteral("targets has %1 rows for a batch of %2").arg(tg[0]).arg(n),
                QStringLiteral("Padded targets have one row per sample."));
        }
        const qint64 longest =
            in.targetLengths.empty()
                ? 0
                : *std::max_element(in.targetLengths.begin(), in.targetLengths.end());
        if (tg[1] < longest) {
            return lengthsError(
                in, DiagCode::CtcLengths,
                QStringLiteral("Expected tensor to have size at least %1 at dimension 1, but got "
                               "size %2 for argument #2 'targets'%3")
                    .arg(longest)
                    .arg(tg[1])
                    .arg(by),
                QStringLiteral("target_lengths asks for %1 labels, but targets is padded to %2")
                    .arg(longest)
                    .arg(tg[1]),
                QStringLiteral("A target length longer than the padded targets usually means the "
                               "lengths of another batch, or lengths counted with padding."));
        }
    }
    for (qint64 length : in.inputLengths) {
        if (length > view.steps) {
            return lengthsError(
                in, DiagCode::CtcLengths,
                QStringLiteral(
                    "Expected input_lengths to have value at most %1, but got value %2%3")
                    .arg(view.steps)
                    .arg(length)
                    .arg(by),
                QStringLiteral("input_lengths has %1, but log_probs has %2 time steps")
                    .arg(length)
                    .arg(view.steps),
                QStringLiteral("Input lengths count the model's output steps; lengths of the "
                               "audio or of the input before downsampling are longer."));
        }
    }
    return std::nullopt;
}

} // namespace

CtcCheck checkCtc(const CtcInputs& in, TorchVersion torch)
{
    CtcCheck check;
    const Shape& lp = in.logProbs.shape;
    const Shape& tg = in.targets.shape;
    if (!in.inputLengthsTensor || !in.targetLengthsTensor) {
        Diagnostic d = make(in, DiagCode::CtcLengths, Severity::Error,
                            QStringLiteral("no %1 tensor found beside %2")
                                .arg(in.inputLengthsTensor ? QStringLiteral("target_lengths")
                                                           : QStringLiteral("input_lengths"),
                                     in.logProbs.path));
        d.explanation = QStringLiteral("CTC needs each sample's input and target length. Dump "
                                       "them as input_lengths and target_lengths.");
        d.fix = QStringLiteral("shapescope check DUMP --loss ctc --input-lengths PATH "
                               "--target-lengths PATH");
        check.diagnostics.push_back(d);
        return check;
    }
    if (lp.size() != 3 || tg.empty() || tg.size() > 2) {
        Diagnostic d = make(in, DiagCode::TargetShapeMismatch, Severity::Error,
                            QStringLiteral("ctc takes log_probs (T, N, C) and targets (N, S) or "
                                           "concatenated (sum(target_lengths),); got %1 and %2")
                                .arg(shapeToString(lp), shapeToString(tg)));
        d.explanation = QStringLiteral("ShapeScope computes batched CTC only.");
        check.diagnostics.push_back(d);
        return check;
    }
    CtcView view{false, lp[0], lp[1], lp[2], tg.size() == 1};
    if (in.spec.blank < 0 || in.spec.blank >= view.classes) {
        Diagnostic d = lengthsError(
            in, DiagCode::ClassCountMismatch, QStringLiteral("blank must be in label range"),
            QStringLiteral("blank=%1, but log_probs has %2 classes")
                .arg(in.spec.blank)
                .arg(view.classes),
            QStringLiteral("The blank is one of the C classes of log_probs: 0 by default, or C - 1 "
                           "when the model puts it last."));
        d.axes = {{TensorSide::Input, 2}};
        d.fix = QStringLiteral("loss = F.ctc_loss(%1, %2, %3, %4, blank=%5)")
                    .arg(pythonName(in.logProbs), pythonName(in.targets),
                         pythonName(*in.inputLengthsTensor), pythonName(*in.targetLengthsTensor))
                    .arg(view.classes - 1);
        check.diagnostics.push_back(d);
        return check;
    }
    const qint64 lengths = qint64(in.inputLengths.size());
    if (lengths != view.batch) {
        const QString torchText = QStringLiteral("input_lengths must be of size batch_size");
        const bool batchFirst = lengths == lp[0] && (view.concatenated || tg[0] == lp[0]);
        if (!batchFirst) {
            Diagnostic d = lengthsError(
                in, DiagCode::BatchSizeMismatch, torchText,
                QStringLiteral(
                    "input_lengths has %1 values; log_probs %2 has a batch of %3 (axis 1)")
                    .arg(lengths)
                    .arg(shapeToString(lp))
                    .arg(view.batch),
                QStringLiteral("Every sample needs the length of its input."));
            d.axes = {{TensorSide::Input, 1}};
            check.diagnostics.push_back(d);
            return check;
        }
        const QString x = pythonName(in.logProbs);
        Diagnostic d = make(in, DiagCode::CtcBatchFirst, Severity::Error,
                            QStringLiteral("log_probs %1 is batch first (N, T, C): its axis 0 has "
                                           "the batch of %2 samples, CTC wants (T, N, C)")
                                .arg(shapeToString(lp))
                                .arg(lp[0]));
        d.pytorchError = torchText;
        d.axes = {{TensorSide::Input, 0}, {TensorSide::Input, 1}};
        d.explanation = QStringLiteral("CTCLoss takes time first. A model with batch_first=True "
                                       "(an LSTM, a Transformer) emits (N, T, C); ShapeScope "
                                       "computes the losses of the permuted tensor.");
        d.fix = QStringLiteral("%1 = %1.permute(1, 0, 2)  # or .transpose(0, 1)\nloss = %2")
                    .arg(x, callText(in, x));
        check.diagnostics.push_back(d);
        view.batchFirst = true;
        std::swap(view.steps, view.batch);
    }
    if (std::optional<Diagnostic> failure = checkSizes(in, view, torch)) {
        check.diagnostics.push_back(*failure);
        return check;
    }
    check.view = view;
    return check;
}

Diagnostic ctcTargetTooLong(const CtcInputs& in, const CtcView& view,
                            const std::vector<qint64>& samples, qint64 count)
{
    const bool zero = in.spec.zeroInfinity;
    Diagnostic d =
        make(in, DiagCode::CtcTargetTooLong, zero ? Severity::Warning : Severity::Error,
             QStringLiteral("%1 of %2 samples have a target longer than their input "
                            "can emit: their loss is %3")
                 .arg(count)
                 .arg(view.batch)
                 .arg(zero ? QStringLiteral("0 (zero_infinity)") : QStringLiteral("inf")));
    d.samples = samples;
    d.explanation =
        zero ? QStringLiteral("zero_infinity=True hides them: they add 0 to the loss and no "
                              "gradient, so the model never learns these samples.")
             : QStringLiteral("CTC needs one step per label, and a blank between two equal "
                              "labels. A shorter input has no path: the loss is inf, and so is "
                              "the batch's mean.");
    const QString il = pythonName(*in.inputLengthsTensor);
    const QString tl = pythonName(*in.targetLengthsTensor);
    const QString y = pythonName(in.targets);
    if (view.concatenated) {
        d.fix = QStringLiteral("loss = F.ctc_loss(%1, %2, %3, %4, zero_infinity=True)")
                    .arg(pythonName(in.logProbs), y, il, tl);
    } else {
        d.fix =
            QStringLiteral("repeats = ((%1[:, 1:] == %1[:, :-1])\n"
                           "           & (torch.arange(1, %1.shape[1]) < %2[:, None])).sum(1)\n"
                           "keep = %3 >= %2 + repeats  # drop these samples, or downsample less")
                .arg(y, tl, il);
    }
    return d;
}

Diagnostic ctcNotLogSoftmax(const CtcInputs& in, bool probabilities)
{
    const QString x = pythonName(in.logProbs);
    Diagnostic d =
        make(in, DiagCode::InputNotLogProbabilities, Severity::Warning,
             probabilities ? QStringLiteral("%1 holds probabilities (rows sum to 1), not "
                                            "log-probabilities")
                                 .arg(in.logProbs.path)
                           : QStringLiteral("%1 holds raw scores: its rows are not log_softmax "
                                            "output (exp does not sum to 1)")
                                 .arg(in.logProbs.path));
    d.explanation = QStringLiteral("CTCLoss takes log_softmax output and does not normalise it "
                                   "itself; on other values it silently returns a meaningless "
                                   "loss, often negative.");
    d.fix = probabilities ? QStringLiteral("%1 = %1.log()").arg(x)
                          : QStringLiteral("%1 = %1.log_softmax(2)").arg(x);
    d.axes = {{TensorSide::Input, 2}};
    return d;
}

} // namespace shapescope
