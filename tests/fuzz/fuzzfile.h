// SPDX-License-Identifier: GPL-3.0-or-later
// What the file-reader fuzz targets share: the fuzzer's bytes as a file, and the size above which
// a listed tensor is not read.
#pragma once

#include "tensor/tensorinfo.h"

#include <QString>
#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace shapescope::fuzz {

// The bytes are written to one memfd per target, which a reader opens by its /proc path like any
// file. The same path every run, so the reader's path handling is not what varies.
inline QString asFile(const char* name, const std::uint8_t* data, std::size_t size)
{
    static const int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != ssize_t(size))
        __builtin_trap();
    static const QString path = QStringLiteral("/proc/self/fd/%1").arg(fd);
    return path;
}

// A file may declare any size: tensors above 4 MiB as float64 are listed but not read, because
// the reader's own bounds are what the fuzzer tests, not the machine's memory.
inline bool worthReading(const TensorInfo& tensor)
{
    constexpr qint64 maxReadBytes = qint64(4) << 20;
    const qint64 elements = tensor.elementCount();
    return elements >= 0 && elements * 8 <= maxReadBytes;
}

} // namespace shapescope::fuzz
