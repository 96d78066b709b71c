#include "inprocesssession.h"

namespace shapescope {

Expected<DumpSummary> InProcessSession::open(const QString& path)
{
    Expected<ReaderCache::Lease> reader = m_readers.acquire(path);
    if (!reader)
        return Error{reader.error()};
    return summarizeDump(**reader);
}

Expected<AnalysisResult> InProcessSession::analyze(const AnalyzeRequest& request,
                                                   const ProgressCallback& progress)
{
    Expected<ReaderCache::Lease> reader = m_readers.acquire(request.path);
    if (!reader)
        return Error{reader.error()};
    return analyzeDump(**reader, request.options, progress);
}

Expected<SliceResult> InProcessSession::readSlice(const SliceRequest& request)
{
    Expected<ReaderCache::Lease> reader = m_readers.acquire(request.path);
    if (!reader)
        return Error{reader.error()};
    DumpReader& dump = **reader;
    const int index = dump.indexOf(request.tensor);
    if (index < 0)
        return Error{QStringLiteral("%1: there is no tensor %2").arg(request.path, request.tensor)};
    const qint64 count = request.slab.elementCount();
    if (count < 0 || count > (qint64(64) << 20))
        return Error{QStringLiteral("%1: a slice of %2 values is too large to show")
                         .arg(request.tensor)
                         .arg(count)};
    SliceResult result;
    result.tensor = request.tensor;
    result.slab = request.slab;
    result.sourceType = dump.tensors()[index].dtype;
    result.values.resize(static_cast<size_t>(count));
    if (Status s = dump.readSlab(index, request.slab, DType::Float64, result.values.data()); !s)
        return Error{s.error()};
    return result;
}

} // namespace shapescope
