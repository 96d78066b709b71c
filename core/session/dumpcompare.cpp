// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumpcompare.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace shapescope {

namespace {

// Values per block read: bounded memory for any tensor size.
constexpr qint64 kBlockElements = qint64(1) << 20;

QString key(const QString& path)
{
    return path.startsWith(QLatin1Char('/')) ? path.mid(1) : path;
}

struct Accumulator
{
    ValueSummary summary;
    double sum = 0;
    qint64 finite = 0;

    void add(double v)
    {
        ++summary.count;
        if (std::isnan(v)) {
            ++summary.nan;
        } else if (std::isinf(v)) {
            ++summary.inf;
        } else {
            summary.min = finite == 0 ? v : std::min(summary.min, v);
            summary.max = finite == 0 ? v : std::max(summary.max, v);
            sum += v;
            ++finite;
        }
    }
    ValueSummary done()
    {
        summary.mean = finite > 0 ? sum / double(finite) : std::nan("");
        return summary;
    }
};

Expected<std::vector<double>> readBlock(Session& session, const QString& file,
                                        const TensorInfo& tensor, qint64 first, qint64 rows)
{
    Expected<SliceResult> slice =
        session.readSlice(SliceRequest{file, tensor.path, Slab::rows(tensor.shape, first, rows)});
    if (!slice)
        return slice.failure();
    return std::move(slice->values);
}

qint64 rowsPerBlock(const TensorInfo& tensor)
{
    return std::max<qint64>(1, kBlockElements / std::max<qint64>(1, tensor.rowElements()));
}

// One side's values, block by block.
Status summarize(Session& session, const QString& file, const TensorInfo& tensor, ValueSummary& out,
                 const ProgressCallback& progress)
{
    if (!tensor.readable()) {
        out.unreadable = tensor.unreadableReason;
        return Status::success();
    }
    Accumulator values;
    for (qint64 first = 0; first < tensor.rowCount(); first += rowsPerBlock(tensor)) {
        const qint64 rows = std::min(rowsPerBlock(tensor), tensor.rowCount() - first);
        Expected<std::vector<double>> block = readBlock(session, file, tensor, first, rows);
        if (!block) {
            if (block.isCancelled())
                return block.failure();
            out.unreadable = block.error();
            return Status::success();
        }
        for (double v : *block)
            values.add(v);
        if (progress && !progress(0.5, QStringLiteral("Comparing %1").arg(tensor.path)))
            return Error::cancelled();
    }
    out = values.done();
    return Status::success();
}

// Both sides of the same shape: summaries and the elements that differ, in one pass.
Status compareSameShape(Session& session, const DumpComparison& files, TensorComparison& row,
                        const ProgressCallback& progress)
{
    const TensorInfo& a = *row.a;
    const TensorInfo& b = *row.b;
    if (!a.readable() || !b.readable()) {
        if (Status s = summarize(session, files.fileA, a, row.valuesA, progress); !s)
            return s;
        return summarize(session, files.fileB, b, row.valuesB, progress);
    }
    Accumulator left, right;
    row.differing = 0;
    for (qint64 first = 0; first < a.rowCount(); first += rowsPerBlock(a)) {
        const qint64 rows = std::min(rowsPerBlock(a), a.rowCount() - first);
        Expected<std::vector<double>> x = readBlock(session, files.fileA, a, first, rows);
        Expected<std::vector<double>> y = readBlock(session, files.fileB, b, first, rows);
        if (x.isCancelled() || y.isCancelled())
            return Error::cancelled();
        if (!x || !y) { // a damaged block: say which side, compare no further
            row.valuesA.unreadable = x ? QString() : x.error();
            row.valuesB.unreadable = y ? QString() : y.error();
            row.differing = -1;
            return Status::success();
        }
        for (size_t i = 0; i < x->size(); ++i) {
            const double u = (*x)[i], v = (*y)[i];
            left.add(u);
            right.add(v);
            if (u == v || (std::isnan(u) && std::isnan(v)))
                continue;
            ++row.differing;
            if (std::isfinite(u) && std::isfinite(v))
                row.maxAbsDifference = std::max(row.maxAbsDifference, std::abs(u - v));
        }
        if (progress && !progress(0.5, QStringLiteral("Comparing %1").arg(row.path)))
            return Error::cancelled();
    }
    row.valuesA = left.done();
    row.valuesB = right.done();
    return Status::success();
}

Status compareValues(Session& session, const DumpComparison& files, TensorComparison& row,
                     const ProgressCallback& progress)
{
    if (row.a && row.b && row.a->shape == row.b->shape)
        return compareSameShape(session, files, row, progress);
    if (row.a) {
        if (Status s = summarize(session, files.fileA, *row.a, row.valuesA, progress); !s)
            return s;
    }
    if (row.b)
        return summarize(session, files.fileB, *row.b, row.valuesB, progress);
    return Status::success();
}

void addPairs(const AnalysisResult& result, bool sideA,
              std::map<std::pair<QString, QString>, PairComparison>& pairs)
{
    for (size_t p = 0; p < result.pairs.size(); ++p) {
        const PairResult& pair = result.pairs[p];
        PairComparison& row = pairs[{key(pair.input), key(pair.target)}];
        row.input = pair.input;
        row.target = pair.target;
        if (pair.hasLosses)
            (sideA ? row.meanA : row.meanB) = pair.summary.mean;
        for (const Diagnostic& d : result.diagnostics) {
            if (d.pair == int(p) && d.severity == Severity::Error)
                (sideA ? row.errorsA : row.errorsB)
                    << (d.hasPytorchError() ? d.pytorchError : d.message);
        }
    }
}

} // namespace

bool TensorComparison::differs() const
{
    if (!a || !b || a->shape != b->shape || a->dtype != b->dtype)
        return true;
    return differing != 0 || valuesA.unreadable != valuesB.unreadable;
}

bool PairComparison::differs() const
{
    const bool sameMean =
        meanA.has_value() == meanB.has_value() &&
        (!meanA || *meanA == *meanB || (std::isnan(*meanA) && std::isnan(*meanB)));
    return !sameMean || errorsA != errorsB;
}

bool DumpComparison::differs() const
{
    return std::any_of(tensors.begin(), tensors.end(), [](auto& t) { return t.differs(); }) ||
           std::any_of(pairs.begin(), pairs.end(), [](auto& p) { return p.differs(); });
}

Expected<DumpComparison> compareDumps(Session& session, const QString& fileA, const QString& fileB,
                                      const AnalysisOptions& options,
                                      const ProgressCallback& progress)
{
    DumpComparison comparison{fileA, fileB, {}, {}};
    std::map<QString, TensorComparison> rows;
    std::map<std::pair<QString, QString>, PairComparison> pairs;
    for (bool sideA : {true, false}) {
        const QString& file = sideA ? fileA : fileB;
        Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{file, options}, progress);
        if (!result)
            return result.failure();
        for (const TensorInfo& tensor : result->dump.tensors) {
            TensorComparison& row = rows[key(tensor.path)];
            row.path = tensor.path;
            (sideA ? row.a : row.b) = tensor;
        }
        addPairs(*result, sideA, pairs);
    }
    for (auto& [path, row] : rows) {
        if (Status s = compareValues(session, comparison, row, progress); !s)
            return s.failure();
        comparison.tensors.push_back(std::move(row));
    }
    for (auto& [paths, pair] : pairs)
        comparison.pairs.push_back(std::move(pair));
    return comparison;
}

} // namespace shapescope
