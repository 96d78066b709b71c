// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the torch.save reader. An input is either a whole archive (it starts with
// "PK": the zip container, the restricted unpickler, the storage and view checks and strided
// reads) or a bare data.pkl stream given straight to the unpickler and the tree layout, so that
// the interpreter is fuzzed without the zip layer in the way. Seeds are real torch.save files.
#include "formats/torchpickle.h"
#include "formats/torchsavereader.h"
#include "formats/torchsavetree.h"
#include "fuzzfile.h"

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace shapescope;

namespace {

void fuzzArchive(const std::uint8_t* data, std::size_t size)
{
    const QString path = fuzz::asFile("fuzz.pt", data, size);
    Expected<std::unique_ptr<TorchSaveReader>> reader = TorchSaveReader::open(path);
    if (!reader)
        return;
    std::vector<double> values;
    for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
        const TensorInfo& tensor = (*reader)->tensors()[size_t(i)];
        if (!fuzz::worthReading(tensor))
            continue;
        values.resize(size_t(tensor.elementCount()));
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
