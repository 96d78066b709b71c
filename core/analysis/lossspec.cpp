#include "lossspec.h"

namespace shapescope {

QString lossKindName(LossKind kind)
{
    switch (kind) {
    case LossKind::CrossEntropy: return QStringLiteral("cross_entropy");
    case LossKind::Nll: return QStringLiteral("nll");
    case LossKind::Bce: return QStringLiteral("bce");
    }
    return {};
}

std::optional<LossKind> lossKindFromName(const QString& name)
{
    for (LossKind kind : {LossKind::CrossEntropy, LossKind::Nll, LossKind::Bce}) {
        if (lossKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace shapescope
