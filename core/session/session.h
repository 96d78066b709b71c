// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "analysis/analyzer.h"
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
    // For closing: every call in flight returns at once, and every later call fails, cancelled.
    // A call stuck in a reader is abandoned where the implementation can (a worker is killed),
    // not waited for.
    virtual void stop() = 0;
};

} // namespace shapescope
