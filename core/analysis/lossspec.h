// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>
#include <vector>

namespace shapescope {

enum class LossKind
{
    CrossEntropy, // torch.nn.CrossEntropyLoss / F.cross_entropy
    Nll,          // torch.nn.NLLLoss: the input already holds log-probabilities
    Bce,          // torch.nn.BCEWithLogitsLoss: multi-label, target of the input's shape
    Ctc,          // torch.nn.CTCLoss: log_probs (T, N, C), targets and both lengths
};

QString lossKindName(LossKind kind);  // "cross_entropy", "nll", "bce"
QString lossClassName(LossKind kind); // "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"
std::optional<LossKind> lossKindFromName(const QString& name);

// What the user would pass to the PyTorch loss, plus how to find and lay out the tensors.
struct LossSpec
{
    LossKind kind = LossKind::CrossEntropy;
    // PyTorch's default ignore_index (-100). Targets equal to it contribute 0 and are left out
    // of the mean. Applies to class-index targets of cross_entropy and nll.
    qint64 ignoreIndex = -100;
    double labelSmoothing = 0.0;   // cross_entropy only, in [0, 1]
    std::vector<double> weight;    // per-class weight (length C); empty = none
    QString weightTensor;          // or a tensor of the dump holding the weight
    std::vector<double> posWeight; // bce only: per-class pos_weight; empty = none
    std::optional<int> classDim;   // the input's class axis; nullopt = found automatically
    QString inputPath;             // explicit pairing override (both or neither)
    QString targetPath;
    // ctc only: the blank label, zero_infinity, and the tensors holding input_lengths and
    // target_lengths (empty: found by name beside log_probs, ctctensors.h).
    qint64 blank = 0;
    bool zeroInfinity = false;
    QString inputLengthsPath;
    QString targetLengthsPath;

    bool hasPairOverride() const { return !inputPath.isEmpty() && !targetPath.isEmpty(); }
    bool operator==(const LossSpec&) const = default;
};

// The loss settings as the GUI, the CLI and the reports show them: the PyTorch constructor they
// amount to, "nn.CrossEntropyLoss(ignore_index=255)", and the class axis when one is forced.
QString lossSpecText(const LossSpec& spec);

} // namespace shapescope
