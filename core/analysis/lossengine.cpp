// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossengine.h"

#include "common/progress.h"
#include "formats/dumpreader.h"
#include "inputprobe.h"
#include "losskernels.h"
#include "pairaccumulator.h"
#include "workerpool.h"

#include <QScopeGuard>
#include <QtConcurrent/QtConcurrentRun>
#include <type_traits>

namespace shapescope {

namespace {

constexpr qint64 kProbePositions = 4096;

// The buffers of one chunk: every tile's input and target, back to back. The input is either
// read into `input` or, when the chunk is whole rows the file holds as they are, mapped.
template <typename T> struct ChunkBuffers
{
    std::vector<T> input;
    std::unique_ptr<MappedRows> mapped;
    std::vector<qint64> indexTargets; // class-index targets
    std::vector<T> valueTargets;      // probability / multi-label targets
    std::vector<qint64> inputOffsets;
    std::vector<qint64> targetOffsets;
    std::vector<qint64> positionOffsets;
};

// The rows [first, first + count) of the input when the chunk's tiles are consecutive whole-row
// slabs of it (class axis and everything after in full); count 0 otherwise.
std::pair<qint64, qint64> chunkRows(const std::vector<Tile>& tiles, const TileChunk& chunk,
                                    const Shape& shape)
{
    qint64 first = -1, next = -1;
    for (size_t t = chunk.firstTile; t < chunk.firstTile + chunk.tileCount; ++t) {
        const Slab& slab = tiles[t].input;
        if (slab.start.size() != shape.size() || shape.empty())
            return {0, 0};
        for (size_t d = 1; d < shape.size(); ++d) {
            if (slab.start[d] != 0 || slab.count[d] != shape[d])
                return {0, 0};
        }
        if (first < 0)
            first = next = slab.start[0];
        if (slab.start[0] != next)
            return {0, 0};
        next += slab.count[0];
    }
    return first < 0 ? std::pair<qint64, qint64>{0, 0} : std::pair{first, next - first};
}

// One tile's losses with the kernel for the pair's target kind.
template <typename T>
void computeTile(const PairJob& job, const ClassBlock<T>& block, const ChunkBuffers<T>& buffers,
                 qint64 targetOffset, const PositionOutputs& out, bool perElement)
{
    const double* weight = job.weight.empty() ? nullptr : job.weight.data();
    switch (job.layout.targetKind) {
    case TargetKind::ClassIndices: {
        ClassIndexOptions options;
        options.weight = weight;
        options.ignoreIndex = job.spec.ignoreIndex;
        options.inputIsLogProbabilities = job.spec.kind == LossKind::Nll;
        options.labelSmoothing =
            job.spec.kind == LossKind::CrossEntropy ? job.spec.labelSmoothing : 0.0;
        classIndexLoss(block, buffers.indexTargets.data() + targetOffset, options, out);
        return;
    }
    case TargetKind::ClassProbabilities:
        probabilityLoss(block, buffers.valueTargets.data() + targetOffset,
                        ProbabilityOptions{weight, job.spec.labelSmoothing}, out);
        return;
    case TargetKind::MultiLabel: {
        if (perElement) {
            // Every element its own position; a class weight multiplies afterwards, as torch
            // multiplies the float loss by the float weight (exact in double, rounded once
            // when written as float32).
            const ClassBlock<T> flat{block.input, block.outer * block.classes * block.inner, 1, 1};
            const T* targets = buffers.valueTargets.data() + targetOffset;
            if (isElementwise(job.spec.kind))
                elementwiseLoss(flat, targets,
                                ElementwiseOptions{job.spec.kind, job.spec.beta, job.spec.delta,
                                                   job.spec.logTarget, nullptr},
                                out);
            else
                bceWithLogitsLoss(flat, targets, BceOptions{}, out);
            if (weight) {
                const qint64 n = flat.outer;
                for (qint64 e = 0; e < n; ++e)
                    out.loss[e] *= double(T(weight[(e / block.inner) % block.classes]));
            }
            return;
        }
        if (isElementwise(job.spec.kind)) {
            const ElementwiseOptions options{job.spec.kind, job.spec.beta, job.spec.delta,
                                             job.spec.logTarget, weight};
            elementwiseLoss(block, buffers.valueTargets.data() + targetOffset, options, out);
            return;
        }
        const double* posWeight = job.spec.posWeight.empty() ? nullptr : job.spec.posWeight.data();
        bceWithLogitsLoss(block, buffers.valueTargets.data() + targetOffset,
                          BceOptions{weight, posWeight}, out);
        return;
    }
    }
}

} // namespace

LossEngine::LossEngine(DumpReader& reader, WorkerPool& pool, TileBudget budget)
    : m_reader(reader), m_pool(pool), m_budget(budget)
{}

qint64 LossEngine::workFor(const DumpReader& reader, const PairJob& job)
{
    return reader.tensors()[job.input].elementCount();
}

Expected<PairLosses> LossEngine::compute(const PairJob& job,
                                         const std::function<bool(qint64)>& progress)
{
    if (m_reader.tensors()[job.input].dtype == DType::Float64)
        return computeTyped<double>(job, progress, nullptr);
    return computeTyped<float>(job, progress, nullptr);
}

Expected<Shape> LossEngine::elementShape(const TensorInfo& input, const PairJob& job)
{
    const PairLayout& layout = job.layout;
    if (!layout.computable)
        return Error{QStringLiteral("PyTorch would raise for this pair")};
    if (layout.targetKind == TargetKind::MultiLabel) {
        if (layout.squeezedAxis >= 0)
            return Error{QStringLiteral("the target's shape differs from the input's: torch "
                                        "broadcasts them, and its per-element output is not the "
                                        "loss meant; give both the same shape")};
        if (!job.spec.posWeight.empty())
            return Error{QStringLiteral("per-element bce losses with pos_weight are not "
                                        "supported")};
        return input.shape;
    }
    Shape shape = input.shape;
    if (layout.classAxis >= 0 && size_t(layout.classAxis) < shape.size())
        shape.erase(shape.begin() + layout.classAxis);
    return shape;
}

Status LossEngine::computeElements(const PairJob& job, const ElementSink& sink,
                                   const std::function<bool(qint64)>& progress)
{
    if (const Expected<Shape> shape = elementShape(m_reader.tensors()[job.input], job); !shape)
        return shape.failure();
    const Expected<PairLosses> done = m_reader.tensors()[job.input].dtype == DType::Float64
                                          ? computeTyped<double>(job, progress, &sink)
                                          : computeTyped<float>(job, progress, &sink);
    return done ? Status::success() : done.failure();
}

Status LossEngine::computePredictions(const PairJob& job, const PredictionSink& sink,
                                      const std::function<bool(qint64)>& progress)
{
    if (!job.layout.computable)
        return Error{QStringLiteral("PyTorch would raise for this pair")};
    if (job.layout.targetKind != TargetKind::ClassIndices)
        return Error{QStringLiteral("predictions are counted against class-index targets only")};
    const Expected<PairLosses> done = m_reader.tensors()[job.input].dtype == DType::Float64
                                          ? computeTyped<double>(job, progress, nullptr, &sink)
                                          : computeTyped<float>(job, progress, nullptr, &sink);
    return done ? Status::success() : done.failure();
}

template <typename T>
Expected<PairLosses>
LossEngine::computeTyped(const PairJob& job, const std::function<bool(qint64)>& progress,
                         const ElementSink* sink, const PredictionSink* predictions)
{
    const PairLayout& layout = job.layout;
    const TensorInfo& input = m_reader.tensors()[job.input];
    TilePlan plan = planTiles(input.shape, input.chunkShape, layout, sizeof(T), m_budget);
    if (job.sampleCount >= 0)
        plan = restrictToSamples(plan, job.firstSample, job.sampleCount, sizeof(T), m_budget);
    const bool classIndices = layout.targetKind == TargetKind::ClassIndices;
    const DType inputType = std::is_same_v<T, float> ? DType::Float32 : DType::Float64;
    const DType targetType = classIndices ? DType::Int64 : inputType;

    auto readChunk = [&](const TileChunk& chunk, ChunkBuffers<T>& buffers) -> Status {
        buffers.mapped.reset();
        if (const auto [first, rows] = chunkRows(plan.tiles, chunk, input.shape); rows > 0)
            buffers.mapped = m_reader.mapRows(job.input, first, rows, inputType);
        if (buffers.mapped)
            buffers.mapped->prefault();
        else
            buffers.input.resize(static_cast<size_t>(chunk.inputElements));
        (classIndices ? buffers.indexTargets.resize(static_cast<size_t>(chunk.targetElements))
                      : buffers.valueTargets.resize(static_cast<size_t>(chunk.targetElements)));
        buffers.inputOffsets.clear();
        buffers.targetOffsets.clear();
        buffers.positionOffsets.clear();
        qint64 inputOffset = 0, targetOffset = 0, positionOffset = 0;
        for (size_t t = chunk.firstTile; t < chunk.firstTile + chunk.tileCount; ++t) {
            const Tile& tile = plan.tiles[t];
            buffers.inputOffsets.push_back(inputOffset);
            buffers.targetOffsets.push_back(targetOffset);
            buffers.positionOffsets.push_back(positionOffset);
            if (!buffers.mapped) {
                if (Status s = m_reader.readSlab(job.input, tile.input, inputType,
                                                 buffers.input.data() + inputOffset);
                    !s)
                    return s;
            }
            void* targetOut = classIndices
                                  ? static_cast<void*>(buffers.indexTargets.data() + targetOffset)
                                  : static_cast<void*>(buffers.valueTargets.data() + targetOffset);
            if (Status s = m_reader.readSlab(job.target, tile.target, targetType, targetOut); !s)
                return s;
            inputOffset += tile.inputElements;
            targetOffset += tile.targetElements;
            positionOffset += tile.positions();
        }
        buffers.positionOffsets.push_back(positionOffset);
        return Status::success();
    };

    PairAccumulator accumulator(layout, job.spec);
    ChunkBuffers<T> buffers[2];
    std::vector<double> loss, weights, logProbTarget;
    std::vector<qint32> predicted;
    QFuture<Status> pending;
    // The read-ahead writes into `buffers` on this frame: every return, not only a cancel,
    // waits for it before they go.
    const auto waitForReadAhead = qScopeGuard([&pending] {
        if (pending.isValid())
            pending.waitForFinished();
    });
    if (!plan.chunks.empty())
        pending =
            QtConcurrent::run(&m_pool.ioLane(), readChunk, plan.chunks[0], std::ref(buffers[0]));
    qint64 done = 0;
    for (size_t c = 0; c < plan.chunks.size(); ++c) {
        const Status read = pending.result();
        if (!read)
            return Error{read.error()};
        ChunkBuffers<T>& current = buffers[c % 2];
        if (c + 1 < plan.chunks.size()) {
            pending = QtConcurrent::run(&m_pool.ioLane(), readChunk, plan.chunks[c + 1],
                                        std::ref(buffers[(c + 1) % 2]));
        }
        const TileChunk& chunk = plan.chunks[c];
        // Per-element output of a multi-label pair: one loss per input element.
        const bool flat = sink && layout.targetKind == TargetKind::MultiLabel;
        const auto positions =
            static_cast<size_t>(flat ? chunk.inputElements : current.positionOffsets.back());
        loss.resize(positions);
        weights.resize(positions);
        predicted.resize(positions);
        logProbTarget.resize(positions);
        auto outputsFor = [&](size_t k) {
            const qint64 p = flat ? current.inputOffsets[k] : current.positionOffsets[k];
            // Multi-label positions all weigh 1 (the accumulator's default): not writing them
            // saves a pass over memory as large as the losses.
            const bool multiLabel = layout.targetKind == TargetKind::MultiLabel;
            return PositionOutputs{loss.data() + p, multiLabel ? nullptr : weights.data() + p,
                                   multiLabel ? nullptr : predicted.data() + p,
                                   classIndices ? logProbTarget.data() + p : nullptr};
        };
        auto blockFor = [&](size_t k) {
            const Tile& tile = plan.tiles[chunk.firstTile + k];
            const T* base = current.mapped ? static_cast<const T*>(current.mapped->data())
                                           : current.input.data();
            return ClassBlock<T>{base + current.inputOffsets[k], tile.outer, layout.numClasses,
                                 tile.inner};
        };
        m_pool.forEach(static_cast<qint64>(chunk.tileCount), [&](qint64 item) {
            const auto k = static_cast<size_t>(item);
            computeTile(job, blockFor(k), current, current.targetOffsets[k], outputsFor(k),
                        sink != nullptr);
        });
        if (predictions) {
            for (size_t k = 0; k < chunk.tileCount; ++k) {
                if (Status s =
                        (*predictions)(plan.tiles[chunk.firstTile + k], outputsFor(k).predicted,
                                       current.indexTargets.data() + current.targetOffsets[k]);
                    !s)
                    return s.failure();
            }
            done += chunk.inputElements;
            if (progress && !progress(done))
                return Error::cancelled();
            continue;
        }
        if (sink) {
            for (size_t k = 0; k < chunk.tileCount; ++k) {
                const Tile& tile = plan.tiles[chunk.firstTile + k];
                Slab region = tile.input;
                if (!flat && layout.classAxis >= 0 &&
                    size_t(layout.classAxis) < region.start.size()) {
                    region.start.erase(region.start.begin() + layout.classAxis);
                    region.count.erase(region.count.begin() + layout.classAxis);
                }
                if (Status s = (*sink)(region, outputsFor(k).loss); !s)
                    return s.failure();
            }
            done += chunk.inputElements;
            if (progress && !progress(done))
                return Error::cancelled();
            continue;
        }
        for (size_t k = 0; k < chunk.tileCount; ++k) {
            const Tile& tile = plan.tiles[chunk.firstTile + k];
            if (c == 0 && k == 0) {
                probeInput(blockFor(0), kProbePositions, accumulator.losses().input);
                if (!classIndices) {
                    const ClassBlock<T> targets{current.valueTargets.data(), tile.outer,
                                                layout.numClasses, tile.inner};
                    probeTarget(targets, kProbePositions, accumulator.losses().target);
                }
            }
            accumulator.addTile(
                tile,
                classIndices ? current.indexTargets.data() + current.targetOffsets[k] : nullptr,
                outputsFor(k));
        }
        done += chunk.inputElements;
        if (progress && !progress(done))
            return Error::cancelled();
    }
    PairLosses losses = accumulator.finish();
    // reduction='batchmean': the sum over all elements divided by input.size(0).
    if (job.spec.kind == LossKind::KlDiv)
        losses.weightSum = input.shape.empty() ? 1.0 : double(input.shape[0]);
    return losses;
}

} // namespace shapescope
