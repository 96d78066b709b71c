// SPDX-License-Identifier: GPL-3.0-or-later
#include "inprocesssession.h"

#include "analysis/elementlosses.h"
#include "analysis/workerpool.h"

#include <algorithm>

namespace shapescope {

Expected<DumpSummary> InProcessSession::open(const QString& path, std::stop_token stop)
{
    if (stopped(stop))
        return Error::cancelled();
    Expected<ReaderCache::Lease> reader = m_readers.acquire(path);
    if (stopped(stop))
        return Error::cancelled();
    if (!reader)
        return Error{reader.error()};
    return summarizeDump(**reader);
}

Expected<AnalysisResult> InProcessSession::analyze(const AnalyzeRequest& request,
                                                   const ProgressCallback& progress)
{
    if (stopped({}))
        return Error::cancelled();
    Expected<ReaderCache::Lease> reader = m_readers.acquire(request.path);
    if (!reader)
        return Error{reader.error()};
    return analyzeDump(**reader, request.options,
                       [this, &progress](double fraction, const QString& message) {
                           return !stopped({}) && (!progress || progress(fraction, message));
                       });
}

Expected<SliceResult> InProcessSession::readSlice(const SliceRequest& request, std::stop_token stop)
{
    if (stopped(stop))
        return Error::cancelled();
    Expected<SliceResult> slice = read(request);
    if (stopped(stop))
        return Error::cancelled();
    return slice;
}

Expected<SliceResult> InProcessSession::read(const SliceRequest& request)
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

Expected<ElementLossResult> InProcessSession::elementLosses(const ElementLossRequest& request,
                                                            std::stop_token stop)
{
    if (stopped(stop))
        return Error::cancelled();
    Expected<ReaderCache::Lease> reader = m_readers.acquire(request.path);
    if (!reader)
        return Error{reader.error()};
    DumpReader& dump = **reader;
    const int input = dump.indexOf(request.input);
    const int target = dump.indexOf(request.target);
    if (input < 0 || target < 0)
        return Error{QStringLiteral("%1: there is no tensor %2")
                         .arg(request.path, input < 0 ? request.input : request.target)};
    const Expected<std::vector<double>> weight = resolveWeight(dump, request.spec);
    if (!weight)
        return weight.failure();
    WorkerPool pool(0);
    const Expected<SampleElementLosses> losses = sampleElementLosses(
        dump, pool, PairJob{input, target, request.layout, request.spec, *weight}, request.sample);
    if (!losses)
        return losses.failure();
    if (stopped(stop))
        return Error::cancelled();
    return ElementLossResult{losses->sample, losses->shape, losses->losses};
}

Expected<ConfusionMatrix> InProcessSession::confusion(const ConfusionRequest& request,
                                                      const ProgressCallback& progress)
{
    if (stopped({}))
        return Error::cancelled();
    Expected<ReaderCache::Lease> reader = m_readers.acquire(request.path);
    if (!reader)
        return Error{reader.error()};
    DumpReader& dump = **reader;
    const int input = dump.indexOf(request.input);
    const int target = dump.indexOf(request.target);
    if (input < 0 || target < 0)
        return Error{QStringLiteral("%1: there is no tensor %2")
                         .arg(request.path, input < 0 ? request.input : request.target)};
    const Expected<std::vector<double>> weight = resolveWeight(dump, request.spec);
    if (!weight)
        return weight.failure();
    const PairJob job{input, target, request.layout, request.spec, *weight};
    const double total = double(std::max<qint64>(1, LossEngine::workFor(dump, job)));
    ProgressThrottle throttle(progress, 100);
    const QString message =
        QStringLiteral("Counting the confusion matrix of %1").arg(request.input);
    throttle.force(0, message);
    WorkerPool pool(0);
    return computeConfusion(dump, pool, job, [&](qint64 done) {
        return !stopped({}) && throttle.report(double(done) / total, message);
    });
}

} // namespace shapescope
