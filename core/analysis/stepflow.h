// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostic.h"
#include "tensor/tensorinfo.h"
#include "tensorrole.h"

#include <vector>

namespace shapescope {

struct PairResult;
struct LossSpec;

// Where a step's batch axis stops agreeing with itself, in the order the data travels.
enum class FlowStage
{
    None,   // the batch is the same everywhere (or nothing to compare)
    Loader, // the loader's own tensors disagree (inputs vs labels, or an attention_mask
            // against the step's batch): collate or dataset
    Model,  // the loader agrees with itself, the model's output has other rows
    Target, // no loader tensor in the dump: the output and the target disagree
};
inline constexpr int flowStageCount = 4;

// "loader", "model", "target"; "" for None (JSON writes null).
QString flowStageName(FlowStage stage);

// One tensor of a step, in its role, with its batch axis.
struct FlowTensor
{
    int tensor = -1; // index into DumpSummary::tensors
    QString path;
    TensorRole role = TensorRole::Extra;
    qint64 batch = -1; // the length of batchAxis; -1 without one
    // Whether the tensor must carry the step's batch: loader, output, target, and extras named
    // like lengths or masks; not class weights or tensors whose name says nothing.
    bool carriesBatch = false;
    // The tensor's batch disagrees with the loader's (or, without a loader, output vs target).
    bool diverges = false;
    bool userRole = false; // the role comes from --role or the dump tree's menu
    // The axis `batch` was read from: the pair's layout says it for outputs and targets (axis 1
    // of CTC's (T, N, C) log_probs), axis 0 for the others; -1 when the tensor has no batch
    // axis (a 0-d tensor, CTC's concatenated targets, an unbatched input).
    int batchAxis = 0;
};

// A step of training (a group of the dump): loader -> model -> loss.
struct StepFlow
{
    QString group;
    int run = -1;                    // index into AnalysisResult::runs, from the step's pairs
    int step = -1;                   // position within the run
    std::vector<FlowTensor> tensors; // in the dump's order
    std::vector<int> pairs;          // indices into AnalysisResult::pairs
    qint64 loaderBatch = -1;         // the first loader tensor's rows; -1 without one
    qint64 outputBatch = -1;
    qint64 targetBatch = -1;
    FlowStage divergesAt = FlowStage::None;
    bool guessed = false; // a pair of the step was guessed from shapes and dtypes

    bool hasRole(TensorRole role) const;
};

// Every group with a tensor becomes a step; the pairs give the output and target roles, names
// (and the user's roles) the others.
std::vector<StepFlow> traceFlows(const std::vector<TensorInfo>& tensors,
                                 const std::vector<PairResult>& pairs, const LossSpec& spec);

// batch-changed-in-model and loader-batch-mismatch for the steps that break, and guessed-pair
// for guessed pairs. Diagnostics carry the step's first pair, so they show beside its quote.
std::vector<Diagnostic> diagnoseFlows(const std::vector<StepFlow>& flows,
                                      const std::vector<TensorInfo>& tensors,
                                      const std::vector<PairResult>& pairs);

// no-pair-checked: the dump had tensors, and no pair could be checked.
std::optional<Diagnostic> nothingChecked(const std::vector<TensorInfo>& tensors,
                                         const std::vector<PairResult>& pairs);

} // namespace shapescope
