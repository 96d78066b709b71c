// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctcanalysis.h"

#include "analyzer.h"
#include "ctcchecks.h"
#include "ctckernel.h"
#include "ctctensors.h"
#include "formats/dumpreader.h"
#include "lossstatistics.h"
#include "pairlosses.h"
#include "workerpool.h"

#include <cmath>
#include <limits>

namespace shapescope {

namespace {

constexpr qint64 kChunkBytes = qint64(16) << 20;
constexpr qint64 kProbeRows = 64;

Expected<std::vector<qint64>> readIntegers(DumpReader& reader, int index)
{
    const TensorInfo& tensor = reader.tensors()[size_t(index)];
    std::vector<qint64> values(size_t(tensor.elementCount()));
    if (tensor.shape.empty() || values.empty())
        return values;
    if (!isFloating(tensor.dtype)) {
        if (Status s = reader.readRows(index, 0, tensor.shape[0], DType::Int64, values.data()); !s)
            return s.failure();
        return values;
    }
    // torch casts float targets to int64 (truncating); so does ShapeScope.
    std::vector<double> floats(values.size());
    if (Status s = reader.readRows(index, 0, tensor.shape[0], DType::Float64, floats.data()); !s)
        return s.failure();
    for (size_t i = 0; i < floats.size(); ++i)
        values[i] = qint64(floats[i]);
    return values;
}

// Tallies how the first rows along the class axis look: log_softmax output has
// logsumexp == 0, a softmax's rows lie in [0, 1] and sum to 1.
struct RowProbe
{
    qint64 rows = 0;
    qint64 logSoftmax = 0;
    qint64 probabilities = 0;

