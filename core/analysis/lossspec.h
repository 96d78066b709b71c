// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensorrole.h"

#include <QString>
#include <optional>
#include <vector>

namespace shapescope {

enum class LossKind
{
    CrossEntropy, // torch.nn.CrossEntropyLoss / F.cross_entropy
    Nll,          // torch.nn.NLLLoss: the input already holds log-probabilities
    Bce,          // torch.nn.BCEWithLogitsLoss: multi-label, target of the input's shape
    // The elementwise losses: one value per element of the input, the target of its shape.
    Mse,                // torch.nn.MSELoss
    L1,                 // torch.nn.L1Loss
    SmoothL1,           // torch.nn.SmoothL1Loss (beta)
    Huber,              // torch.nn.HuberLoss (delta)
    BinaryCrossEntropy, // torch.nn.BCELoss: the input holds probabilities
    KlDiv,              // torch.nn.KLDivLoss(reduction="batchmean"): the input holds log p
    Ctc,                // torch.nn.CTCLoss: log_probs (T, N, C), targets and both lengths
};

// Every kind, in the order the GUI lists them (kinds added later appear there by themselves).
std::vector<LossKind> allLossKinds();
// Kinds computed element by element with the target of the input's shape (PyTorch broadcasts
// the two and warns when their shapes differ).
bool isElementwise(LossKind kind);

QString lossKindName(LossKind kind);  // "cross_entropy", "nll", "bce"
QString lossClassName(LossKind kind); // "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"
std::optional<LossKind> lossKindFromName(const QString& name);
QString lossKindNames(); // "cross_entropy, nll, bce, mse, ...": every kind, for help and errors

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
    double beta = 1.0;             // smooth_l1 only (torch's default 1.0)
    double delta = 1.0;            // huber only (torch's default 1.0)
    bool logTarget = false;        // kl_div only: the target holds log-probabilities
    // No kind was chosen (no --loss, no pick in the GUI): the analysis guesses one from the
    // dump and says why (AnalysisResult::lossKindReason); `kind` is the fallback.
    bool guessKind = false;
    std::optional<int> classDim; // the input's class axis; nullopt = found automatically
    QString inputPath;           // explicit pairing override (both or neither)
    QString targetPath;
    std::vector<RoleOverride> roles; // the user's roles, which beat the names
    // ctc only: the blank label, zero_infinity, and the tensors holding input_lengths and
    // target_lengths (empty: found by name beside log_probs, ctctensors.h).
    qint64 blank = 0;
    bool zeroInfinity = false;
    QString inputLengthsPath;
    QString targetLengthsPath;

    bool hasPairOverride() const { return !inputPath.isEmpty() && !targetPath.isEmpty(); }
    bool operator==(const LossSpec&) const = default;
};

// PyTorch's defaults with the kind left to the analysis to guess: what a session starts with.
inline LossSpec guessingSpec()
{
    LossSpec spec;
    spec.guessKind = true;
    return spec;
}

// The loss settings as the GUI, the CLI and the reports show them: the PyTorch constructor they
// amount to, "nn.CrossEntropyLoss(ignore_index=255)", and the class axis when one is forced.
QString lossSpecText(const LossSpec& spec);

} // namespace shapescope
