// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QThreadPool>
#include <functional>

namespace shapescope {

// Runs indexed work items on a fixed set of threads. Items are handed out dynamically, but each
// item's result goes to its own slot and is combined by the caller in item order, so results
// never depend on the thread count or on scheduling.
class WorkerPool
{
public:
    // threads <= 0 means QThread::idealThreadCount().
    explicit WorkerPool(int threads);
    ~WorkerPool();

    int threadCount() const { return m_threads; }

    // Calls work(item) for every item in [0, count), on the pool and the calling thread, and
    // returns when all are done.
    void forEach(qint64 count, const std::function<void(qint64 item)>& work);

    // A single-thread lane for background I/O (read-ahead) beside the compute threads.
    QThreadPool& ioLane() { return m_io; }

private:
    int m_threads;
    QThreadPool m_pool;
    QThreadPool m_io;
};

} // namespace shapescope
