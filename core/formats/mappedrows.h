// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <memory>

namespace shapescope {

// A read-only view of bytes [offset, offset + size) of a file, straight from the page cache
// (mmap, private, read-only): the rows of an uncompressed tensor without a copy. Unmapped when
// destroyed, so a reader streaming a large tensor keeps only the rows it is working on mapped
// and resident. A file shrunk by another program while mapped raises SIGBUS on access; that
// is why mapped reading happens in the worker process (isolation), whose crash is contained.
class MappedRows
{
public:
    // nullptr when the range cannot be mapped (no such file, a range beyond its end, mmap failed).
    static std::unique_ptr<MappedRows> map(const QString& path, qint64 offset, qint64 size);
    ~MappedRows();
    MappedRows(const MappedRows&) = delete;
    MappedRows& operator=(const MappedRows&) = delete;

    const void* data() const { return m_data; }
    qint64 size() const { return m_size; }
    // Touches every page, so that the page cache and the page tables hold the range before the
    // threads that compute on it get there (the reading thread takes the faults, and the disk
    // reads of a cold file, while the others compute on the previous chunk).
    void prefault() const;

private:
    MappedRows(void* base, qint64 length, const char* data, qint64 size);

    void* m_base;
    qint64 m_length;
    const char* m_data;
    qint64 m_size;
};

} // namespace shapescope
