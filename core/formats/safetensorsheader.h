// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/tensorinfo.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace shapescope {

// One tensor a safetensors header declares, checked against the data it points at.
struct SafetensorsEntry
{
    QString name;      // the header's key: "batch_0000/logits", "model.embed.weight"
    QString dtypeName; // as stored: "F32", "BF16", "F8_E4M3"
    // The element type ShapeScope reads it as; empty when `unsupported` says why not.
    std::optional<DType> dtype;
    QString unsupported;
    Shape shape;
    qint64 elementCount = 0;
    qint64 begin = 0; // byte offsets into the data that follows the header
    qint64 end = 0;
};

// The header of a safetensors file (huggingface/safetensors): an 8-byte little-endian length N,
// N bytes of JSON {"name": {"dtype": "F32", "shape": [4, 10], "data_offsets": [begin, end]},
// ..., "__metadata__": {"key": "text"}}, then the raw little-endian C-order data, which the
// offsets index from its first byte.
//
// Pure functions of the bytes they are given, so a fuzzer can call them. Everything is checked
// before any data is read: the length against the limit and the file, the JSON, every dtype
// name, every shape against its byte range, every range inside the data and no two ranges
// overlapping. Messages name no file; callers prefix it.
class SafetensorsHeader
{
public:
    // The safetensors library's own limit (MAX_HEADER_SIZE): a longer header is refused.
    static constexpr qint64 maxHeaderBytes = 100'000'000;
    static constexpr qint64 preambleBytes = 8;
    static constexpr int maxRank = 64;

    // The header length from the file's first 8 bytes, checked against the limit and the
    // `fileSize`.
    static Expected<qint64> headerLength(const QByteArray& preamble, qint64 fileSize);
    // Parses and validates the JSON header; `dataBytes` is what the file holds after it.
    static Expected<SafetensorsHeader> parse(const QByteArray& json, qint64 dataBytes);

    // Sorted by name (natural order).
    const std::vector<SafetensorsEntry>& entries() const { return m_entries; }
    // `__metadata__`, as string attributes.
    const std::vector<Attribute>& metadata() const { return m_metadata; }
    // Bytes of the data no tensor covers (the safetensors library refuses such files; they
    // lose nothing here, so they are a note), one sentence each.
    const QStringList& notes() const { return m_notes; }

private:
    std::vector<SafetensorsEntry> m_entries;
    std::vector<Attribute> m_metadata;
    QStringList m_notes;
};

} // namespace shapescope
