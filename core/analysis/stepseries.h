// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"

#include <QStringList>
#include <vector>

namespace shapescope {

// One step of a run as the Steps view plots it: the figures of the step's pair, and what
// changed in the step's tensors since the step before.
struct StepPoint
{
    int pair = -1; // index into AnalysisResult::pairs
    QString group; // "/batch_0003"; "" for a folder of files
    QString label; // the input's path, which names the step in every dump layout
    bool hasLosses = false;
    double meanLoss = 0;  // PyTorch's reduction='mean' value; NaN without losses
    double accuracy = -1; // argmax == target over counted positions; -1 when not applicable
    qint64 nonFinite = 0; // samples whose loss is NaN or +-inf
    qint64 ignored = 0;   // positions whose target is ignore_index
    qint64 positions = 0; // positions counted in the mean
    // "logits: 16 x 10 float32 -> 8 x 10 float32", one per tensor whose shape or dtype differs
    // from the previous step's tensor of the same name (step numbers in names do not count).
    // Empty for the first step.
    QStringList changes;

    bool changed() const { return !changes.isEmpty(); }
};

// A run's steps in order: the one place the Steps view's figures are computed.
struct StepSeries
{
    int run = -1;
    QString name; // RunResult::name, "batch_#"
    std::vector<StepPoint> steps;

    int changedCount() const;
    // The position of `pair` among the steps, or -1.
    int indexOfPair(int pair) const;
};

// The run with the most steps (the first of equals), or -1 when the dump has no run.
int longestRun(const AnalysisResult& result);

// The steps of run `run`, or an empty series when `run` is out of range.
StepSeries stepSeries(const AnalysisResult& result, int run);

// A tensor's name with every run of digits as '#': "batch_0003_logits" and "batch_0004_logits"
// are the same tensor of two steps.
QString stepInvariantName(const QString& name);

} // namespace shapescope
