#include "sessioncontroller.h"

#include "metatypes.h"

#include <QFuture>
#include <QMutex>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>

namespace shapescope {

struct SessionController::Job
{
    quint64 id = 0;
    JobKind kind = JobKind::Open;
    QString path;
    std::atomic_bool stop{false};

    QMutex mutex; // guards the progress below, written by the worker
    double fraction = -1;
    QString message;
    bool unseen = false;

    bool report(double value, const QString& text)
    {
        QMutexLocker lock(&mutex);
        fraction = value;
        message = text;
        unseen = true;
        return !stop.load(std::memory_order_relaxed);
    }
};

SessionController::SessionController(std::shared_ptr<Session> session, QObject* parent)
    : QObject(parent), m_session(std::move(session))
{
    registerMetaTypes();
    // An open and an analysis may overlap while a superseded job winds down.
    m_pool.setMaxThreadCount(3);
    m_pool.setObjectName(QStringLiteral("SessionController"));
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &SessionController::sampleProgress);
}

SessionController::~SessionController()
{
    // Running jobs see the stop flag within a progress interval; m_pool's destructor waits.
    if (m_job)
        m_job->stop = true;
}

quint64 SessionController::currentJob() const
{
    return m_job ? m_job->id : 0;
}

SessionController::JobKind SessionController::currentKind() const
{
    return m_job ? m_job->kind : JobKind::Open;
}

std::shared_ptr<SessionController::Job> SessionController::begin(JobKind kind, const QString& path)
{
    const bool wasBusy = isBusy();
    if (m_job)
        m_job->stop = true; // superseded: its result will not match the current id
    auto job = std::make_shared<Job>();
    job->id = ++m_lastId;
    job->kind = kind;
    job->path = path;
    m_job = job;
    m_progressTimer.start();
    Q_EMIT started(job->id, kind, path);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    return job;
}

bool SessionController::finish(const std::shared_ptr<Job>& job)
{
    if (job != m_job)
        return false;
    m_job.reset();
    m_progressTimer.stop();
    Q_EMIT busyChanged(false);
    return true;
}

template <typename T, typename Deliver>
void SessionController::whenDone(QFuture<Expected<T>> future, Deliver deliver)
{
    // Qt runs a continuation at once, in this thread, when the work finished before it was
    // attached. Posting it keeps one order for callers: open() and analyze() return first,
    // results come later from the event loop.
    future.then(this, [this, deliver](QFuture<Expected<T>> done) {
        auto value = std::make_shared<Expected<T>>(done.takeResult());
        QMetaObject::invokeMethod(
            this, [deliver, value] { deliver(std::move(*value)); }, Qt::QueuedConnection);
    });
}

quint64 SessionController::open(const QString& path)
{
    std::shared_ptr<Job> job = begin(JobKind::Open, path);
    job->report(-1, tr("Reading the metadata of %1").arg(path));
    sampleProgress();
    std::shared_ptr<Session> session = m_session;
    whenDone(QtConcurrent::run(&m_pool, [session, path] { return session->open(path); }),
             [this, job](Expected<DumpSummary> summary) {
                 if (!finish(job))
                     return; // superseded or cancelled: drop
                 if (summary.ok())
                     Q_EMIT opened(job->id, *summary);
                 else
                     Q_EMIT failed(job->id, job->path, summary.error());
             });
    return job->id;
}

quint64 SessionController::analyze(const AnalyzeRequest& request)
{
    std::shared_ptr<Job> job = begin(JobKind::Analyze, request.path);
    job->report(0, tr("Analyzing %1").arg(request.path));
    sampleProgress();
    std::shared_ptr<Session> session = m_session;
    auto work = [session, request, job] {
        return session->analyze(
            request, [job](double f, const QString& text) { return job->report(f, text); });
    };
    whenDone(QtConcurrent::run(&m_pool, work), [this, job](Expected<AnalysisResult> result) {
        if (!finish(job))
            return;
        if (result.ok())
            Q_EMIT analysisReady(job->id,
                                 std::make_shared<const AnalysisResult>(std::move(*result)));
        else if (job->stop)
            Q_EMIT cancelled(job->id, job->path);
        else
            Q_EMIT failed(job->id, job->path, result.error());
    });
    return job->id;
}

void SessionController::cancel()
{
    if (!m_job)
        return;
    std::shared_ptr<Job> job = m_job;
    job->stop = true;
    finish(job);
    Q_EMIT cancelled(job->id, job->path);
}

void SessionController::sampleProgress()
{
    if (!m_job)
        return;
    double fraction = 0;
    QString message;
    {
        QMutexLocker lock(&m_job->mutex);
        if (!m_job->unseen)
            return;
        m_job->unseen = false;
        fraction = m_job->fraction;
        message = m_job->message;
    }
    Q_EMIT progress(m_job->id, fraction, message);
}

} // namespace shapescope