    template <typename T> void add(const T* row, qint64 classes)
    {
        double top = -std::numeric_limits<double>::infinity();
        double sum = 0;
        bool unit = true;
        for (qint64 c = 0; c < classes; ++c) {
            top = std::max(top, double(row[c]));
            sum += double(row[c]);
            unit = unit && row[c] >= 0 && row[c] <= 1;
        }
        double exps = 0;
        for (qint64 c = 0; c < classes; ++c)
            exps += std::exp(double(row[c]) - top);
        ++rows;
        logSoftmax += std::abs(top + std::log(exps)) < 1e-3 ? 1 : 0;
        probabilities += unit && std::abs(sum - 1) < 1e-3 ? 1 : 0;
    }
};

// Reads log_probs chunk by chunk along axis 0 and gathers each sample's columns.
template <typename T>
Status gather(DumpReader& reader, WorkerPool& pool, int index, const CtcView& view,
              std::vector<CtcSample>& samples, RowProbe& probe,
              const std::function<bool(qint64)>& progress)
{
    const TensorInfo& tensor = reader.tensors()[size_t(index)];
    const qint64 rows = tensor.shape[0];
    const qint64 rowElements = tensor.shape[1] * tensor.shape[2];
    const qint64 step = std::max<qint64>(1, kChunkBytes / qint64(sizeof(T)) / rowElements);
    const DType as = sizeof(T) == 8 ? DType::Float64 : DType::Float32;
    std::vector<T> chunk;
    for (qint64 first = 0; first < rows; first += step) {
        const qint64 count = std::min(step, rows - first);
        chunk.resize(size_t(count * rowElements));
        if (Status s = reader.readRows(index, first, count, as, chunk.data()); !s)
            return s;
        // The probe: the rows of step 0 (time first) or of sample 0 (batch first).
        const qint64 probeRows = first == 0 ? std::min(kProbeRows, tensor.shape[1]) : 0;
        for (qint64 i = 0; i < probeRows; ++i)
            probe.add(chunk.data() + i * view.classes, view.classes);
        // Each sample's columns are scattered over the rows: threads overlap the cache misses.
        pool.forEach(qint64(samples.size()), [&](qint64 b) {
            gatherCtcColumns(chunk.data(), first, count, tensor.shape[1], view.classes,
                             view.batchFirst, samples, b);
        });
        if (progress && !progress((first + count) * rowElements))
            return Error::cancelled();
    }
    return Status::success();
}

std::span<const qint64> targetOf(const std::vector<qint64>& targets, const CtcInputs& in,
                                 const CtcView& view, qint64 b, qint64& offset)
{
    const qint64 length = in.targetLengths[size_t(b)];
    const qint64 start = view.concatenated ? offset : b * in.targets.shape[1];
    offset += length;
    return std::span<const qint64>(targets).subspan(size_t(start),
                                                    size_t(std::max<qint64>(0, length)));
}

PairLayout ctcLayout(const CtcInputs& in, const CtcView& view)
{
    PairLayout layout;
    layout.inputRoles = view.batchFirst
                            ? std::vector{AxisRole::Batch, AxisRole::Spatial, AxisRole::Class}
                            : std::vector{AxisRole::Spatial, AxisRole::Batch, AxisRole::Class};
    layout.targetRoles = view.concatenated ? std::vector{AxisRole::Label}
                                           : std::vector{AxisRole::Batch, AxisRole::Label};
    layout.targetKind = TargetKind::ClassIndices;
    layout.classAxis = 2;
    layout.batchSize = view.batch;
    layout.numClasses = view.classes;
    layout.outerPerSample = view.steps;
    layout.computable = true;
    if (view.batchFirst) {
        layout.interpretation =
            QStringLiteral("%1 read as (N, T, C): %1.permute(1, 0, 2)").arg(in.logProbs.name);
    }
    return layout;
}

} // namespace

Status analyzeCtcPair(DumpReader& reader, WorkerPool& pool, const AnalysisOptions& options,
                      const TensorPair& pair, int pairIndex,
                      const std::function<bool(qint64)>& progress, AnalysisResult& result)
{
    const std::vector<TensorInfo>& tensors = reader.tensors();
    const CtcLengthTensors found = findCtcLengths(tensors, pair.input, options.spec);
    PairResult pairResult;
    pairResult.inputTensor = pair.input;
    pairResult.targetTensor = pair.target;
    pairResult.input = tensors[size_t(pair.input)].path;
    pairResult.target = tensors[size_t(pair.target)].path;
    pairResult.group = pair.group;
    pairResult.run = pair.run;
    pairResult.step = pair.step;
    CtcInputs in{tensors[size_t(pair.input)],
                 tensors[size_t(pair.target)],
                 found.input >= 0 ? &tensors[size_t(found.input)] : nullptr,
                 found.target >= 0 ? &tensors[size_t(found.target)] : nullptr,
                 {},
                 {},
                 options.spec};
    for (auto [index, values] :
         {std::pair{found.input, &in.inputLengths}, std::pair{found.target, &in.targetLengths}}) {
        if (index < 0)
            continue;
        Expected<std::vector<qint64>> read = readIntegers(reader, index);
        if (!read)
            return read.failure();
        *values = std::move(*read);
    }
    CtcCheck check = checkCtc(in, result.torch.version);
    auto report = [&](Diagnostic d) {
        d.pair = pairIndex;
        result.diagnostics.push_back(std::move(d));
    };
    for (Diagnostic& d : check.diagnostics)
        report(std::move(d));
    if (!check.view || !isFloating(in.logProbs.dtype) || !options.computeLosses) {
        if (!check.view)
            pairResult.lossError =
                QStringLiteral("PyTorch would raise for this pair; see its diagnostics");
        result.pairs.push_back(std::move(pairResult));
        return Status::success();
    }
    const CtcView view = *check.view;
    pairResult.layout = ctcLayout(in, view);

    Expected<std::vector<qint64>> targets = readIntegers(reader, pair.target);
    if (!targets)
        return targets.failure();
    std::vector<CtcSample> samples;
    std::vector<qint64> impossible;
    qint64 impossibleCount = 0;
    qint64 offset = 0;
    for (qint64 b = 0; b < view.batch; ++b) {
        const std::span<const qint64> target = targetOf(*targets, in, view, b, offset);
        const qint64 inputLength = std::max<qint64>(0, in.inputLengths[size_t(b)]);
        samples.push_back(makeCtcSample(target, options.spec.blank, inputLength));
        for (qint64 label : samples.back().labels) {
            if (label < 0 || label >= view.classes) // torch reads out of bounds here
                return Error{QStringLiteral("%1: sample %2 of %3 has label %4, outside [0, %5)")
                                 .arg(reader.filePath())
                                 .arg(b)
                                 .arg(in.targets.path)
                                 .arg(label)
                                 .arg(view.classes)};
        }
        samples.back().logProbs.resize(size_t(inputLength) * samples.back().labels.size());
        if (ctcMinimumInputLength(target) > inputLength && ++impossibleCount <= 64)
            impossible.push_back(b);
    }
    RowProbe probe;
    const int index = pair.input;
    const Status read = in.logProbs.dtype == DType::Float64
                            ? gather<double>(reader, pool, index, view, samples, probe, progress)
                            : gather<float>(reader, pool, index, view, samples, probe, progress);
    if (!read)
        return read;

    PairLosses losses;
    losses.samples.loss.assign(size_t(view.batch), 0.0);
    losses.samples.ignored.assign(size_t(view.batch), 0);
    pool.forEach(view.batch, [&](qint64 b) {
        const double loss = ctcNegLogLikelihood(samples[size_t(b)]);
        losses.samples.loss[size_t(b)] = options.spec.zeroInfinity && std::isinf(loss) ? 0.0 : loss;
    });
    // torch's reduction='mean' divides each loss by its target length (at least 1) first.
    double meanSum = 0;
    for (qint64 b = 0; b < view.batch; ++b) {
        const double loss = losses.samples.loss[size_t(b)];
        losses.lossSum += loss;
        meanSum += loss / double(std::max<qint64>(1, in.targetLengths[size_t(b)]));
    }
    losses.weightSum = double(view.batch);
    losses.positions = view.batch;
    pairResult.hasLosses = true;
    pairResult.summary = summarizeLosses(losses, pairResult.layout, LossKind::Ctc);
    pairResult.summary.mean =
        view.batch > 0 ? meanSum / double(view.batch) : std::numeric_limits<double>::quiet_NaN();
    pairResult.samples = std::move(losses.samples);
    if (impossibleCount > 0)
        report(ctcTargetTooLong(in, view, impossible, impossibleCount));
    if (probe.rows > 0 && probe.logSoftmax < probe.rows)
        report(ctcNotLogSoftmax(in, probe.probabilities == probe.rows));
    result.pairs.push_back(std::move(pairResult));
    return Status::success();
}

} // namespace shapescope
