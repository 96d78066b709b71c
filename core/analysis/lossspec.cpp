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
    case LossKind::Ctc:
        return QStringLiteral("CTCLoss");
    }
    return {};
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
    if (spec.kind != LossKind::Bce && spec.kind != LossKind::Ctc && spec.ignoreIndex != -100)
        args << QStringLiteral("ignore_index=%1").arg(spec.ignoreIndex);
    if (spec.kind == LossKind::CrossEntropy && spec.labelSmoothing != 0)
        args << QStringLiteral("label_smoothing=%1").arg(spec.labelSmoothing);
    if (spec.kind == LossKind::Bce && !spec.posWeight.empty())
        args << QStringLiteral("pos_weight=") + tensorLiteral(spec.posWeight);
    QString text =
        QStringLiteral("nn.%1(%2)").arg(lossClassName(spec.kind), args.join(QStringLiteral(", ")));
    if (spec.classDim)
        text += QStringLiteral(", class axis %1").arg(*spec.classDim);
    return text;
}

std::optional<LossKind> lossKindFromName(const QString& name)
{
    for (LossKind kind : {LossKind::CrossEntropy, LossKind::Nll, LossKind::Bce, LossKind::Ctc}) {
        if (lossKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace shapescope
