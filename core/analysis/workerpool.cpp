// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerpool.h"

#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <vector>

namespace shapescope {

WorkerPool::WorkerPool(int threads)
    : m_threads(threads > 0 ? threads : std::max(1, QThread::idealThreadCount()))
{
    m_pool.setMaxThreadCount(std::max(1, m_threads - 1));
    m_io.setMaxThreadCount(1);
}

WorkerPool::~WorkerPool()
{
    m_pool.waitForDone();
    m_io.waitForDone();
}

void WorkerPool::forEach(qint64 count, const std::function<void(qint64 item)>& work)
{
    if (count <= 0)
        return;
    std::atomic<qint64> next{0};
    auto drain = [&] {
        for (qint64 item = next.fetch_add(1); item < count; item = next.fetch_add(1))
            work(item);
    };
    const int helpers = static_cast<int>(std::min<qint64>(m_threads - 1, count - 1));
    std::vector<QFuture<void>> running;
    running.reserve(helpers);
    for (int i = 0; i < helpers; ++i)
        running.push_back(QtConcurrent::run(&m_pool, drain));
    drain();
    for (QFuture<void>& future : running)
        future.waitForFinished();
}

} // namespace shapescope
