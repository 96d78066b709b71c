// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/tensorinfo.h"

#include <QStringList>

namespace shapescope {

// What a tensor's name says it is in a training step.
enum class TensorRole
{
    None,
    Input,
    Target
};

// Classifies by name, case-insensitively and by word parts ("train_labels", "modelOutput",
// "y_pred"): inputs are named like logits, output(s), pred(s), prediction(s), scores, y_pred,
// y_hat, model_output; targets like target(s), label(s), y, y_true, gt, ground_truth, mask(s).
// Names about something else (attention_mask, embeddings, loss_weight) are None. A name that
// says both ("pred_labels") is a prediction: an input when floating point, else None, because
// integer predicted classes are not what a loss consumes.
TensorRole classifyTensor(const TensorInfo& tensor);

// Splits "trainLabels_3.npy" into {"train", "labels", "3"}: lower case, split at non-letters,
// digit runs and camelCase humps; a trailing ".npy" is dropped.
QStringList nameParts(const QString& name);

// The name with its role words removed, used to match "train_logits" with "train_labels":
// "train_logits" -> "train", "logits_3" -> "3", "logits" -> "".
QString roleFreeKey(const QString& name);

} // namespace shapescope
