// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "analysis/analyzer.h"
#include "analysis/confusion.h"
#include "common/expected.h"
#include "common/progress.h"
#include "tensor/slab.h"

#include <memory>
#include <stop_token>

namespace shapescope {

// Requests and results are plain structs, so they cross a process boundary as they are.
struct AnalyzeRequest
{
    QString path;
    AnalysisOptions options;
};

struct SliceRequest
{
    QString path;
    QString tensor;
    Slab slab;
};

// A block of a tensor's values, converted to double for display (C order, slab.count shape).
struct SliceResult
{
    QString tensor;
    Slab slab;
    DType sourceType = DType::Float32;
    std::vector<double> values;
};

// The per-element losses (torch's reduction='none' values) of one sample of an analysed pair:
// the pair as the analysis resolved it (its tensors' paths and layout) and the spec it used.
struct ElementLossRequest
{
    QString path;
    LossSpec spec;
    QString input;
    QString target;
    PairLayout layout;
    qint64 sample = 0;
};

// One sample's slice of the reduction='none' output: for (N, C, H, W) input an (H, W) map, for
// (B, T, V) / (B, V, T) sequences the T token losses, for an elementwise (N, D) pair the D
// element losses. 0 where the target is ignore_index, as torch gives.
struct ElementLossResult
{
    qint64 sample = 0;
    Shape shape;
    std::vector<double> losses; // C order of `shape`
};

// The confusion matrix of an analysed pair with class-index targets, over all its positions.
struct ConfusionRequest
{
    QString path;
    LossSpec spec;
    QString input;
    QString target;
    PairLayout layout;
};

// What the GUI and the CLI ask of a dump. Every call is self-contained (it names the file) and
// may be made from any thread, concurrently with others. Implementations: in this process, or
// in a watched worker process so a hostile file cannot take the caller down.
//
// Every call can be stopped: open() and readSlice() by their stop token, analyze() by its
// progress callback returning false, all calls at once by stop(). A stopped call returns
// Error::cancelled().
class Session
{
public:
    virtual ~Session() = default;

    virtual Expected<DumpSummary> open(const QString& path, std::stop_token stop = {}) = 0;
    virtual Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                             const ProgressCallback& progress) = 0;
    virtual Expected<SliceResult> readSlice(const SliceRequest& request,
                                            std::stop_token stop = {}) = 0;
    // Fails for sessions that cannot compute (the default); both real sessions can.
    virtual Expected<ElementLossResult> elementLosses(const ElementLossRequest& request,
                                                      std::stop_token stop = {})
    {
        (void)request;
        (void)stop;
        return Error{QStringLiteral("this session computes no per-element losses")};
    }
    // Counts every position of the pair (analyze()'s progress and cancel). Fails for sessions
    // that cannot compute (the default).
    virtual Expected<ConfusionMatrix> confusion(const ConfusionRequest& request,
                                                const ProgressCallback& progress)
    {
        (void)request;
        (void)progress;
        return Error{QStringLiteral("this session computes no confusion matrix")};
    }
    // For closing: every call in flight returns at once, and every later call fails, cancelled.
    // A call stuck in a reader is abandoned where the implementation can (a worker is killed),
    // not waited for.
    virtual void stop() = 0;
};

} // namespace shapescope
