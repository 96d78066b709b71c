// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <type_traits>
#include <utility>

namespace shapescope {

// "Latest job wins": runs work off the GUI thread and hands its result to the context's thread
// only while no newer generation has begun. Every async view uses it (SessionController,
// SampleDetailLoader, TensorValuesPager), as hotspot's one JobTracker serves every page.
//
// A generation is one question (this file, this sample, this slice); supersede() begins the
// next, and the results of jobs started before are dropped when they arrive. Several jobs may
// share a generation (the pages of one slice).
//
// Results arrive through a QFutureWatcher owned by the context, not through
// QFuture::then(context, ...). Tried on Qt 6.4.2: a continuation whose context is destroyed
// before the work ends aborts with `ASSERT: "context"` (qfuture_impl.h:596), and a release build
// would hand a null context to invokeMethod; `then(this, ...)` is safe only while `this`
// outlives every job. The watcher is deleted with its context and never reports
// (tst_latestjob's contextDestroyedWhileRunning). It also never reports synchronously, so the
// call that starts a job always returns before its result arrives.
//
// Lives in the context (a member, or owned by it) and is used from the context's thread.
class LatestJob
{
public:
    explicit LatestJob(QObject* context) : m_context(context) {}

    // Begins a new generation and returns its id (1, 2, ...): no job started before delivers.
    quint64 supersede() { return ++m_current; }
    quint64 current() const { return m_current; }
    bool isCurrent(quint64 generation) const { return generation == m_current; }

    // Runs `work()` on `pool` (null: the global pool) within the current generation. On the
    // context's thread, once it ends: `deliver(result)` if the generation is still current, then
    // `settled()` in any case (for callers that count jobs in flight). Neither runs once the
    // context is destroyed.
    template <typename Work, typename Deliver, typename Settled>
    void run(QThreadPool* pool, Work work, Deliver deliver, Settled settled)
    {
        using Result = std::invoke_result_t<Work>;
        auto* watcher = new QFutureWatcher<Result>(m_context);
        const quint64 generation = m_current;
        QObject::connect(watcher, &QFutureWatcherBase::finished, m_context,
                         [this, watcher, generation, deliver = std::move(deliver),
                          settled = std::move(settled)]() mutable {
                             watcher->deleteLater();
                             if (isCurrent(generation))
                                 deliver(watcher->future().takeResult());
                             settled();
                         });
        watcher->setFuture(
            QtConcurrent::run(pool ? pool : QThreadPool::globalInstance(), std::move(work)));
    }

    template <typename Work, typename Deliver>
    void run(QThreadPool* pool, Work work, Deliver deliver)
    {
        run(pool, std::move(work), std::move(deliver), [] {});
    }

private:
    QObject* m_context;
    quint64 m_current = 0;
};

} // namespace shapescope
