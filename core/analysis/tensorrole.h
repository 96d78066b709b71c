// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/tensorinfo.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace shapescope {

// What a tensor is in a training step: loader -> model -> loss.
enum class TensorRole
{
    None,   // the name says nothing (or something else: embeddings, loss, grads)
    Output, // the model's output: the loss's input
    Target, // what the loss compares the output with (from the loader)
    Loader, // what the loader gave the model: x, inputs, images, input_ids, features
    Extra,  // beside the batch: lengths, attention/padding masks, weights
};
inline constexpr int tensorRoleCount = 5;

// "loader", "output", "target", "extra" ("none" for None): --role, JSON and the GUI.
QString tensorRoleName(TensorRole role);
std::optional<TensorRole> tensorRoleFromName(const QString& name);

// A role the user gave a tensor (--role PATH=ROLE, the dump tree's menu); it beats the name.
struct RoleOverride
{
    QString path;
    TensorRole role = TensorRole::None;
    bool operator==(const RoleOverride&) const = default;
};

// Classifies by name, case-insensitively and by word parts ("train_labels", "modelOutput",
// "y_pred"): outputs are named like logits, output(s), pred(s), prediction(s), scores, y_pred,
// y_hat, model_output; targets like target(s), label(s), y, y_true, gt, ground_truth, mask(s);
// loader inputs like x, input(s), image(s), features, input_ids; extras like lengths,
// attention_mask, padding_mask, weights. Names about something else (embeddings, loss, grads)
// are None. A name that says both ("pred_labels") is a prediction: an output when floating
// point, else None, because integer predicted classes are not what a loss consumes.
TensorRole classifyTensor(const TensorInfo& tensor);

// The user's override for the tensor when there is one (paths match with or without the
// leading '/'), else classifyTensor.
TensorRole roleOf(const TensorInfo& tensor, const std::vector<RoleOverride>& overrides);

// Splits "trainLabels_3.npy" into {"train", "labels", "3"}: lower case, split at non-letters,
// digit runs and camelCase humps; a trailing ".npy" is dropped.
QStringList nameParts(const QString& name);

// The name with its role words removed, used to match "train_logits" with "train_labels":
// "train_logits" -> "train", "logits_3" -> "3", "logits" -> "".
QString roleFreeKey(const QString& name);

} // namespace shapescope
