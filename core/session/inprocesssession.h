// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "readercache.h"
#include "session.h"

namespace shapescope {

// Reads and computes in the calling thread of this process. Used by the worker process itself,
// by tests, and when the user asks for no isolation.
//
// A read in this process cannot be interrupted: a stop is seen before a call starts and when it
// ends (the result is then dropped); an analysis sees it at its next progress report.
class InProcessSession final : public Session
{
public:
    Expected<DumpSummary> open(const QString& path, std::stop_token stop = {}) override;
    Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                     const ProgressCallback& progress) override;
    Expected<SliceResult> readSlice(const SliceRequest& request,
                                    std::stop_token stop = {}) override;
    Expected<ElementLossResult> elementLosses(const ElementLossRequest& request,
                                              std::stop_token stop = {}) override;
    Expected<ConfusionMatrix> confusion(const ConfusionRequest& request,
                                        const ProgressCallback& progress) override;
    void stop() override { m_stop.request_stop(); }

private:
    bool stopped(const std::stop_token& stop) const
    {
        return stop.stop_requested() || m_stop.stop_requested();
    }
    Expected<SliceResult> read(const SliceRequest& request);

    ReaderCache m_readers;
    std::stop_source m_stop;
};

} // namespace shapescope
