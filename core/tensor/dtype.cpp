// SPDX-License-Identifier: GPL-3.0-or-later
#include "dtype.h"

#include <QSysInfo>
#include <array>

namespace shapescope {

namespace {

struct DTypeTraits
{
    const char* name;
    int size;
};

constexpr std::array<DTypeTraits, dtypeCount> traits = {{
    {"bool", 1},
    {"int8", 1},
    {"int16", 2},
    {"int32", 4},
    {"int64", 8},
    {"uint8", 1},
    {"uint16", 2},
    {"uint32", 4},
    {"uint64", 8},
    {"float16", 2},
    {"float32", 4},
    {"float64", 8},
    {"bfloat16", 2},
}};

} // namespace

QString dtypeName(DType type)
{
    return QString::fromLatin1(traits[static_cast<int>(type)].name);
}

std::optional<DType> dtypeFromName(const QString& name)
{
    for (int i = 0; i < dtypeCount; ++i) {
        if (name == QLatin1String(traits[i].name))
            return static_cast<DType>(i);
    }
    return std::nullopt;
}

int dtypeSize(DType type)
{
    return traits[static_cast<int>(type)].size;
}

bool isFloating(DType type)
{
    return type == DType::Float16 || type == DType::Float32 || type == DType::Float64 ||
           type == DType::BFloat16;
}

bool isSignedInteger(DType type)
{
    return type == DType::Int8 || type == DType::Int16 || type == DType::Int32 ||
           type == DType::Int64;
}

bool isUnsignedInteger(DType type)
{
    return type == DType::UInt8 || type == DType::UInt16 || type == DType::UInt32 ||
           type == DType::UInt64;
}

ByteOrder nativeByteOrder()
{
    return QSysInfo::ByteOrder == QSysInfo::LittleEndian ? ByteOrder::Little : ByteOrder::Big;
}

} // namespace shapescope
