// SPDX-License-Identifier: GPL-3.0-or-later
#include "slab.h"

namespace shapescope {

Slab Slab::rows(const Shape& shape, qint64 first, qint64 rows)
{
    Slab slab = whole(shape);
    if (!shape.empty()) {
        slab.start[0] = first;
        slab.count[0] = rows;
    }
    return slab;
}

Slab Slab::whole(const Shape& shape)
{
    return Slab{Shape(shape.size(), 0), shape};
}

Status validateSlab(const Shape& shape, const Slab& slab)
{
    if (slab.start.size() != shape.size() || slab.count.size() != shape.size()) {
        return Error{QStringLiteral("slab has %1 axes but the tensor has %2")
                         .arg(slab.count.size())
                         .arg(shape.size())};
    }
    for (size_t axis = 0; axis < shape.size(); ++axis) {
        const qint64 start = slab.start[axis];
        const qint64 count = slab.count[axis];
        if (start < 0 || count < 0 || start > shape[axis] || count > shape[axis] - start) {
            return Error{QStringLiteral("slab [%1, %2) is outside axis %3 of length %4")
                             .arg(start)
                             .arg(start + count)
                             .arg(axis)
                             .arg(shape[axis])};
        }
    }
    return Status::success();
}

} // namespace shapescope
