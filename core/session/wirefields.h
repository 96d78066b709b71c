// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session.h"

#include <algorithm>
#include <concepts>
#include <type_traits>

namespace shapescope::wire {

// Each struct's fields in wire order, written ONCE: the Writer and the Reader of wireformat.h
// visit the same list, so put and get cannot disagree about order or membership. A new field
// goes into its struct's list (append it, to keep older fields where they were) and
// workerprotocol.h's protocolVersion goes up by one.
//
// How each field travels follows from its C++ type (wireformat.h): numbers and bool as
// QDataStream writes them (int is its qint32), enums as one byte checked against enumCount,
// strings bounded, vectors of numbers as one raw block, other vectors element by element,
// optional as a flag and a value, nested structs through their own list.

// `S` is T or const T: one list serves the Writer (const) and the Reader.
template <typename S, typename T>
concept Like = std::same_as<std::remove_const_t<S>, T>;

// Enumerators of each enum on the wire (0..count-1); a byte outside is corrupt data.
template <typename E> inline constexpr int enumCount = 0;
template <> inline constexpr int enumCount<DType> = dtypeCount;
template <> inline constexpr int enumCount<DumpFormat> = int(DumpFormat::Safetensors) + 1;
template <> inline constexpr int enumCount<LossKind> = int(LossKind::Ctc) + 1;
template <> inline constexpr int enumCount<Severity> = 3;
template <> inline constexpr int enumCount<DiagCode> = diagCodeCount;
template <> inline constexpr int enumCount<TorchSource> = 5;
template <> inline constexpr int enumCount<TensorSide> = 2;
template <> inline constexpr int enumCount<AxisRole> = 4;
template <> inline constexpr int enumCount<TargetKind> = 3;
template <> inline constexpr int enumCount<TensorRole> = tensorRoleCount;
template <> inline constexpr int enumCount<FlowStage> = flowStageCount;

// An int that the reader clamps to [low, high] (a value the worker acts on, from the client).
template <typename Int> struct Clamped
{
    Int& value;
    int low;
    int high;
};
template <typename Int> Clamped<Int> clamped(Int& value, int low, int high)
{
    return {value, low, high};
}

// Tensors and dumps

void fields(auto& v, Like<Attribute> auto& s)
{
    v(s.name, s.type, s.value);
}

void fields(auto& v, Like<TensorInfo> auto& s)
{
    v(s.path, s.name, s.group, s.shape, s.dtype, s.chunkShape, s.storage, s.storedBytes,
      s.attributes, s.unreadableReason, s.storedType);
}

void fields(auto& v, Like<GroupInfo> auto& s)
{
    v(s.path, s.attributes);
}

void fields(auto& v, Like<DumpSummary> auto& s)
{
    v(s.file, s.format, s.tensors, s.groups, s.notes, s.skipped);
}

void fields(auto& v, Like<Slab> auto& s)
{
    v(s.start, s.count);
}

// Requests

void fields(auto& v, Like<RoleOverride> auto& s)
{
    v(s.path, s.role);
}

void fields(auto& v, Like<LossSpec> auto& s)
{
    v(s.kind, s.ignoreIndex, s.labelSmoothing, s.weight, s.weightTensor, s.posWeight, s.classDim,
      s.inputPath, s.targetPath, s.roles, s.beta, s.delta, s.logTarget, s.guessKind, s.blank,
      s.zeroInfinity, s.inputLengthsPath, s.targetLengthsPath);
}

void fields(auto& v, Like<TileBudget> auto& s)
{
    v(s.tileBytes, s.chunkBytes);
}

void fields(auto& v, Like<TorchVersion> auto& s)
{
    v(s.major, s.minor);
}

void fields(auto& v, Like<TorchChoice> auto& s)
{
    v(s.version, s.source, s.recorded);
}

void fields(auto& v, Like<AnalysisOptions> auto& s)
{
    v(s.spec, s.computeLosses, s.verifyUnpaired, s.budget, clamped(s.progressIntervalMs, 0, 10000),
      s.threads, s.torch, s.torchSource, s.transforms, s.classNamesFile);
}

void fields(auto& v, Like<AnalyzeRequest> auto& s)
{
    v(s.path, s.options);
}

void fields(auto& v, Like<SliceRequest> auto& s)
{
    v(s.path, s.tensor, s.slab);
}

void fields(auto& v, Like<SliceResult> auto& s)
{
    v(s.tensor, s.slab, s.sourceType, s.values);
}

void fields(auto& v, Like<ElementLossRequest> auto& s)
{
    v(s.path, s.spec, s.input, s.target, s.layout, s.sample);
}

void fields(auto& v, Like<ElementLossResult> auto& s)
{
    v(s.sample, s.shape, s.losses);
}

void fields(auto& v, Like<ConfusionRequest> auto& s)
{
    v(s.path, s.spec, s.input, s.target, s.layout);
}

void fields(auto& v, Like<ConfusionMatrix> auto& s)
{
    v(s.classes, s.ignoreIndex, s.counts, s.ignored, s.outOfRange, s.unpredicted,
      s.cellSampleTotals, s.listedCells, s.listedSamples, s.listedCounts);
}

// Analysis results

void fields(auto& v, Like<AxisMark> auto& s)
{
    v(s.side, s.axis);
}

void fields(auto& v, Like<Diagnostic> auto& s)
{
    v(s.code, s.severity, s.tensors, s.axes, s.message, s.pytorchError, s.explanation, s.fix,
      s.samples, s.pair, s.run, s.versionNote, s.apply);
}

void fields(auto& v, Like<PairLayout> auto& s)
{
    v(s.inputRoles, s.targetRoles, s.targetKind, s.classAxis, s.batchSize, s.numClasses, s.batched,
      s.outerPerSample, s.inner, s.computable, s.interpretation, s.squeezedAxis);
}

void fields(auto& v, Like<Histogram> auto& s)
{
    v(s.low, s.high, s.counts);
}

void fields(auto& v, Like<ClassStatistic> auto& s)
{
    v(s.classIndex, s.count, s.meanLoss);
}

void fields(auto& v, Like<RankedSample> auto& s)
{
    v(s.sample, s.target, s.predicted, s.pTarget, s.loss);
}

void fields(auto& v, Like<LossSummary> auto& s)
{
    v(s.samples, s.positions, s.ignored, s.mean, s.sum, s.min, s.max, s.accuracy, s.histogram,
      s.perClass, s.highestLoss, s.nonFinite);
}

void fields(auto& v, Like<SampleValues> auto& s)
{
    v(s.loss, s.ignored, s.target, s.predicted, s.pTarget);
}

void fields(auto& v, Like<PairResult> auto& s)
{
    v(s.input, s.target, s.group, s.run, s.step, s.layout, s.hasLosses, s.lossError, s.summary,
      s.samples, s.inputTensor, s.targetTensor, s.guessed, s.lossCaveat, s.classNames,
      s.classNamesSource, s.classNamesNote);
}

void fields(auto& v, Like<BatchStatistic> auto& s)
{
    v(s.pair, s.group, s.size, s.meanLoss, s.inputSize, s.ragged);
}

void fields(auto& v, Like<RunResult> auto& s)
{
    v(s.name, s.pairs, s.batches, s.typicalBatchSize, s.typicalInputSize);
}

void fields(auto& v, Like<FlowTensor> auto& s)
{
    v(s.tensor, s.path, s.role, s.batch, s.carriesBatch, s.diverges, s.userRole, s.batchAxis);
}

void fields(auto& v, Like<StepFlow> auto& s)
{
    v(s.group, s.run, s.step, s.tensors, s.pairs, s.loaderBatch, s.outputBatch, s.targetBatch,
      s.divergesAt, s.guessed);
}

void fields(auto& v, Like<AnalysisResult> auto& s)
{
    v(s.dump, s.spec, s.pairs, s.runs, s.diagnostics, s.unpaired, s.torch, s.flows,
      s.lossKindReason, s.transforms, s.errorsBefore);
}

// The lists above cannot disagree with each other, but a field added to a struct and not to its
// list would silently stay home. These sizes (x86-64, libstdc++) make the compiler say so:
// update the list, then the number.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Attribute) == 72, "Attribute changed: update its fields()");
static_assert(sizeof(TensorInfo) == 232, "TensorInfo changed: update its fields()");
static_assert(sizeof(GroupInfo) == 48, "GroupInfo changed: update its fields()");
static_assert(sizeof(DumpSummary) == 128, "DumpSummary changed: update its fields()");
static_assert(sizeof(Slab) == 48, "Slab changed: update its fields()");
static_assert(sizeof(LossSpec) == 264, "LossSpec changed: update its fields()");
static_assert(sizeof(TileBudget) == 16, "TileBudget changed: update its fields()");
static_assert(sizeof(TorchVersion) == 8, "TorchVersion changed: update its fields()");
static_assert(sizeof(TorchChoice) == 40, "TorchChoice changed: update its fields()");
static_assert(sizeof(AnalysisOptions) == 360, "AnalysisOptions changed: update its fields()");
static_assert(sizeof(AnalyzeRequest) == 384, "AnalyzeRequest changed: update its fields()");
static_assert(sizeof(SliceRequest) == 96, "SliceRequest changed: update its fields()");
static_assert(sizeof(SliceResult) == 104, "SliceResult changed: update its fields()");
static_assert(sizeof(AxisMark) == 8, "AxisMark changed: update its fields()");
static_assert(sizeof(Diagnostic) == 232, "Diagnostic changed: update its fields()");
static_assert(sizeof(PairLayout) == 136, "PairLayout changed: update its fields()");
static_assert(sizeof(Histogram) == 40, "Histogram changed: update its fields()");
static_assert(sizeof(ClassStatistic) == 24, "ClassStatistic changed: update its fields()");
static_assert(sizeof(RankedSample) == 40, "RankedSample changed: update its fields()");
static_assert(sizeof(LossSummary) == 160, "LossSummary changed: update its fields()");
static_assert(sizeof(SampleValues) == 120, "SampleValues changed: update its fields()");
static_assert(sizeof(PairResult) == 640, "PairResult changed: update its fields()");
static_assert(sizeof(BatchStatistic) == 64, "BatchStatistic changed: update its fields()");
static_assert(sizeof(RunResult) == 88, "RunResult changed: update its fields()");
static_assert(sizeof(RoleOverride) == 32, "RoleOverride changed: update its fields()");
static_assert(sizeof(FlowTensor) == 56, "FlowTensor changed: update its fields()");
static_assert(sizeof(StepFlow) == 112, "StepFlow changed: update its fields()");
static_assert(sizeof(ElementLossRequest) == 480, "ElementLossRequest changed: update its fields()");
static_assert(sizeof(ElementLossResult) == 56, "ElementLossResult changed: update its fields()");
static_assert(sizeof(ConfusionRequest) == 472, "ConfusionRequest changed: update its fields()");
static_assert(sizeof(ConfusionMatrix) == 160, "ConfusionMatrix changed: update its fields()");
static_assert(sizeof(AnalysisResult) == 624, "AnalysisResult changed: update its fields()");
#endif

} // namespace shapescope::wire
