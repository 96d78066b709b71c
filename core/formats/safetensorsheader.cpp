// SPDX-License-Identifier: GPL-3.0-or-later
#include "safetensorsheader.h"

#include "common/naturalsort.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <algorithm>
#include <array>
#include <limits>

namespace shapescope {

namespace {

struct StoredType
{
    const char* name; // safetensors' spelling
    int bits;
    const char* readAs; // a dtypeName(), or nullptr when `why` says why not
    const char* why;
};

// The dtypes of safetensors 0.4-0.8 (its Dtype enum). ShapeScope's types are looked up by name,
// so a type the build lacks (bfloat16 before its reader existed) is listed with a reason.
constexpr std::array<StoredType, 20> storedTypes = {{
    {"BOOL", 8, "bool", nullptr},
    {"U8", 8, "uint8", nullptr},
    {"I8", 8, "int8", nullptr},
    {"I16", 16, "int16", nullptr},
    {"U16", 16, "uint16", nullptr},
    {"I32", 32, "int32", nullptr},
    {"U32", 32, "uint32", nullptr},
    {"I64", 64, "int64", nullptr},
    {"U64", 64, "uint64", nullptr},
    {"F16", 16, "float16", nullptr},
    {"BF16", 16, "bfloat16", nullptr},
    {"F32", 32, "float32", nullptr},
    {"F64", 64, "float64", nullptr},
    {"F8_E4M3", 8, nullptr, "8-bit floats (FP8) are not supported: no loss reads them"},
    {"F8_E5M2", 8, nullptr, "8-bit floats (FP8) are not supported: no loss reads them"},
    {"F8_E8M0", 8, nullptr, "8-bit scales (FP8 E8M0) are not supported: no loss reads them"},
    {"F6_E2M3", 6, nullptr, "6-bit floats are not supported: no loss reads them"},
    {"F6_E3M2", 6, nullptr, "6-bit floats are not supported: no loss reads them"},
    {"F4", 4, nullptr, "4-bit floats are not supported: no loss reads them"},
    {"C64", 64, nullptr, "complex numbers are not supported: no loss reads them"},
}};

const StoredType* findStoredType(const QString& name)
{
    for (const StoredType& type : storedTypes) {
        if (name == QLatin1String(type.name))
            return &type;
    }
    return nullptr;
}

// A JSON number that is a whole, non-negative qint64 (QJsonValue keeps integers exact).
std::optional<qint64> count(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    const qint64 n = value.toInteger(-1);
    if (n < 0 || double(n) != value.toDouble())
        return std::nullopt;
    return n;
}

QString rangeText(qint64 begin, qint64 end)
{
    return QStringLiteral("[%1, %2]").arg(begin).arg(end);
}

Expected<SafetensorsEntry> parseEntry(const QString& name, const QJsonValue& value,
                                      qint64 dataBytes)
{
    const auto bad = [&](const QString& what) {
        return Error{QStringLiteral("tensor \"%1\": %2").arg(name, what)};
    };
    if (name.isEmpty())
        return Error{QStringLiteral("a tensor has an empty name")};
    if (!value.isObject())
        return bad(QStringLiteral("its entry is not a JSON object"));
    const QJsonObject object = value.toObject();
    SafetensorsEntry entry;
    entry.name = name;
    entry.dtypeName = object.value(QLatin1String("dtype")).toString();
    const StoredType* type = findStoredType(entry.dtypeName);
    if (!type) {
        return bad(QStringLiteral("unknown dtype \"%1\"; safetensors defines BOOL, U8, I8, I16, "
                                  "U16, I32, U32, I64, U64, F16, BF16, F32, F64 and the F8, F6, F4 "
                                  "and C64 types")
                       .arg(entry.dtypeName));
    }
    const QJsonValue shape = object.value(QLatin1String("shape"));
    if (!shape.isArray() || shape.toArray().size() > SafetensorsHeader::maxRank)
        return bad(QStringLiteral("\"shape\" is not a list of at most 64 sizes"));
    for (const QJsonValue extent : shape.toArray()) {
        const std::optional<qint64> n = count(extent);
        if (!n)
            return bad(QStringLiteral("\"shape\" holds something other than a size"));
        entry.shape.push_back(*n);
    }
    const QJsonArray offsets = object.value(QLatin1String("data_offsets")).toArray();
    const std::optional<qint64> begin = offsets.size() == 2 ? count(offsets[0]) : std::nullopt;
    const std::optional<qint64> end = offsets.size() == 2 ? count(offsets[1]) : std::nullopt;
    if (!begin || !end || *end < *begin)
        return bad(QStringLiteral("\"data_offsets\" is not a pair [begin, end] of byte offsets"));
    entry.begin = *begin;
    entry.end = *end;
    entry.elementCount = checkedElementCount(entry.shape);
    if (entry.elementCount < 0 ||
        entry.elementCount > std::numeric_limits<qint64>::max() / type->bits)
        return bad(QStringLiteral("shape %1 has more elements than a file can hold")
                       .arg(shapeToString(entry.shape)));
    const qint64 bits = entry.elementCount * type->bits;
    if (bits % 8 != 0 || bits / 8 != entry.end - entry.begin) {
        return bad(
            QStringLiteral("shape %1 %2 needs %3 bytes, but data_offsets %4 hold %5")
                .arg(shapeToString(entry.shape), entry.dtypeName,
                     bits % 8 ? QStringLiteral("%1 bits").arg(bits) : QString::number(bits / 8),
                     rangeText(entry.begin, entry.end))
                .arg(entry.end - entry.begin));
    }
    if (entry.end > dataBytes) {
        return bad(QStringLiteral("data_offsets %1 end past the data, which holds %2 bytes; the "
                                  "file is truncated or damaged")
                       .arg(rangeText(entry.begin, entry.end))
                       .arg(dataBytes));
    }
    if (type->readAs)
        entry.dtype = dtypeFromName(QLatin1String(type->readAs));
    if (!entry.dtype) {
        entry.unsupported = type->why ? QLatin1String(type->why)
                                      : QStringLiteral("%1 is not a type this build of ShapeScope "
                                                       "reads")
                                            .arg(QLatin1String(type->readAs));
    }
    return entry;
}

QString jsonText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.isDouble() ? QString::number(value.toDouble()) : QStringLiteral("null");
}

std::vector<Attribute> parseMetadata(const QJsonObject& object)
{
    // The format wants strings; anything else is shown as its JSON text, not dropped.
    std::vector<Attribute> attributes;
    for (auto it = object.begin(); it != object.end(); ++it)
        attributes.push_back({it.key(), QStringLiteral("string"), jsonText(it.value())});
    return attributes;
}

// No two byte ranges may share a byte; uncovered bytes become notes.
Status checkRanges(const std::vector<SafetensorsEntry>& entries, qint64 dataBytes,
                   QStringList& notes)
{
    std::vector<const SafetensorsEntry*> byOffset;
    for (const SafetensorsEntry& entry : entries) {
        if (entry.end > entry.begin)
            byOffset.push_back(&entry);
    }
    std::sort(byOffset.begin(), byOffset.end(), [](const auto* a, const auto* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    qint64 covered = 0;
    const SafetensorsEntry* previous = nullptr;
    for (const SafetensorsEntry* entry : byOffset) {
        if (previous && entry->begin < previous->end) {
            return Error{QStringLiteral("tensor \"%1\": data_offsets %2 overlap those of tensor "
                                        "\"%3\" %4")
                             .arg(entry->name, rangeText(entry->begin, entry->end), previous->name,
                                  rangeText(previous->begin, previous->end))};
        }
        if (entry->begin > covered) {
            notes << QStringLiteral("data bytes %1 to %2 belong to no tensor and are ignored")
                         .arg(covered)
                         .arg(entry->begin);
        }
        covered = entry->end;
        previous = entry;
    }
    if (dataBytes > covered) {
        notes << QStringLiteral("%1 bytes after the last tensor's data are ignored")
                     .arg(dataBytes - covered);
    }
    return Status::success();
}

} // namespace

Expected<qint64> SafetensorsHeader::headerLength(const QByteArray& preamble, qint64 fileSize)
{
    if (preamble.size() < preambleBytes || fileSize < preambleBytes)
        return Error{QStringLiteral("the file is shorter than the 8-byte header length")};
    quint64 length = 0;
    for (int i = preambleBytes - 1; i >= 0; --i)
        length = length << 8 | quint8(preamble[i]);
    if (length > quint64(maxHeaderBytes)) {
        return Error{QStringLiteral("the header length %1 is over the safetensors limit of "
                                    "%2 bytes")
                         .arg(length)
                         .arg(maxHeaderBytes)};
    }
    if (qint64(length) > fileSize - preambleBytes) {
        return Error{QStringLiteral("the header length %1 is more than the %2 bytes that follow; "
                                    "the file is truncated or not a safetensors file")
                         .arg(length)
                         .arg(fileSize - preambleBytes)};
    }
    return qint64(length);
}

Expected<SafetensorsHeader> SafetensorsHeader::parse(const QByteArray& json, qint64 dataBytes)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return Error{QStringLiteral("the JSON header is invalid at byte %1: %2")
                         .arg(error.offset)
                         .arg(error.errorString())};
    }
    if (!document.isObject())
        return Error{QStringLiteral("the JSON header is not an object")};
    const QJsonObject object = document.object();
    SafetensorsHeader header;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__")) {
            if (!it.value().isObject())
                return Error{QStringLiteral("\"__metadata__\" is not a JSON object")};
            header.m_metadata = parseMetadata(it.value().toObject());
            continue;
        }
        Expected<SafetensorsEntry> entry = parseEntry(it.key(), it.value(), dataBytes);
        if (!entry)
            return Error{entry.error()};
        header.m_entries.push_back(std::move(entry).value());
    }
    if (Status ranges = checkRanges(header.m_entries, dataBytes, header.m_notes); !ranges)
        return ranges.failure();
    std::sort(header.m_entries.begin(), header.m_entries.end(),
              [](const auto& a, const auto& b) { return naturalLess(a.name, b.name); });
    return header;
}

} // namespace shapescope
