#include "pairlayout.h"

namespace shapescope {

QString axisRoleLetter(AxisRole role)
{
    switch (role) {
    case AxisRole::Batch: return QStringLiteral("N");
    case AxisRole::Class: return QStringLiteral("C");
    case AxisRole::Spatial: return QStringLiteral("d");
    }
    return {};
}

QString targetKindName(TargetKind kind)
{
    switch (kind) {
    case TargetKind::ClassIndices: return QStringLiteral("class_indices");
    case TargetKind::ClassProbabilities: return QStringLiteral("class_probabilities");
    case TargetKind::MultiLabel: return QStringLiteral("multi_label");
    }
    return {};
}

qint64 PairLayout::inputRowElements(const Shape& inputShape) const
{
    qint64 count = 1;
    for (size_t axis = batched ? 1 : 0; axis < inputShape.size(); ++axis)
        count *= inputShape[axis];
    return count;
}

} // namespace shapescope
