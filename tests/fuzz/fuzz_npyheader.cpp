// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: NpyHeader::parse on arbitrary bytes, with the invariants callers rely on.
#include "formats/npyheader.h"

#include <cstddef>
#include <cstdint>

using namespace shapescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    // What a reader does: ask how much it needs from the first bytes, then parse that much.
    const qint64 needed = NpyHeader::bytesNeeded(bytes.left(NpyHeader::maxPreambleSize));
    if (needed < 0 || needed > NpyHeader::maxPreambleSize + NpyHeader::maxHeaderLength)
        __builtin_trap();
    const Expected<NpyHeader> header = NpyHeader::parse(bytes);
    if (!header) {
        if (header.error().isEmpty())
            __builtin_trap();
        return 0;
    }
    // A header that parses describes a consistent array within the bytes it came from.
    if (header->dataOffset() <= 0 || header->dataOffset() > qint64(size))
        __builtin_trap();
    if (header->elementCount() < 0 || header->dataBytes() < 0 ||
        header->dataBytes() != header->elementCount() * dtypeSize(header->dtype()))
        __builtin_trap();
    if (int(header->shape().size()) > NpyHeader::maxRank)
        __builtin_trap();
    if (checkedElementCount(header->shape()) != header->elementCount())
        __builtin_trap();
    (void)header->shapeText();
    (void)header->layoutText();
    (void)header->attributes();
    (void)header->dataSizeMismatch(qint64(size) - header->dataOffset());
    return 0;
}
