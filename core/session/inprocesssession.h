#pragma once

#include "readercache.h"
#include "session.h"

namespace shapescope {

// Reads and computes in the calling thread of this process. Used by the worker process itself,
// by tests, and when the user asks for no isolation.
class InProcessSession final : public Session
{
public:
    Expected<DumpSummary> open(const QString& path) override;
    Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                     const ProgressCallback& progress) override;
    Expected<SliceResult> readSlice(const SliceRequest& request) override;

private:
    ReaderCache m_readers;
};

} // namespace shapescope
