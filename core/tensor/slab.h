// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensorinfo.h"

namespace shapescope {

// A hyperslab: the block of a tensor starting at `start` with `count` elements along each axis
// (HDF5's term). Reads return it in C order. A 0-d tensor's only slab has empty start/count.
struct Slab
{
    Shape start;
    Shape count;

    qint64 elementCount() const { return checkedElementCount(count); }

    // Rows [first, first + rows) along axis 0 of a tensor of `shape`, all of every other axis.
    static Slab rows(const Shape& shape, qint64 first, qint64 rows);
    static Slab whole(const Shape& shape);
};

// Checks that `slab` lies inside `shape`; the error names the axis that does not fit.
Status validateSlab(const Shape& shape, const Slab& slab);

} // namespace shapescope
