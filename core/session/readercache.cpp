// SPDX-License-Identifier: GPL-3.0-or-later
#include "readercache.h"

#include <QFileInfo>

namespace shapescope {

ReaderCache::Lease::Lease(ReaderCache* cache, std::unique_ptr<DumpReader> reader, QDateTime stamp,
                          qint64 size)
    : m_cache(cache), m_reader(std::move(reader)), m_stamp(std::move(stamp)), m_size(size)
{}

ReaderCache::Lease::~Lease()
{
    if (m_cache && m_reader)
        m_cache->release(std::move(m_reader), m_stamp, m_size);
}

Expected<ReaderCache::Lease> ReaderCache::acquire(const QString& path)
{
    const QFileInfo info(path);
    const QDateTime stamp = info.lastModified();
    const qint64 size = info.isDir() ? 0 : info.size();
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
            if (it->reader->filePath() != path)
                continue;
            if (it->stamp == stamp && it->size == size) {
                Lease lease(this, std::move(it->reader), stamp, size);
                m_idle.erase(it);
                m_current = path;
                return lease;
            }
        }
        // Dropped: stale readers of a rewritten file, and readers of files no longer shown
        // (an open file is one the user's training script may be rewriting).
        m_idle.clear();
        m_current = path;
    }
    Expected<std::unique_ptr<DumpReader>> opened = openDump(path);
    if (!opened)
        return Error{opened.error()};
    return Lease(this, std::move(opened).value(), stamp, size);
}

void ReaderCache::release(std::unique_ptr<DumpReader> reader, const QDateTime& stamp, qint64 size)
{
    QMutexLocker lock(&m_mutex);
    if (reader->filePath() != m_current)
        return; // a file another acquire has moved on from: closed now
    m_idle.push_back(Idle{std::move(reader), stamp, size});
    if (m_idle.size() > kMaxIdle)
        m_idle.erase(m_idle.begin());
}

} // namespace shapescope
