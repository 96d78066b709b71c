// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the NPZ reader (libzip's central directory and streams, our NPY member
// headers, slab reads through NpzEntry's forward stream) on arbitrary archives. The bytes are
// written to a memfd, which NpzReader opens by its /proc path like any file.
#include "formats/npzreader.h"
#include "fuzzfile.h"

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace shapescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString path = fuzz::asFile("fuzz.npz", data, size);
    Expected<std::unique_ptr<NpzReader>> reader = NpzReader::open(path);
    if (!reader)
        return 0;
    std::vector<double> values;
    for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
        const TensorInfo& tensor = (*reader)->tensors()[size_t(i)];
        if (!fuzz::worthReading(tensor))
            continue;
        values.resize(size_t(tensor.elementCount()));
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
