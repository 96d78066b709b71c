// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "sampledetail.h"
#include "tensor/tensorinfo.h"

#include <limits>
#include <vector>

namespace shapescope {

// One 2-D slice of a tensor as the Values tab draws it: two axes are the rows and the columns,
// every other is held at an index. What the heatmap shows and what its figures are computed
// from, so the picture and the numbers beside it agree.
struct SliceValues
{
    qint64 rows = 0;
    qint64 columns = 0;
    bool clipped = false;       // the slice is larger than the bound: its top-left part
    std::vector<double> values; // row-major [row][column]
};

// The values of one slice: finite ones summarised, NaN and infinities counted apart.
struct SliceStatistics
{
    qint64 count = 0;
    qint64 nan = 0;
    qint64 inf = 0; // +inf and -inf
    // Over the finite values; NaN when there is none.
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    double mean = std::numeric_limits<double>::quiet_NaN();
};

// A picture of more cells than this has cells smaller than a screen pixel.
inline constexpr qint64 maxSliceSide = 2048;

// Reads the slice of `tensor` whose rows run along `rowAxis` and columns along `columnAxis`
// (-1 for a tensor of rank < 2: one column; both -1 for a 0-d tensor), every other axis at
// `fixed[axis]`; at most maxSliceSide rows and columns. The values come back row-major even
// when the row axis follows the column axis in the tensor.
Expected<SliceValues> readSliceValues(const SlabReader& read, const TensorInfo& tensor, int rowAxis,
                                      int columnAxis, const std::vector<qint64>& fixed);

SliceStatistics sliceStatistics(const std::vector<double>& values);

// The first NaN after position `after` (row-major), wrapping to the start; -1 when none.
// `after` = -1 searches from the start.
qint64 nextNaN(const std::vector<double>& values, qint64 after);

} // namespace shapescope
