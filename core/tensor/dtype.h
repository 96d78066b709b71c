// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <cstdint>
#include <optional>

namespace shapescope {

// The element types a dump may hold: numpy's numeric dtypes and torch's bfloat16. Names follow
// numpy (torch for bfloat16). New types go at the end: the values cross the worker's wire.
enum class DType : std::uint8_t
{
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float16,
    Float32,
    Float64,
    // torch.bfloat16, safetensors' BF16: the upper 16 bits of an IEEE float32, so it converts
    // to float32 exactly.
    BFloat16,
};

inline constexpr int dtypeCount = 13;

// How multi-byte elements are laid out in the file.
enum class ByteOrder : std::uint8_t
{
    Little,
    Big
};

QString dtypeName(DType type);                           // "float32", "int64", "bool"
std::optional<DType> dtypeFromName(const QString& name); // inverse of dtypeName
int dtypeSize(DType type);                               // bytes per element
bool isFloating(DType type);
bool isSignedInteger(DType type);
bool isUnsignedInteger(DType type);
inline bool isInteger(DType type)
{
    return isSignedInteger(type) || isUnsignedInteger(type);
}

ByteOrder nativeByteOrder();

} // namespace shapescope
