// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorview.h"

#include "tensor/elementconvert.h"

#include <QStringList>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace shapescope {

namespace {

QString tuple(const std::vector<qint64>& values)
{
    QStringList parts;
    for (qint64 v : values)
        parts << QString::number(v);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

template <int Size>
void gather(const char* box, qint64 base, const std::vector<std::vector<qint64>>& contrib,
            const Shape& count, char* out)
{
    const int rank = int(count.size());
    if (rank == 0) {
        std::memcpy(out, box + base * Size, Size);
        return;
    }
    const std::vector<qint64>& last = contrib.back();
    const qint64 run = count.back();
    const bool contiguous = last.back() - last.front() == run - 1;
    std::vector<qint64> index(size_t(rank), 0);
    for (;;) {
        qint64 offset = base;
        for (int v = 0; v + 1 < rank; ++v)
            offset += contrib[size_t(v)][size_t(index[size_t(v)])];
        if (contiguous) {
            std::memcpy(out, box + (offset + last.front()) * Size, size_t(run) * Size);
            out += run * Size;
        } else {
            for (qint64 j = 0; j < run; ++j, out += Size)
                std::memcpy(out, box + (offset + last[size_t(j)]) * Size, Size);
        }
        int v = rank - 2;
        for (; v >= 0; --v) {
            if (++index[size_t(v)] < count[size_t(v)])
                break;
            index[size_t(v)] = 0;
        }
        if (v < 0)
            return;
    }
}

void gatherElements(int size, const char* box, qint64 base,
                    const std::vector<std::vector<qint64>>& contrib, const Shape& count, char* out)
{
    switch (size) {
    case 1:
        return gather<1>(box, base, contrib, count, out);
    case 2:
        return gather<2>(box, base, contrib, count, out);
    case 4:
        return gather<4>(box, base, contrib, count, out);
    default:
        return gather<8>(box, base, contrib, count, out);
    }
}

} // namespace

TensorView::TensorView(const TensorInfo& source)
    : m_sourceShape(source.shape), m_sourceType(source.dtype), m_fixed(source.shape.size(), 0),
      m_dtype(source.dtype)
{
    for (int s = 0; s < int(source.shape.size()); ++s)
        m_axes.push_back({Component{s, source.shape[size_t(s)], 1, 0}});
}

qint64 TensorView::extentOf(const Axis& axis)
{
    qint64 extent = 1;
    for (const Component& c : axis)
        extent *= c.extent;
    return extent;
}

Shape TensorView::shape() const
{
    Shape shape;
    for (const Axis& axis : m_axes)
        shape.push_back(extentOf(axis));
    return shape;
}

Expected<int> TensorView::axisIndex(qint64 dim, int rank) const
{
    const qint64 low = -std::max(rank, 1), high = std::max(rank, 1) - 1;
    if (dim < low || dim > high)
        return Error{QStringLiteral("Dimension out of range (expected to be in range of [%1, %2], "
                                    "but got %3)")
                         .arg(low)
                         .arg(high)
                         .arg(dim)};
    return int(dim < 0 ? dim + rank : dim);
}

Status TensorView::permute(const std::vector<qint64>& dims)
{
    const int rank = int(m_axes.size());
    if (int(dims.size()) != rank)
        return Error{QStringLiteral("permute: the tensor has %1 dimensions, %2 were given")
                         .arg(rank)
                         .arg(dims.size())};
    std::vector<Axis> axes;
    std::vector<bool> used(size_t(rank), false);
    for (qint64 dim : dims) {
        const Expected<int> a = axisIndex(dim, rank);
        if (!a)
            return a.failure();
        if (used[size_t(*a)])
            return Error{QStringLiteral("permute: repeated dim %1").arg(dim)};
        used[size_t(*a)] = true;
        axes.push_back(m_axes[size_t(*a)]);
    }
    m_axes = std::move(axes);
    return Status::success();
}

Status TensorView::transpose(qint64 a, qint64 b)
{
    const int rank = int(m_axes.size());
    const Expected<int> first = axisIndex(a, rank), second = axisIndex(b, rank);
    if (!first || !second)
        return (first ? second : first).failure();
    std::swap(m_axes[size_t(*first)], m_axes[size_t(*second)]);
    return Status::success();
}

Status TensorView::movedim(qint64 from, qint64 to)
{
    const int rank = int(m_axes.size());
    const Expected<int> source = axisIndex(from, rank), destination = axisIndex(to, rank);
    if (!source || !destination)
        return (source ? destination : source).failure();
    Axis moved = m_axes[size_t(*source)];
    m_axes.erase(m_axes.begin() + *source);
    m_axes.insert(m_axes.begin() + *destination, std::move(moved));
    return Status::success();
}

Status TensorView::slice(qint64 axis, std::optional<qint64> start, std::optional<qint64> stop)
{
    const Expected<int> a = axisIndex(axis, int(m_axes.size()));
    if (!a)
        return a.failure();
    Axis& sliced = m_axes[size_t(*a)];
    const qint64 n = extentOf(sliced);
    // Python's slice rules: negative counts from the end, out-of-range clamps, stop < start is
    // empty.
    auto clamp = [n](qint64 v) { return std::clamp(v < 0 ? v + n : v, qint64(0), n); };
    const qint64 first = clamp(start.value_or(0));
    const qint64 last = std::max(first, clamp(stop.value_or(n)));
    if (first == 0 && last == n)
        return Status::success();
    if (sliced.empty())
        return Error{QStringLiteral("slicing [%1:%2] of an axis of size 1 leaves it empty")
                         .arg(first)
                         .arg(last)};
    // Only the outermost component can be cut, and only at multiples of what lies inside it.
    qint64 inner = 1;
    for (size_t c = 1; c < sliced.size(); ++c)
        inner *= sliced[c].extent;
    if (first % inner != 0 || last % inner != 0)
        return Error{QStringLiteral("ShapeScope cannot slice [%1:%2] of a flattened dimension of "
                                    "size %3 as a view; slice before flatten or view")
                         .arg(first)
                         .arg(last)
                         .arg(n)};
    sliced.front().offset += first / inner;
    sliced.front().extent = (last - first) / inner;
    return Status::success();
}

Status TensorView::select(qint64 axis, qint64 index)
{
    const Expected<int> a = axisIndex(axis, int(m_axes.size()));
    if (!a)
        return a.failure();
    const qint64 n = extentOf(m_axes[size_t(*a)]);
    if (index < -n || index >= n)
        return Error{QStringLiteral("index %1 is out of bounds for dimension %2 with size %3")
                         .arg(index)
                         .arg(*a)
                         .arg(n)};
    const qint64 at = index < 0 ? index + n : index;
    if (Status s = slice(*a, at, at + 1); !s)
        return s;
    return squeeze(*a);
}

Status TensorView::squeeze(std::optional<qint64> axis)
{
    // A squeezed axis's components all have extent 1: each source axis stays at its one index.
    auto drop = [this](size_t a) {
        for (const Component& c : m_axes[a])
            m_fixed[size_t(c.source)] += c.offset * c.multiplier;
        m_axes.erase(m_axes.begin() + qsizetype(a));
    };
    if (!axis) {
        for (size_t a = m_axes.size(); a-- > 0;) {
            if (extentOf(m_axes[a]) == 1)
                drop(a);
        }
        return Status::success();
    }
    const Expected<int> a = axisIndex(*axis, int(m_axes.size()));
    if (!a)
        return a.failure();
    if (!m_axes.empty() && extentOf(m_axes[size_t(*a)]) == 1)
        drop(size_t(*a)); // torch leaves an axis of another size as it is
    return Status::success();
}

Status TensorView::unsqueeze(qint64 axis)
{
    const Expected<int> a = axisIndex(axis, int(m_axes.size()) + 1);
    if (!a)
        return a.failure();
    m_axes.insert(m_axes.begin() + *a, Axis{});
    return Status::success();
}

Status TensorView::flatten(qint64 first, qint64 last)
{
    const int rank = int(m_axes.size());
    if (rank == 0)
        return reshape({1});
    const Expected<int> from = axisIndex(first, rank), to = axisIndex(last, rank);
    if (!from || !to)
        return (from ? to : from).failure();
    if (*from > *to)
        return Error{QStringLiteral("flatten() has invalid args: start_dim cannot come after "
                                    "end_dim")};
    Axis merged;
    for (int a = *from; a <= *to; ++a)
        merged.insert(merged.end(), m_axes[size_t(a)].begin(), m_axes[size_t(a)].end());
    m_axes.erase(m_axes.begin() + *from, m_axes.begin() + *to + 1);
    m_axes.insert(m_axes.begin() + *from, std::move(merged));
    return Status::success();
}

Status TensorView::reshape(std::vector<qint64> sizes)
{
    const Shape current = shape();
    const qint64 total = checkedElementCount(current);
    const auto inferred = std::count(sizes.begin(), sizes.end(), qint64(-1));
    if (inferred > 1)
        return Error{QStringLiteral("only one dimension can be inferred")};
    qint64 known = 1;
    for (qint64 s : sizes)
        known *= s == -1 ? 1 : s;
    const QString invalid =
        QStringLiteral("shape '%1' is invalid for input of size %2").arg(tuple(sizes)).arg(total);
    if (inferred == 1) {
        if (known == 0 || total % known != 0)
            return Error{invalid};
        *std::find(sizes.begin(), sizes.end(), qint64(-1)) = total / known;
    } else if (known != total) {
        return Error{invalid};
    }
    // Row-major over the view is row-major over its components in order: deal them out to the
    // new axes, cutting a component in two where a new axis ends inside it.
    std::vector<Component> pending;
    for (const Axis& axis : m_axes)
        pending.insert(pending.end(), axis.begin(), axis.end());
    std::reverse(pending.begin(), pending.end()); // back() is the next component
    std::vector<Axis> axes;
    for (qint64 size : sizes) {
        Axis axis;
        qint64 have = 1;
        while (have < size && !pending.empty()) {
            Component& next = pending.back();
            const qint64 need = size / have;
            if (size % have != 0 || (next.extent > need && next.extent % need != 0))
                return Error{QStringLiteral("ShapeScope cannot apply view/reshape %1 to shape %2 "
                                            "without a copy; reshape in another order")
                                 .arg(tuple(sizes), tuple(current))};
            if (next.extent <= need) {
                axis.push_back(next);
                have *= next.extent;
                pending.pop_back();
            } else { // the outer `need` of it here, the rest stays for the next axis
                const qint64 rest = next.extent / need;
                axis.push_back(Component{next.source, need, next.multiplier * rest, 0});
                next.extent = rest;
                have *= need;
            }
        }
        if (have != size)
            return Error{invalid};
        axes.push_back(std::move(axis));
    }
    for (const Component& left : pending) // extent-1 components after the last axis
        m_fixed[size_t(left.source)] += left.offset * left.multiplier;
    m_axes = std::move(axes);
    return Status::success();
}

Status TensorView::convert(DType to)
{
    if (isFloating(m_dtype) && isInteger(to))
        m_valueOps.push_back(ValueOp::Truncate);
    m_dtype = to;
    return Status::success();
}

Status TensorView::add(qint64 constant)
{
    if (isUnsignedInteger(m_dtype) || m_dtype == DType::Bool)
        return Error{QStringLiteral("arithmetic on a %1 tensor wraps around or fails in torch; "
                                    "call .long() first")
                         .arg(dtypeName(m_dtype))};
    m_valueOps.push_back(ValueOp::Add);
    m_constants.push_back(constant);
    return Status::success();
}

void TensorView::bound(const Slab& slab, Shape& lo, Shape& hi) const
{
    lo = m_fixed;
    hi = m_fixed;
    for (size_t v = 0; v < m_axes.size(); ++v) {
        const Axis& axis = m_axes[v];
        qint64 first = slab.start[v], last = slab.start[v] + slab.count[v] - 1;
        qint64 inner = extentOf(axis);
        bool whole = false; // an outer component spans several indices: inner ones run fully
        for (const Component& c : axis) {
            inner /= c.extent;
            const qint64 from = whole ? 0 : first / inner, to = whole ? c.extent - 1 : last / inner;
            lo[size_t(c.source)] += (c.offset + from) * c.multiplier;
            hi[size_t(c.source)] += (c.offset + to) * c.multiplier;
            whole = whole || from != to;
            first %= inner;
            last %= inner;
        }
    }
}

std::vector<std::vector<qint64>> TensorView::contributions(const Slab& slab,
                                                           const Shape& boxStrides) const
{
    std::vector<std::vector<qint64>> contrib(m_axes.size());
    for (size_t v = 0; v < m_axes.size(); ++v) {
        const Axis& axis = m_axes[v];
        contrib[v].resize(size_t(slab.count[v]));
        for (qint64 i = 0; i < slab.count[v]; ++i) {
            qint64 index = slab.start[v] + i, inner = extentOf(axis), offset = 0;
            for (const Component& c : axis) {
                inner /= c.extent;
                offset += (c.offset + index / inner) * c.multiplier * boxStrides[size_t(c.source)];
                index %= inner;
            }
            contrib[v][size_t(i)] = offset;
        }
    }
    return contrib;
}

Status TensorView::read(const Slab& slab, DType as, void* out, const SourceRead& readSource) const
{
    if (slab.elementCount() == 0)
        return Status::success();
    Shape lo, hi;
    bound(slab, lo, hi);
    Slab box{lo, Shape(lo.size())};
    for (size_t s = 0; s < lo.size(); ++s)
        box.count[s] = hi[s] - lo[s] + 1;
    Shape strides(lo.size(), 1);
    for (size_t s = lo.size(); s-- > 1;)
        strides[s - 1] = strides[s] * box.count[s];
    // The box's origin is lo: a coordinate's offset is sum((coord - lo) * stride).
    qint64 base = 0;
    for (size_t s = 0; s < lo.size(); ++s)
        base += (m_fixed[s] - lo[s]) * strides[s];
    const std::vector<std::vector<qint64>> contrib = contributions(slab, strides);

    const DType readAs = changesValues() ? DType::Float64 : as;
    const int size = dtypeSize(readAs);
    std::vector<char> source(size_t(box.elementCount() * size));
    if (Status s = readSource(box, readAs, source.data()); !s)
        return s;
    if (!changesValues()) {
        gatherElements(size, source.data(), base, contrib, slab.count, static_cast<char*>(out));
        return Status::success();
    }
    std::vector<double> values(size_t(slab.elementCount()));
    gatherElements(size, source.data(), base, contrib, slab.count,
                   reinterpret_cast<char*>(values.data()));
    size_t constant = 0;
    for (ValueOp op : m_valueOps) {
        if (op == ValueOp::Truncate) {
            for (double& v : values)
                v = std::trunc(v);
        } else {
            const double k = double(m_constants[constant++]);
            for (double& v : values)
                v += k;
        }
    }
    convertElements(values.data(), DType::Float64, nativeByteOrder(), out, as,
                    qint64(values.size()));
    return Status::success();
}

} // namespace shapescope
