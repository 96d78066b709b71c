// SPDX-License-Identifier: GPL-3.0-or-later
#include "pairlayout.h"

#include <algorithm>

namespace shapescope {

QString axisRoleLetter(AxisRole role)
{
    switch (role) {
    case AxisRole::Batch:
        return QStringLiteral("N");
    case AxisRole::Class:
        return QStringLiteral("C");
    case AxisRole::Spatial:
        return QStringLiteral("d");
    case AxisRole::Label:
        return QStringLiteral("S");
    }
    return {};
}

int batchAxisOf(const std::vector<AxisRole>& roles)
{
    if (roles.empty())
        return 0;
    const auto found = std::find(roles.begin(), roles.end(), AxisRole::Batch);
    return found == roles.end() ? -1 : int(found - roles.begin());
}

QString targetKindName(TargetKind kind)
{
    switch (kind) {
    case TargetKind::ClassIndices:
        return QStringLiteral("class_indices");
    case TargetKind::ClassProbabilities:
        return QStringLiteral("class_probabilities");
    case TargetKind::MultiLabel:
        return QStringLiteral("multi_label");
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

Slab targetSlabFor(const Slab& input, const PairLayout& layout)
{
    if (layout.targetKind == TargetKind::MultiLabel && layout.squeezedAxis >= 0) {
        Slab target = input;
        const auto at = static_cast<std::ptrdiff_t>(layout.squeezedAxis);
        if (layout.targetRoles.size() < layout.inputRoles.size()) {
            target.start.erase(target.start.begin() + at);
            target.count.erase(target.count.begin() + at);
        } else if (layout.targetRoles.size() > layout.inputRoles.size()) {
            target.start.insert(target.start.begin() + at, 0);
            target.count.insert(target.count.begin() + at, 1);
        }
        return target;
    }
    if (layout.targetKind != TargetKind::ClassIndices || layout.classAxis < 0)
        return input;
    Slab target = input;
    target.start.erase(target.start.begin() + layout.classAxis);
    target.count.erase(target.count.begin() + layout.classAxis);
    while (target.count.size() < layout.targetRoles.size()) {
        target.start.insert(target.start.begin(), 0);
        target.count.insert(target.count.begin(), 1);
    }
    return target;
}

} // namespace shapescope
