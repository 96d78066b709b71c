// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the NPZ reader (libzip's central directory and streams, our NPY member
// headers, slab reads through NpzEntry's forward stream) on arbitrary archives. The bytes are
// written to a memfd, which NpzReader opens by its /proc path like any file.
#include "formats/npzreader.h"

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace shapescope;

namespace {

// Tensors larger than this are listed but not read: an archive may declare any size, and
// the reader's own bounds are what the fuzzer tests, not the machine's memory.
constexpr qint64 maxReadBytes = qint64(4) << 20;

int archiveFd()
{
    static const int fd = memfd_create("fuzz.npz", MFD_CLOEXEC);
    return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const int fd = archiveFd();
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != ssize_t(size))
        __builtin_trap();
    static const QString path = QStringLiteral("/proc/self/fd/%1").arg(fd);
    Expected<std::unique_ptr<NpzReader>> reader = NpzReader::open(path);
    if (!reader)
        return 0;
    std::vector<double> values;
    for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
        const TensorInfo& tensor = (*reader)->tensors()[size_t(i)];
        const qint64 elements = tensor.elementCount();
        if (elements < 0 || elements * 8 > maxReadBytes)
            continue;
        values.resize(size_t(elements));
        // The whole tensor, then its last row and its first again: a read behind the stream's
        // position reopens it, one ahead skips forward.
        (void)(*reader)->readSlab(i, Slab::whole(tensor.shape), DType::Float64, values.data());
        if (!tensor.shape.empty() && tensor.shape[0] > 1) {
            const qint64 rows = tensor.shape[0];
            (void)(*reader)->readRows(i, rows - 1, 1, DType::Float64, values.data());
            (void)(*reader)->readRows(i, 0, 1, tensor.dtype, values.data());
        }
    }
    return 0;
}
