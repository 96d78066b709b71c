// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace shapescope {

enum class Severity
{
    Info,
    Warning,
    Error
};

QString severityName(Severity severity);  // "info", "warning", "error": JSON and the CLI
QString severityTitle(Severity severity); // "Info", "Warning", "Error": headings and the GUI

// Which tensor of a pair an axis mark refers to.
enum class TensorSide
{
    Input,
    Target
};

// What a diagnostic is about. The spelling users see ("batch-size-mismatch", in the reports, the
// CLI and the wire) comes only from the table in diagnostic.cpp; code compares these values.
enum class DiagCode
{
    BatchSizeMismatch,
    TargetShapeMismatch,
    ClassCountMismatch,
    ClassDimLast,
    TargetDtype,
    InputDtype,
    OneHotTarget,
    LabelsShifted, // labels numbered from 1, or from -1: every class off by one
    TargetOutOfRange,
    SoftmaxBeforeLoss,
    InputNotLogProbabilities,
    SigmoidBeforeLoss,
    TargetNotDistribution,
    NonFiniteInput,
    RaggedBatch,
    UnreadableTensor,
    UnpairedTensor,
    BatchChangedInModel, // the loader's tensors agree, the model's output has other rows
    LoaderBatchMismatch, // the loader's own tensors disagree about the batch
    NoPairChecked,       // the dump had tensors and no pair could be checked
    GuessedPair,         // a pair found by shape and dtype, not by name
    LabelShift,          // next-token labels shifted, logits not (or the other way round)
    TimeMajorOutput,     // (T, B, C) output against batch-first (B, T) targets
    SqueezedBatch,       // a batch of one squeezed out of the target (labels.squeeze())
    RgbMask,             // a colour mask (N, H, W, 3) where class indices are wanted
    AllTargetsIgnored,   // every target is ignore_index: torch's mean is NaN
    BroadcastTarget,     // elementwise loss: torch broadcasts input and target of different shapes
    InputOutOfRange,     // binary_cross_entropy: an input value outside [0, 1]
    CtcBatchFirst,
    CtcLengths,
    CtcTargetTooLong,
    SingleClassOutput,
    TorchVersionDifference, // the last: diagCodeCount counts up to it
};
inline constexpr int diagCodeCount = int(DiagCode::TorchVersionDifference) + 1;

QString diagCodeName(DiagCode code); // "batch-size-mismatch"
std::optional<DiagCode> diagCodeFromName(const QString& name);
// The tensor whose dtype the finding is about, for codes about a dtype (TargetDtype: Target).
std::optional<TensorSide> dtypeSide(DiagCode code);

// An axis the diagnostic is about, so views can paint it (the mismatched batch axis in red).
struct AxisMark
{
    TensorSide side = TensorSide::Input;
    int axis = 0;
};

// One finding about the dump: what PyTorch would say, why, and how to fix it.
struct Diagnostic
{
    DiagCode code = DiagCode::BatchSizeMismatch;
    Severity severity = Severity::Warning; // Error: PyTorch raises, or the loss is NaN
    QStringList tensors;                   // paths of the tensors involved
    std::vector<AxisMark> axes;            // axes involved, in the pair's input and target
    QString message;                       // one line: what is wrong, with the numbers
    QString pytorchError; // PyTorch's exception text, verbatim; empty when it raises none
    QString explanation;  // the likely cause, in plain words
    QString fix;          // code that fixes it
    // One line when another supported torch release decides otherwise (accepts what this one
    // refuses, or refuses what it accepts): "torch >= 2.13 accepts this; your dump says 1.13".
    QString versionNote;
    std::vector<qint64> samples; // offending samples (at most a few dozen), when there are any
    int pair = -1;               // index into AnalysisResult::pairs, or -1
    int run = -1;                // index into AnalysisResult::runs, or -1
    // The fix as --apply statements ("logits=logits.permute(0, 2, 1)") when it only transforms
    // the pair's tensors and applies to this dump (transform/fixtransforms.h): what "Apply to
    // the dump" runs. Empty otherwise.
    QStringList apply;

    bool hasPytorchError() const { return !pytorchError.isEmpty(); }
    QString codeName() const { return diagCodeName(code); }
};

} // namespace shapescope
