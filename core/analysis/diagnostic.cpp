// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnostic.h"

#include <QCoreApplication>
#include <iterator>

namespace shapescope {

namespace {

struct CodeEntry
{
    DiagCode code;
    const char* name;
    std::optional<TensorSide> dtypeOf; // set for findings about a tensor's dtype
};

// The one place a code's spelling is written. Rows are in DiagCode order (checked below).
constexpr CodeEntry kCodes[] = {
    {DiagCode::BatchSizeMismatch, "batch-size-mismatch", std::nullopt},
    {DiagCode::TargetShapeMismatch, "target-shape-mismatch", std::nullopt},
    {DiagCode::ClassCountMismatch, "class-count-mismatch", std::nullopt},
    {DiagCode::ClassDimLast, "class-dim-last", std::nullopt},
    {DiagCode::TargetDtype, "target-dtype", TensorSide::Target},
    {DiagCode::InputDtype, "input-dtype", TensorSide::Input},
    {DiagCode::OneHotTarget, "one-hot-target", std::nullopt},
    {DiagCode::LabelsShifted, "labels-shifted", std::nullopt},
    {DiagCode::TargetOutOfRange, "target-out-of-range", std::nullopt},
    {DiagCode::SoftmaxBeforeLoss, "softmax-before-loss", std::nullopt},
    {DiagCode::InputNotLogProbabilities, "input-not-log-probabilities", std::nullopt},
    {DiagCode::SigmoidBeforeLoss, "sigmoid-before-loss", std::nullopt},
    {DiagCode::TargetNotDistribution, "target-not-distribution", std::nullopt},
    {DiagCode::NonFiniteInput, "non-finite-input", std::nullopt},
    {DiagCode::RaggedBatch, "ragged-batch", std::nullopt},
    {DiagCode::UnreadableTensor, "unreadable-tensor", std::nullopt},
    {DiagCode::UnpairedTensor, "unpaired-tensor", std::nullopt},
    {DiagCode::BatchChangedInModel, "batch-changed-in-model", std::nullopt},
    {DiagCode::LoaderBatchMismatch, "loader-batch-mismatch", std::nullopt},
    {DiagCode::NoPairChecked, "no-pair-checked", std::nullopt},
    {DiagCode::GuessedPair, "guessed-pair", std::nullopt},
    {DiagCode::LabelShift, "label-shift", std::nullopt},
    {DiagCode::TimeMajorOutput, "time-major-output", std::nullopt},
    {DiagCode::SqueezedBatch, "squeezed-batch", std::nullopt},
    {DiagCode::RgbMask, "rgb-mask", std::nullopt},
    {DiagCode::AllTargetsIgnored, "all-targets-ignored", std::nullopt},
    {DiagCode::BroadcastTarget, "broadcast-target", std::nullopt},
    {DiagCode::InputOutOfRange, "input-out-of-range", std::nullopt},
    {DiagCode::CtcBatchFirst, "ctc-batch-first", std::nullopt},
    {DiagCode::CtcLengths, "ctc-lengths", std::nullopt},
    {DiagCode::CtcTargetTooLong, "ctc-target-too-long", std::nullopt},
    {DiagCode::SingleClassOutput, "single-class-output", std::nullopt},
    {DiagCode::TorchVersionDifference, "torch-version-difference", std::nullopt},
};

constexpr bool inCodeOrder()
{
    for (size_t i = 0; i < std::size(kCodes); ++i) {
        if (static_cast<size_t>(kCodes[i].code) != i)
            return false;
    }
    return static_cast<size_t>(diagCodeCount) == std::size(kCodes);
}
static_assert(inCodeOrder(), "kCodes must list every DiagCode once, in declaration order");

const CodeEntry& entry(DiagCode code)
{
    return kCodes[static_cast<size_t>(code)];
}

} // namespace

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return {};
}

QString severityTitle(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QCoreApplication::translate("shapescope", "Info");
    case Severity::Warning:
        return QCoreApplication::translate("shapescope", "Warning");
    case Severity::Error:
        return QCoreApplication::translate("shapescope", "Error");
    }
    return {};
}

QString diagCodeName(DiagCode code)
{
    return QString::fromLatin1(entry(code).name);
}

std::optional<DiagCode> diagCodeFromName(const QString& name)
{
    for (const CodeEntry& e : kCodes) {
        if (name == QLatin1String(e.name))
            return e.code;
    }
    return std::nullopt;
}

std::optional<TensorSide> dtypeSide(DiagCode code)
{
    return entry(code).dtypeOf;
}

} // namespace shapescope
