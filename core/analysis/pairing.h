// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "lossspec.h"
#include "tensor/tensorinfo.h"

#include <vector>

namespace shapescope {

// A model output and the target it is compared with (indices into the dump's tensors).
struct TensorPair
{
    int input = -1;
    int target = -1;
    QString group;
    int run = -1;  // index into Pairing::runs, -1 when the pair is in no run
    int step = -1; // position within its run
    // No name said which is the output and which the target: paired by shape and dtype.
    bool guessed = false;
};

// A sequence of pairs whose groups (or names) differ only by step numbers.
struct Run
{
    QString name;           // the pattern with each number as '#': "/batch_#", "/epoch_#/iter_#"
    std::vector<int> pairs; // in natural order of their paths
};

struct Pairing
{
    std::vector<TensorPair> pairs;
    std::vector<Run> runs;
    std::vector<int> unpaired; // tensors in no pair
};

// Pairs each model output with its target within each group (an HDF5 group, an archive, a
// folder, a file's root), by name: one input and one target pair directly; several are matched
// by what remains of their names without the role words (train_logits with train_labels), and
// inputs left over share the group's only target. The user's roles (spec.roles) beat the
// names. A group with no pair by name gets a guessed one when a float tensor's leading axis
// equals an integer tensor's length (see guessPair). The spec's --input/--target override pairs
// exactly those two tensors, wherever they are. Pairs are then grouped into runs.
Expected<Pairing> pairTensors(const std::vector<TensorInfo>& tensors, const LossSpec& spec);

// "/batch_0003" -> "/batch_#": the run key of a path.
QString stepPattern(const QString& path);

} // namespace shapescope
