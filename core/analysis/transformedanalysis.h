// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analyzer.h"

namespace shapescope {

// analyzeDump with AnalysisOptions::transforms: the dump as saved is analysed first, for what
// PyTorch raised on it, then again through a TransformedReader.
// The result is the transformed dump's, with `transforms` and `errorsBefore` filled in.
Expected<AnalysisResult> analyzeTransformed(DumpReader& reader, const AnalysisOptions& options,
                                            const ProgressCallback& progress);

// Whether the statements apply to this dump with this spec (they parse, name its tensors and fit
// their shapes), without analysing it.
Status checkTransforms(DumpReader& reader, const LossSpec& spec, const QStringList& statements);

// The applied transforms as code for the training loop: the tensors' statements, then the loss
// the loss's statements amount to ("criterion = nn.CrossEntropyLoss(ignore_index=255)") and the
// call a re-pairing makes ("loss = criterion(logits, coarse)"). What "Copy as Code" copies.
QString transformsCode(const AnalysisResult& result);

// "was: <what PyTorch raised>" and "now: accepted, mean loss 2.48" (or what it raises now): the
// one verdict the text, Markdown and JSON reports and the window show. Empty without transforms.
struct TransformVerdict
{
    QStringList was;
    QStringList now;
    bool fixed = false; // errors before, none now
};
TransformVerdict transformVerdict(const AnalysisResult& result);

} // namespace shapescope
