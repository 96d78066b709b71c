// SPDX-License-Identifier: GPL-3.0-or-later
#include "broadcastloss.h"

#include "formats/dumpreader.h"

#include <cmath>
#include <vector>

namespace shapescope {

namespace {

constexpr qint64 kMaxBroadcastElements = qint64(1) << 26;

// The same formulas as kernels/elementwise-inl.h, in double.
double elementLoss(const LossSpec& spec, double x, double t)
{
    const double z = std::abs(x - t);
    switch (spec.kind) {
    case LossKind::L1:
        return z;
    case LossKind::SmoothL1:
        return spec.beta == 0.0 ? z : z < spec.beta ? 0.5 * z * z / spec.beta : z - 0.5 * spec.beta;
    case LossKind::Huber:
        return z < spec.delta ? 0.5 * z * z : spec.delta * (z - 0.5 * spec.delta);
    case LossKind::KlDiv:
        return spec.logTarget ? std::exp(t) * (t - x) : (t == 0.0 ? 0.0 : t * std::log(t)) - t * x;
    default:
        return (x - t) * (x - t);
    }
}

Expected<std::vector<double>> readWhole(DumpReader& reader, int index)
{
    const TensorInfo& tensor = reader.tensors()[index];
    std::vector<double> values(static_cast<size_t>(tensor.elementCount()));
    const qint64 rows = tensor.shape.empty() ? 1 : tensor.shape[0];
    if (Status s = reader.readRows(index, 0, rows, DType::Float64, values.data()); !s)
        return s.failure();
    return values;
}

// Element strides of `shape` right-aligned to `broadcast`, 0 along broadcast axes.
std::vector<qint64> broadcastStrides(const Shape& shape, const Shape& broadcast)
{
    std::vector<qint64> strides(broadcast.size(), 0);
    qint64 stride = 1;
    for (size_t k = 0; k < shape.size(); ++k) {
        const size_t axis = shape.size() - 1 - k;
        const size_t out = broadcast.size() - 1 - k;
        strides[out] = shape[axis] == 1 ? 0 : stride;
        stride *= shape[axis];
    }
    return strides;
}

} // namespace

Expected<std::optional<double>> broadcastLossMean(DumpReader& reader, int input, int target,
                                                  const LossSpec& spec, const Shape& broadcast)
{
    const qint64 total = checkedElementCount(broadcast);
    if (total <= 0 || total > kMaxBroadcastElements)
        return std::optional<double>{};
    const Expected<std::vector<double>> x = readWhole(reader, input);
    if (!x)
        return x.failure();
    const Expected<std::vector<double>> t = readWhole(reader, target);
    if (!t)
        return t.failure();
    const std::vector<qint64> xs = broadcastStrides(reader.tensors()[input].shape, broadcast);
    const std::vector<qint64> ts = broadcastStrides(reader.tensors()[target].shape, broadcast);
    std::vector<qint64> index(broadcast.size(), 0);
    qint64 xi = 0, ti = 0;
    double sum = 0.0;
    for (qint64 n = 0; n < total; ++n) {
        sum += elementLoss(spec, (*x)[size_t(xi)], (*t)[size_t(ti)]);
        for (size_t axis = broadcast.size(); axis-- > 0;) { // odometer, last axis fastest
            xi += xs[axis];
            ti += ts[axis];
            if (++index[axis] < broadcast[axis])
                break;
            xi -= xs[axis] * broadcast[axis];
            ti -= ts[axis] * broadcast[axis];
            index[axis] = 0;
        }
    }
    if (spec.kind == LossKind::KlDiv)
        return std::optional<double>{sum / double(broadcast.empty() ? 1 : broadcast[0])};
    return std::optional<double>{sum / double(total)};
}

} // namespace shapescope
