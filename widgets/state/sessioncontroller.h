// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "latestjob.h"
#include "session/session.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <memory>

namespace shapescope {

// Runs Session calls off the GUI thread, one current job at a time, and reports back through
// typed signals on the GUI thread.
//
// Starting a job supersedes the running one: that job is asked to stop (its progress callback
// returns false) and whatever it still returns is dropped by LatestJob, which delivers only the
// current generation's result. Workers never touch this object: they write their progress
// into a state they share with it, which a timer samples at 10 Hz, so a chatty analysis cannot
// flood the event loop and a destroyed controller leaves nothing dangling.
class SessionController : public QObject
{
    Q_OBJECT

public:
    enum class JobKind
    {
        Open,
        Analyze
    };
    Q_ENUM(JobKind)

    explicit SessionController(std::shared_ptr<Session> session, QObject* parent = nullptr);
    ~SessionController() override;

    // Reads the dump's metadata (fast: no tensor data).
    quint64 open(const QString& path);
    // Pairs, checks and computes the losses; reports progress and can be cancelled.
    quint64 analyze(const AnalyzeRequest& request);

    bool isBusy() const { return m_job != nullptr; }
    quint64 currentJob() const;
    JobKind currentKind() const;
    // For pages that read slices of tensors themselves (plots); thread-safe by contract.
    std::shared_ptr<Session> session() const { return m_session; }

public Q_SLOTS:
    // Stops the current job; `cancelled` is emitted at once and its result will be dropped.
    void cancel();

Q_SIGNALS:
    void started(quint64 job, shapescope::SessionController::JobKind kind, const QString& path);
    // fraction in [0, 1], or negative while the amount of work is not known yet.
    void progress(quint64 job, double fraction, const QString& message);
    void opened(quint64 job, const shapescope::DumpSummary& summary);
    // Shared and immutable: pages keep it without copying per-sample values of millions of rows.
    void analysisReady(quint64 job, std::shared_ptr<const shapescope::AnalysisResult> result);
    void failed(quint64 job, const QString& path, const QString& message);
    void cancelled(quint64 job, const QString& path);
    void busyChanged(bool busy);

private:
    struct Job;

    std::shared_ptr<Job> begin(JobKind kind, const QString& path);
    // The current job ended (delivered or cancelled).
    void finish();
    void sampleProgress();

    std::shared_ptr<Session> m_session;
    std::shared_ptr<Job> m_job;
    LatestJob m_latest{this};
    QTimer m_progressTimer;
    // Own pool: the analysis blocks its thread for seconds, and must not starve QtConcurrent
    // users of the global pool (the loss engine has its own workers).
    QThreadPool m_pool;
};

} // namespace shapescope
