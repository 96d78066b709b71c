// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "common/expected.h"
#include "common/progress.h"
#include "tileplan.h"
#include "torchversion.h"

namespace shapescope {

class DumpReader;

struct AnalysisOptions
{
    LossSpec spec;
    bool computeLosses = true;
    // Probe tensors in no pair too (their first and last 8 MiB, never all of them), so a
    // truncated or badly laid out one is found.
    bool verifyUnpaired = true;
    TileBudget budget;
    int threads = 0; // loss threads; 0 = QThread::idealThreadCount()
    // How often, at most, progress is reported (and a cancel request is seen), in ms.
    int progressIntervalMs = 50;
    // The torch release the checks and quotes speak for, when the user chose one (--torch, the
    // Loss settings or SHAPESCOPE_TORCH_VERSION, said by torchSource); otherwise the version the
    // dump records, else the newest supported (chooseTorch).
    std::optional<TorchVersion> torch;
    TorchSource torchSource = TorchSource::CommandLine;
    // Fixes to try on the data before editing code (transform/transformexpr.h), applied to the
    // analysis and never to the file: "logits=logits.permute(0, 2, 1)", in order.
    QStringList transforms;
    // A file of class names the user picked (classnames.h); it names the classes of every pair,
    // before any attribute or file beside the dump. Empty for none.
    QString classNamesFile;
};

// The class weight of `spec` (its list, or the tensor it names read from the dump).
Expected<std::vector<double>> resolveWeight(DumpReader& reader, const LossSpec& spec);

// The metadata of an opened dump.
DumpSummary summarizeDump(const DumpReader& reader);

// The whole analysis of a dump: pairs outputs with targets, applies PyTorch's shape checks,
// computes every pair's losses on all cores, and diagnoses what the values and the runs show.
// Fails (with a message naming the file) when data cannot be read, or when cancelled.
Expected<AnalysisResult> analyzeDump(DumpReader& reader, const AnalysisOptions& options,
                                     const ProgressCallback& progress = {});

} // namespace shapescope
