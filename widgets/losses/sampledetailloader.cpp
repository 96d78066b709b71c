#include "sampledetailloader.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace shapescope {

namespace {

struct LoadResult
{
    quint64 job = 0;
    int pair = -1;
    qint64 sample = 0;
    std::shared_ptr<const SampleDetail> detail;
    QString error;
};

} // namespace

SampleDetailLoader::SampleDetailLoader(QObject* parent) : QObject(parent) {}

SampleDetailLoader::~SampleDetailLoader() = default;

SlabReader SampleDetailLoader::sessionReader(std::shared_ptr<Session> session,
                                             const QString& dumpPath)
{
    return [session, dumpPath](const QString& tensor, const Slab& slab,
                               DType* sourceType) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session->readSlice(SliceRequest{dumpPath, tensor, slab});
        if (!slice)
            return Error{slice.error()};
        if (sourceType)
            *sourceType = slice->sourceType;
        return std::move(slice->values);
    };
}

void SampleDetailLoader::setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                                   std::shared_ptr<const AnalysisResult> result)
{
    cancel();
    m_session = std::move(session);
    m_dumpPath = dumpPath;
    m_result = std::move(result);
}

void SampleDetailLoader::cancel()
{
    ++m_job;
    m_loading = false;
}

void SampleDetailLoader::load(int pair, const SampleSelection& selection)
{
    const quint64 job = ++m_job;
    if (!m_session || !m_result) {
        Q_EMIT failed(pair, selection.sample, tr("No dump is open"));
        return;
    }
    m_loading = true;
    // A watcher owned by this loader, not QFuture::then(this, ...): Qt 6.4 asserts when a
    // continuation's context is destroyed before the work finishes (an inspector closed while
    // reading); a destroyed watcher simply never reports.
    auto* watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const LoadResult out = watcher->result();
        watcher->deleteLater();
        if (out.job != m_job)
            return; // another sample was asked for meanwhile
        m_loading = false;
        if (out.detail)
            Q_EMIT loaded(out.detail);
        else
            Q_EMIT failed(out.pair, out.sample, out.error);
    });
    watcher->setFuture(QtConcurrent::run(
        [job, pair, selection, result = m_result, read = sessionReader(m_session, m_dumpPath)] {
            LoadResult out;
            out.job = job;
            out.pair = pair;
            out.sample = selection.sample;
            Expected<SampleDetail> detail = readSampleDetail(*result, pair, selection, read);
            if (detail)
                out.detail = std::make_shared<const SampleDetail>(std::move(*detail));
            else
                out.error = detail.error();
            return out;
        }));
}

} // namespace shapescope
