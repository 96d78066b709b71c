// SPDX-License-Identifier: GPL-3.0-or-later
#include "elementlosses.h"

#include "analysis/analyzer.h"
#include "analysis/elementlosses.h"
#include "analysis/lossengine.h"
#include "analysis/workerpool.h"
#include "common/atomicwrite.h"
#include "formats/dumpreader.h"
#include "losscsv.h"

#include <QtEndian>
#include <algorithm>
#include <vector>

namespace shapescope {

namespace {

QByteArray csvHeader(size_t rank)
{
    QByteArray header;
    for (size_t d = 0; d < rank; ++d)
        header += d == 0 ? QByteArray("sample,") : "i" + QByteArray::number(qint64(d)) + ',';
    return header + "loss\n";
}

// The rows of one region: its elements' output indices and losses.
Status writeCsvRegion(QIODevice& out, const Slab& region, const double* losses)
{
    const size_t rank = region.start.size();
    const qint64 total = region.elementCount();
    Shape index(rank, 0);
    QByteArray text;
    for (qint64 e = 0; e < total; ++e) {
        for (size_t d = 0; d < rank; ++d) {
            text += QByteArray::number(region.start[d] + index[d]);
            text += ',';
        }
        text += formatDouble(losses[e]);
        text += '\n';
        for (size_t d = rank; d-- > 0;) {
            if (++index[d] < region.count[d])
                break;
            index[d] = 0;
        }
        // Bounded text: a tile's rows are written in pieces.
        if (text.size() > (1 << 20) || e + 1 == total) {
            if (out.write(text) != text.size())
                return Error{out.errorString()};
            text.clear();
        }
    }
    return Status::success();
}

template <typename T>
Status writeNpyRegion(QIODevice& out, qint64 dataStart, const Shape& shape, const Slab& region,
                      const double* losses)
{
    std::vector<T> values;
    return forEachOutputRun(
        shape, region, [&](qint64 offset, qint64 from, qint64 length) -> Status {
            values.resize(size_t(length));
            for (qint64 e = 0; e < length; ++e)
                values[size_t(e)] = qToLittleEndian(T(losses[from + e]));
            const qint64 bytes = length * qint64(sizeof(T));
            if (!out.seek(dataStart + offset * qint64(sizeof(T))) ||
                out.write(reinterpret_cast<const char*>(values.data()), bytes) != bytes)
                return Error{out.errorString()};
            return Status::success();
        });
}

} // namespace

QByteArray npyHeader(const char* descr, const Shape& shape)
{
    QByteArray dims;
    for (qint64 d : shape)
        dims += QByteArray::number(d) + ", ";
    dims.chop(shape.size() == 1 ? 1 : qsizetype(std::min<size_t>(shape.size(), 2))); // "(5,)"
    QByteArray dict =
        "{'descr': '" + QByteArray(descr) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Magic (6) + version (2) + length (2) + dict + padding + '\n', a multiple of 64 bytes.
    const qsizetype unpadded = 10 + dict.size() + 1;
    dict += QByteArray((64 - unpadded % 64) % 64, ' ') + '\n';
    QByteArray header("\x93NUMPY\x01\x00", 8);
    header += char(dict.size() & 0xff);
    header += char((dict.size() >> 8) & 0xff);
    return header + dict;
}

Status saveElementLosses(DumpReader& reader, const AnalysisResult& result, int pair,
                         const QString& path, const QString& protectedPath, int threads,
                         const std::function<bool(qint64)>& progress)
{
    if (pair < 0 || size_t(pair) >= result.pairs.size())
        return Error{QStringLiteral("there is no pair %1").arg(pair)};
    const PairResult& chosen = result.pairs[size_t(pair)];
    const Expected<std::vector<double>> weight = resolveWeight(reader, result.spec);
    if (!weight)
        return weight.failure();
    const PairJob job{chosen.inputTensor, chosen.targetTensor, chosen.layout, result.spec, *weight};
    const TensorInfo& input = reader.tensors()[job.input];
    const Expected<Shape> shape = LossEngine::elementShape(input, job);
    if (!shape)
        return Error{QStringLiteral("%1: %2").arg(chosen.input, shape.error())};
    WorkerPool pool(threads);
    LossEngine engine(reader, pool);
    const bool npy = path.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive);
    const bool doubles = input.dtype == DType::Float64;
    return writeAtomically(path, protectedPath, [&](QIODevice& out) -> Status {
        const QByteArray header =
            npy ? npyHeader(doubles ? "<f8" : "<f4", *shape) : csvHeader(shape->size());
        if (out.write(header) != header.size())
            return Error{out.errorString()};
        const qint64 dataStart = header.size();
        if (npy) {
            // The whole array's extent first, so each region can be written at its offset.
            const qint64 bytes = checkedElementCount(*shape) * (doubles ? 8 : 4);
            if (bytes > 0 && (!out.seek(dataStart + bytes - 1) || out.write("", 1) != 1))
                return Error{out.errorString()};
        }
        return engine.computeElements(
            job,
            [&](const Slab& region, const double* losses) -> Status {
                if (!npy)
                    return writeCsvRegion(out, region, losses);
                return doubles ? writeNpyRegion<double>(out, dataStart, *shape, region, losses)
                               : writeNpyRegion<float>(out, dataStart, *shape, region, losses);
            },
            progress);
    });
}

} // namespace shapescope
