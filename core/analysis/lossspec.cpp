// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossspec.h"

#include <QStringList>
#include <algorithm>

namespace shapescope {

QString lossKindName(LossKind kind)
{
    switch (kind) {
    case LossKind::CrossEntropy:
        return QStringLiteral("cross_entropy");
    case LossKind::Nll:
        return QStringLiteral("nll");
    case LossKind::Bce:
        return QStringLiteral("bce");
    case LossKind::Mse:
        return QStringLiteral("mse");
    case LossKind::L1:
        return QStringLiteral("l1");
    case LossKind::SmoothL1:
        return QStringLiteral("smooth_l1");
    case LossKind::Huber:
        return QStringLiteral("huber");
    case LossKind::BinaryCrossEntropy:
        return QStringLiteral("binary_cross_entropy");
    case LossKind::KlDiv:
        return QStringLiteral("kl_div");
    case LossKind::Ctc:
        return QStringLiteral("ctc");
    }
    return {};
}

QString lossClassName(LossKind kind)
{
    switch (kind) {
    case LossKind::CrossEntropy:
        return QStringLiteral("CrossEntropyLoss");
    case LossKind::Nll:
        return QStringLiteral("NLLLoss");
    case LossKind::Bce:
        return QStringLiteral("BCEWithLogitsLoss");
    case LossKind::Mse:
        return QStringLiteral("MSELoss");
    case LossKind::L1:
        return QStringLiteral("L1Loss");
    case LossKind::SmoothL1:
        return QStringLiteral("SmoothL1Loss");
    case LossKind::Huber:
        return QStringLiteral("HuberLoss");
    case LossKind::BinaryCrossEntropy:
        return QStringLiteral("BCELoss");
    case LossKind::KlDiv:
        return QStringLiteral("KLDivLoss");
    case LossKind::Ctc:
        return QStringLiteral("CTCLoss");
    }
    return {};
}

std::vector<LossKind> allLossKinds()
{
    return {
        LossKind::CrossEntropy, LossKind::Nll,      LossKind::Bce,   LossKind::Mse,
        LossKind::L1,           LossKind::SmoothL1, LossKind::Huber, LossKind::BinaryCrossEntropy,
        LossKind::KlDiv,        LossKind::Ctc};
}

bool isElementwise(LossKind kind)
{
    switch (kind) {
    case LossKind::Mse:
    case LossKind::L1:
    case LossKind::SmoothL1:
    case LossKind::Huber:
    case LossKind::BinaryCrossEntropy:
    case LossKind::KlDiv:
        return true;
    default:
        return false;
    }
}

namespace {

QString tensorLiteral(const std::vector<double>& values)
{
    QStringList parts;
    const size_t shown = std::min<size_t>(values.size(), 6);
    for (size_t i = 0; i < shown; ++i)
        parts << QString::number(values[i], 'g', 6);
    if (values.size() > shown)
        parts << QStringLiteral("...");
    return QStringLiteral("torch.tensor([%1])").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

QString lossSpecText(const LossSpec& spec)
{
    QStringList args;
    if (!spec.weightTensor.isEmpty())
        args << QStringLiteral("weight=%1").arg(spec.weightTensor);
    else if (!spec.weight.empty())
        args << QStringLiteral("weight=") + tensorLiteral(spec.weight);
    if (spec.kind == LossKind::Ctc && spec.blank != 0)
        args << QStringLiteral("blank=%1").arg(spec.blank);
    if (spec.kind == LossKind::Ctc && spec.zeroInfinity)
        args << QStringLiteral("zero_infinity=True");
    const bool classIndices = spec.kind == LossKind::CrossEntropy || spec.kind == LossKind::Nll;
    if (classIndices && spec.ignoreIndex != -100)
        args << QStringLiteral("ignore_index=%1").arg(spec.ignoreIndex);
    if (spec.kind == LossKind::CrossEntropy && spec.labelSmoothing != 0)
        args << QStringLiteral("label_smoothing=%1").arg(spec.labelSmoothing);
    if (spec.kind == LossKind::Bce && !spec.posWeight.empty())
        args << QStringLiteral("pos_weight=") + tensorLiteral(spec.posWeight);
    if (spec.kind == LossKind::SmoothL1 && spec.beta != 1.0)
        args << QStringLiteral("beta=%1").arg(spec.beta);
    if (spec.kind == LossKind::Huber && spec.delta != 1.0)
        args << QStringLiteral("delta=%1").arg(spec.delta);
    if (spec.kind == LossKind::KlDiv) {
        args << QStringLiteral("reduction=\"batchmean\"");
        if (spec.logTarget)
            args << QStringLiteral("log_target=True");
    }
    QString text =
        QStringLiteral("nn.%1(%2)").arg(lossClassName(spec.kind), args.join(QStringLiteral(", ")));
    if (spec.classDim)
        text += QStringLiteral(", class axis %1").arg(*spec.classDim);
    return text;
}

QString lossKindNames()
{
    QStringList names;
    for (LossKind kind : allLossKinds())
        names << lossKindName(kind);
    return names.join(QStringLiteral(", "));
}

std::optional<LossKind> lossKindFromName(const QString& name)
{
    for (LossKind kind : allLossKinds()) {
        if (lossKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace shapescope
