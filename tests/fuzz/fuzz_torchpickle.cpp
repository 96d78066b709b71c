// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the torch.save reader. An input is either a whole archive (it starts with
// "PK": the zip container, the restricted unpickler, the storage and view checks and strided
// reads) or a bare data.pkl stream given straight to the unpickler and the tree layout, so that
// the interpreter is fuzzed without the zip layer in the way. Seeds are real torch.save files.
#include "formats/torchpickle.h"
#include "formats/torchsavereader.h"
#include "formats/torchsavetree.h"

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace shapescope;

namespace {

constexpr qint64 maxReadBytes = qint64(4) << 20;

int archiveFd()
{
    static const int fd = memfd_create("fuzz.pt", MFD_CLOEXEC);
    return fd;
}

void fuzzArchive(const std::uint8_t* data, std::size_t size)
{
    const int fd = archiveFd();
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != ssize_t(size))
        __builtin_trap();
    static const QString path = QStringLiteral("/proc/self/fd/%1").arg(fd);
    Expected<std::unique_ptr<TorchSaveReader>> reader = TorchSaveReader::open(path);
    if (!reader)
        return;
    std::vector<double> values;
    for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
        const TensorInfo& tensor = (*reader)->tensors()[size_t(i)];
        const qint64 elements = tensor.elementCount();
        if (elements < 0 || elements * 8 > maxReadBytes)
            continue;
        values.resize(size_t(elements));
        (void)(*reader)->readSlab(i, Slab::whole(tensor.shape), DType::Float64, values.data());
        if (!tensor.shape.empty() && tensor.shape[0] > 1)
            (void)(*reader)->readRows(i, tensor.shape[0] - 1, 1, tensor.dtype, values.data());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzzArchive(data, size);
        return 0;
    }
    const QByteArray pickle(reinterpret_cast<const char*>(data), qsizetype(size));
    Expected<std::unique_ptr<torchpickle::Pickle>> loaded =
        torchpickle::load(pickle, QStringLiteral("fuzz"));
    if (loaded)
        (void)layOutPickle((*loaded)->root);
    return 0;
}
