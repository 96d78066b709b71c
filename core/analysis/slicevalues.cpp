// SPDX-License-Identifier: GPL-3.0-or-later
#include "slicevalues.h"

#include <algorithm>
#include <cmath>

namespace shapescope {

Expected<SliceValues> readSliceValues(const SlabReader& read, const TensorInfo& tensor, int rowAxis,
                                      int columnAxis, const std::vector<qint64>& fixed)
{
    const Shape& shape = tensor.shape;
    const int rank = static_cast<int>(shape.size());
    if (rowAxis >= rank || columnAxis >= rank || (rowAxis == columnAxis && rowAxis >= 0))
        return Error{QStringLiteral("%1: no slice with rows on axis %2 and columns on axis %3")
                         .arg(tensor.path)
                         .arg(rowAxis)
                         .arg(columnAxis)};
    SliceValues slice;
    const qint64 rows = rowAxis >= 0 ? shape[size_t(rowAxis)] : 1;
    const qint64 columns = columnAxis >= 0 ? shape[size_t(columnAxis)] : 1;
    slice.rows = std::min(rows, maxSliceSide);
    slice.columns = std::min(columns, maxSliceSide);
    slice.clipped = slice.rows < rows || slice.columns < columns;
    Slab slab;
    for (int axis = 0; axis < rank; ++axis) {
        const auto a = size_t(axis);
        if (axis == rowAxis || axis == columnAxis) {
            slab.start.push_back(0);
            slab.count.push_back(axis == rowAxis ? slice.rows : slice.columns);
        } else {
            const qint64 index = a < fixed.size() ? fixed[a] : 0;
            if (index < 0 || index >= shape[a])
                return Error{QStringLiteral("%1: index %2 is outside axis %3 of size %4")
                                 .arg(tensor.path)
                                 .arg(index)
                                 .arg(axis)
                                 .arg(shape[a])};
            slab.start.push_back(index);
            slab.count.push_back(1);
        }
    }
    Expected<std::vector<double>> values = read(tensor.path, slab, nullptr);
    if (!values)
        return Error{values.error()};
    const auto cells = size_t(slice.rows * slice.columns);
    if (values->size() != cells)
        return Error{QStringLiteral("%1: read %2 values for a slice of %3")
                         .arg(tensor.path)
                         .arg(values->size())
                         .arg(cells)};
    if (columnAxis < 0 || rowAxis < columnAxis) {
        slice.values = std::move(*values);
        return slice;
    }
    // The slab is [column][row] in C order.
    slice.values.resize(cells);
    for (qint64 r = 0; r < slice.rows; ++r)
        for (qint64 c = 0; c < slice.columns; ++c)
            slice.values[size_t(r * slice.columns + c)] = (*values)[size_t(c * slice.rows + r)];
    return slice;
}

SliceStatistics sliceStatistics(const std::vector<double>& values)
{
    SliceStatistics s;
    s.count = static_cast<qint64>(values.size());
    double sum = 0;
    qint64 finite = 0;
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (double v : values) {
        if (std::isnan(v)) {
            ++s.nan;
        } else if (std::isinf(v)) {
            ++s.inf;
        } else {
            sum += v;
            ++finite;
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    if (finite > 0) {
        s.min = low;
        s.max = high;
        s.mean = sum / static_cast<double>(finite);
    }
    return s;
}

qint64 nextNaN(const std::vector<double>& values, qint64 after)
{
    const auto n = static_cast<qint64>(values.size());
    for (qint64 k = 1; k <= n; ++k) {
        const qint64 i = ((after + k) % n + n) % n;
        if (std::isnan(values[size_t(i)]))
            return i;
    }
    return -1;
}

} // namespace shapescope
