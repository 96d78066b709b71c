// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/slab.h"
#include "tensor/tensorinfo.h"

#include <functional>
#include <optional>
#include <vector>

namespace shapescope {

// A tensor of a dump seen through PyTorch's view operations (permute, transpose, movedim,
// slicing, indexing, squeeze, unsqueeze, flatten, view/reshape) and the value changes of a
// label fix (`labels - 1`, `labels.long()`), without copying it: a read of the view reads the
// block of the source it needs and gathers from it.
//
// Each axis of the view runs over components; a component is a run of one source axis's
// indices, coordinate = (offset + i) * multiplier. A plain axis has one component, a flattened
// axis several (row-major), an axis unsqueeze added none, and a split axis shares its source axis
// with another view axis (different multipliers). Source axes in no component are fixed at one
// index (selected or squeezed away).
class TensorView
{
public:
    explicit TensorView(const TensorInfo& source);

    Shape shape() const;
    DType dtype() const { return m_dtype; }
    // Whether values differ from the source's (shifted or truncated), not only their place.
    bool changesValues() const { return !m_valueOps.empty(); }

    // Each fails, leaving the view as it was, with torch's words where torch would refuse (an
    // axis out of range, a size that does not fit) and ours where torch would copy and
    // ShapeScope cannot express the result as a view.
    Status permute(const std::vector<qint64>& dims);
    Status transpose(qint64 a, qint64 b);
    Status movedim(qint64 from, qint64 to);
    Status slice(qint64 axis, std::optional<qint64> start, std::optional<qint64> stop);
    Status select(qint64 axis, qint64 index);
    Status squeeze(std::optional<qint64> axis);
    Status unsqueeze(qint64 axis);
    Status flatten(qint64 first, qint64 last);
    Status reshape(std::vector<qint64> sizes);
    Status convert(DType to);
    Status add(qint64 constant);

    // Reads `slab` (inside shape()) of the view in C order as `as` elements into `out`, through
    // `readSource`, which reads a slab of the source tensor.
    using SourceRead = std::function<Status(const Slab&, DType, void*)>;
    Status read(const Slab& slab, DType as, void* out, const SourceRead& readSource) const;

private:
    struct Component
    {
        int source = 0;
        qint64 extent = 1;
        qint64 multiplier = 1;
        qint64 offset = 0;
    };
    using Axis = std::vector<Component>;
    enum class ValueOp
    {
        Add,      // + m_constant (exact in double for labels below 2^53)
        Truncate, // float to integer, toward zero, as torch's .long()
    };

    static qint64 extentOf(const Axis& axis);
    Expected<int> axisIndex(qint64 dim, int rank) const;
    // The source block a slab of the view touches, per source axis [lo, hi].
    void bound(const Slab& slab, Shape& lo, Shape& hi) const;
    // Per view axis, the box offset each index of the slab's range adds.
    std::vector<std::vector<qint64>> contributions(const Slab& slab, const Shape& boxStrides) const;

    Shape m_sourceShape;
    DType m_sourceType;
    Shape m_fixed; // per source axis, the index of an axis in no component
    std::vector<Axis> m_axes;
    DType m_dtype;
    std::vector<ValueOp> m_valueOps;
    std::vector<qint64> m_constants; // per ValueOp::Add, in order
};

} // namespace shapescope
