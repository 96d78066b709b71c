// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the safetensors reader (header length, JSON header, dtype, shape and offset
// checks, slab reads and in-place mappings of what passed them) on arbitrary files. The bytes are
// written to a memfd, which SafetensorsReader opens by its /proc path like any file.
#include "formats/safetensorsreader.h"
#include "fuzzfile.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace shapescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString path = fuzz::asFile("fuzz.safetensors", data, size);
    Expected<std::unique_ptr<SafetensorsReader>> reader = SafetensorsReader::open(path);
    if (!reader)
        return 0;
    std::vector<double> values;
    std::vector<char> raw;
    for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
        const TensorInfo& tensor = (*reader)->tensors()[size_t(i)];
        if (!fuzz::worthReading(tensor))
            continue;
        values.resize(size_t(tensor.elementCount()));
        if (!(*reader)->readSlab(i, Slab::whole(tensor.shape), DType::Float64, values.data()))
            __builtin_trap(); // offsets were checked against the file at open
        if (tensor.shape.empty() || tensor.shape[0] == 0)
            continue;
        // A mapping must hold what a read of the same rows gives.
        if (auto rows = (*reader)->mapRows(i, 0, tensor.shape[0], tensor.dtype)) {
            raw.resize(size_t(rows->size()));
            if (!(*reader)->readRows(i, 0, tensor.shape[0], tensor.dtype, raw.data()) ||
                std::memcmp(raw.data(), rows->data(), raw.size()) != 0)
                __builtin_trap();
        }
    }
    return 0;
}
