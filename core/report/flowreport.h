// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QJsonArray>

namespace shapescope {

// check --json's "steps": per step, its tensors by role with their batch sizes and where the
// batch diverges ("loader", "model", "target" or null).
QJsonArray flowsToJson(const AnalysisResult& result);

// "loader 64 (x 64x3x32x32, labels 64) -> model 32 (logits 32x10): the batch changes in the
// model": one step's flow on one line, for the text and Markdown reports.
QString flowLine(const StepFlow& flow, const std::vector<TensorInfo>& tensors);

// The steps worth a line: every step whose flow breaks, else the first step with a pair (all
// steps agree, one stands for them). Empty when the dump has no step with a role.
std::vector<const StepFlow*> flowsToShow(const AnalysisResult& result);

} // namespace shapescope
