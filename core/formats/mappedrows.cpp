// SPDX-License-Identifier: GPL-3.0-or-later
#include "mappedrows.h"

#include <QFile>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shapescope {

MappedRows::MappedRows(void* base, qint64 length, const char* data, qint64 size)
    : m_base(base), m_length(length), m_data(data), m_size(size)
{}

MappedRows::~MappedRows()
{
    munmap(m_base, static_cast<size_t>(m_length));
}

std::unique_ptr<MappedRows> MappedRows::map(const QString& path, qint64 offset, qint64 size)
{
    if (offset < 0 || size <= 0)
        return nullptr;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nullptr;
    struct stat status
    {};
    const long page = sysconf(_SC_PAGESIZE);
    void* base = MAP_FAILED;
    const qint64 start = offset / page * page;
    const qint64 length = offset - start + size;
    if (fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && offset <= status.st_size &&
        size <= status.st_size - offset)
        base = mmap(nullptr, static_cast<size_t>(length), PROT_READ, MAP_PRIVATE, fd, start);
    ::close(fd); // the mapping keeps the file
    if (base == MAP_FAILED)
        return nullptr;
    madvise(base, static_cast<size_t>(length), MADV_SEQUENTIAL);
    return std::unique_ptr<MappedRows>(
        new MappedRows(base, length, static_cast<const char*>(base) + (offset - start), size));
}

void MappedRows::prefault() const
{
    const long page = sysconf(_SC_PAGESIZE);
    const auto* bytes = static_cast<const volatile char*>(m_base);
    char sink = 0;
    for (qint64 at = 0; at < m_length; at += page)
        sink = char(sink ^ bytes[at]);
    (void)sink;
}

} // namespace shapescope
