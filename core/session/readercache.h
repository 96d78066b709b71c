// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "formats/dumpreader.h"

#include <QDateTime>
#include <QMutex>
#include <memory>
#include <vector>

namespace shapescope {

// Keeps opened readers for reuse: opening an HDF5 file with thousands of groups costs more
// than a value-table page. A reader is lent to one caller at a time; a second concurrent
// caller gets a reader of its own. A file changed on disk (size or time) is reopened. Only the
// file acquired last is kept open: the viewer never holds on to a dump the user has left.
class ReaderCache
{
public:
    class Lease
    {
    public:
        Lease(ReaderCache* cache, std::unique_ptr<DumpReader> reader, QDateTime stamp, qint64 size);
        Lease(Lease&&) = default;
        ~Lease();
        DumpReader& operator*() const { return *m_reader; }
        DumpReader* operator->() const { return m_reader.get(); }

    private:
        ReaderCache* m_cache;
        std::unique_ptr<DumpReader> m_reader;
        QDateTime m_stamp;
        qint64 m_size;
    };

    Expected<Lease> acquire(const QString& path);

private:
    struct Idle
    {
        std::unique_ptr<DumpReader> reader;
        QDateTime stamp;
        qint64 size = 0;
    };
    void release(std::unique_ptr<DumpReader> reader, const QDateTime& stamp, qint64 size);

    QMutex m_mutex;
    std::vector<Idle> m_idle;
    QString m_current; // the path acquired last
    static constexpr size_t kMaxIdle = 4;
};

} // namespace shapescope
