// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessioncontroller.h"

#include "metatypes.h"

#include <QMutex>
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
        m_job->stop = true; // superseded: LatestJob drops what it still returns
    auto job = std::make_shared<Job>();
    job->id = m_latest.supersede();
    job->kind = kind;
    job->path = path;
    m_job = job;
    m_progressTimer.start();
    Q_EMIT started(job->id, kind, path);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    return job;
}

void SessionController::finish()
{
    m_job.reset();
    m_progressTimer.stop();
    Q_EMIT busyChanged(false);
}

quint64 SessionController::open(const QString& path)
{
    std::shared_ptr<Job> job = begin(JobKind::Open, path);
    job->report(-1, tr("Reading the metadata of %1").arg(path));
    sampleProgress();
    std::shared_ptr<Session> session = m_session;
    m_latest.run(
        &m_pool, [session, path] { return session->open(path); },
        [this, job](Expected<DumpSummary> summary) {
            finish();
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
    m_latest.run(&m_pool, work, [this, job](Expected<AnalysisResult> result) {
        finish();
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
    m_latest.supersede(); // whatever the job still returns is dropped
    finish();
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
