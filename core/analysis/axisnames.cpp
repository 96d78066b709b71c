// SPDX-License-Identifier: GPL-3.0-or-later
#include "axisnames.h"

#include <algorithm>

namespace shapescope {

bool isSequenceLayout(const PairLayout& layout)
{
    const std::vector<AxisRole>& roles = layout.inputRoles;
    if (roles.size() != 3 || std::count(roles.begin(), roles.end(), AxisRole::Spatial) != 1)
        return false;
    const bool classesLast = roles.back() == AxisRole::Class;
    const bool timeMajor = roles.front() == AxisRole::Spatial;
    return classesLast && (roles.front() == AxisRole::Batch || timeMajor);
}

QStringList axisLabels(const PairLayout& layout, const std::vector<AxisRole>& roles, size_t rank)
{
    const bool sequence = isSequenceLayout(layout);
    QStringList labels;
    int spatial = 0;
    for (size_t axis = 0; axis < rank; ++axis) {
        if (axis >= roles.size()) {
            labels << QString();
            continue;
        }
        switch (roles[axis]) {
        case AxisRole::Batch:
            labels << QStringLiteral("N");
            break;
        case AxisRole::Class:
            labels << (sequence ? QStringLiteral("V") : QStringLiteral("C"));
            break;
        case AxisRole::Spatial:
            labels << (sequence ? QStringLiteral("T") : QStringLiteral("d%1").arg(++spatial));
            break;
        case AxisRole::Label:
            labels << QStringLiteral("S");
            break;
        }
    }
    return labels;
}

} // namespace shapescope
