// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lossspec.h"
#include "tensor/tensorinfo.h"
#include "tensorrole.h"

#include <optional>
#include <vector>

namespace shapescope {

// A CTC pair's two length tensors (indices into the dump's tensors; -1 when not found).
struct CtcLengthTensors
{
    int input = -1;
    int target = -1;
};

// The role of a tensor when the loss is CTC: log_probs, logprobs and emissions are the model
// output, the *_lengths tensors belong to a pair without being its input or target, and every
// other name is classified as for the other losses. The user's roles (--role) win.
TensorRole ctcRole(const TensorInfo& tensor, const std::vector<RoleOverride>& overrides);

// The length tensors of the pair whose model output is tensors[input]: the spec's paths when
// given, else the 1-D tensors of the input's group named like input_lengths (input, output,
// logits, log_probs, frames ... with length(s)/lens) and target_lengths (target, label(s),
// transcript ... with length(s)/lens).
CtcLengthTensors findCtcLengths(const std::vector<TensorInfo>& tensors, int input,
                                const LossSpec& spec);

// Why a dump looks like a CTC step, or nullopt: a group holding a 3-D floating-point tensor
// named like log_probs next to an input-lengths and a target-lengths tensor. The auto-detection
// of the loss kind states this reason when it picks ctc.
std::optional<QString> ctcGuessReason(const std::vector<TensorInfo>& tensors);

} // namespace shapescope
