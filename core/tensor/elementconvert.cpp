// SPDX-License-Identifier: GPL-3.0-or-later
#include "elementconvert.h"

#include <QFloat16>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace shapescope {

namespace {

// bfloat16 is the upper half of an IEEE float32: widening shifts the bits back, exactly.
// Narrowing rounds to nearest even, as c10::BFloat16(float) does, and keeps a NaN a NaN.
struct BFloat16Bits
{
    std::uint16_t bits;
};

float bfloat16ToFloat(BFloat16Bits value)
{
    const std::uint32_t bits = std::uint32_t(value.bits) << 16;
    float result;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

BFloat16Bits floatToBFloat16(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    if (std::isnan(value))
        return {std::uint16_t((bits >> 16) | 0x0040)};
    const std::uint32_t roundingBias = 0x7FFF + ((bits >> 16) & 1);
    return {std::uint16_t((bits + roundingBias) >> 16)};
}

// Maps DType to the C++ type that stores it.
template <DType D> struct Storage;
template <> struct Storage<DType::Bool>
{
    using type = std::uint8_t;
};
template <> struct Storage<DType::Int8>
{
    using type = std::int8_t;
};
template <> struct Storage<DType::Int16>
{
    using type = std::int16_t;
};
template <> struct Storage<DType::Int32>
{
    using type = std::int32_t;
};
template <> struct Storage<DType::Int64>
{
    using type = std::int64_t;
};
template <> struct Storage<DType::UInt8>
{
    using type = std::uint8_t;
};
template <> struct Storage<DType::UInt16>
{
    using type = std::uint16_t;
};
template <> struct Storage<DType::UInt32>
{
    using type = std::uint32_t;
};
template <> struct Storage<DType::UInt64>
{
    using type = std::uint64_t;
};
template <> struct Storage<DType::Float16>
{
    using type = qfloat16;
};
template <> struct Storage<DType::Float32>
{
    using type = float;
};
template <> struct Storage<DType::Float64>
{
    using type = double;
};
template <> struct Storage<DType::BFloat16>
{
    using type = BFloat16Bits;
};

template <typename T> T loadSwapped(const unsigned char* p, bool swap)
{
    unsigned char bytes[sizeof(T)];
    if (swap) {
        for (size_t i = 0; i < sizeof(T); ++i)
            bytes[i] = p[sizeof(T) - 1 - i];
    } else {
        std::memcpy(bytes, p, sizeof(T));
    }
    T value;
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

// Widens any stored value to the type used for arithmetic on it.
template <typename T> auto widen(T v)
{
    if constexpr (std::is_same_v<T, qfloat16>)
        return static_cast<float>(v);
    else if constexpr (std::is_same_v<T, BFloat16Bits>)
        return bfloat16ToFloat(v);
    else
        return v;
}

template <typename To, typename From> To castValue(From v)
{
    if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
        if (std::isnan(v))
            return To(0);
        // Compare in long double so the limits are exact for 64-bit integers.
        const long double x = static_cast<long double>(v);
        if (x <= static_cast<long double>(std::numeric_limits<To>::min()))
            return std::numeric_limits<To>::min();
        if (x >= static_cast<long double>(std::numeric_limits<To>::max()))
            return std::numeric_limits<To>::max();
        return static_cast<To>(v);
    } else if constexpr (std::is_same_v<To, qfloat16>) {
        return qfloat16(static_cast<float>(v));
    } else if constexpr (std::is_same_v<To, BFloat16Bits>) {
        // A double goes through float first, as torch's double -> bfloat16 does.
        return floatToBFloat16(static_cast<float>(v));
    } else {
        return static_cast<To>(v);
    }
}

template <DType From, DType To>
void convertTyped(const unsigned char* src, bool swap, unsigned char* dst, qint64 count)
{
    using F = typename Storage<From>::type;
    using T = typename Storage<To>::type;
    T* out = reinterpret_cast<T*>(dst);
    for (qint64 i = 0; i < count; ++i) {
        const F raw = loadSwapped<F>(src + i * sizeof(F), swap);
        if constexpr (From == DType::Bool) {
            out[i] = castValue<T>(raw != 0 ? 1 : 0);
        } else if constexpr (To == DType::Bool) {
            out[i] = widen(raw) != 0 ? 1 : 0;
        } else {
            out[i] = castValue<T>(widen(raw));
        }
    }
}

template <DType From>
void convertFrom(const unsigned char* src, bool swap, unsigned char* dst, DType to, qint64 count)
{
    switch (to) {
    case DType::Bool:
        return convertTyped<From, DType::Bool>(src, swap, dst, count);
    case DType::Int8:
        return convertTyped<From, DType::Int8>(src, swap, dst, count);
    case DType::Int16:
        return convertTyped<From, DType::Int16>(src, swap, dst, count);
    case DType::Int32:
        return convertTyped<From, DType::Int32>(src, swap, dst, count);
    case DType::Int64:
        return convertTyped<From, DType::Int64>(src, swap, dst, count);
    case DType::UInt8:
        return convertTyped<From, DType::UInt8>(src, swap, dst, count);
    case DType::UInt16:
        return convertTyped<From, DType::UInt16>(src, swap, dst, count);
    case DType::UInt32:
        return convertTyped<From, DType::UInt32>(src, swap, dst, count);
    case DType::UInt64:
        return convertTyped<From, DType::UInt64>(src, swap, dst, count);
    case DType::Float16:
        return convertTyped<From, DType::Float16>(src, swap, dst, count);
    case DType::Float32:
        return convertTyped<From, DType::Float32>(src, swap, dst, count);
    case DType::Float64:
        return convertTyped<From, DType::Float64>(src, swap, dst, count);
    case DType::BFloat16:
        return convertTyped<From, DType::BFloat16>(src, swap, dst, count);
    }
}

} // namespace

void convertElements(const void* src, DType from, ByteOrder order, void* dst, DType to,
                     qint64 count)
{
    const auto* in = static_cast<const unsigned char*>(src);
    auto* out = static_cast<unsigned char*>(dst);
    const int size = dtypeSize(from);
    const bool swap = size > 1 && order != nativeByteOrder();
    if (from == to && from != DType::Bool) {
        if (in != out)
            std::memcpy(out, in, static_cast<size_t>(count) * size);
        if (swap)
            swapBytesInPlace(out, size, count);
        return;
    }
    switch (from) {
    case DType::Bool:
        return convertFrom<DType::Bool>(in, swap, out, to, count);
    case DType::Int8:
        return convertFrom<DType::Int8>(in, swap, out, to, count);
    case DType::Int16:
        return convertFrom<DType::Int16>(in, swap, out, to, count);
    case DType::Int32:
        return convertFrom<DType::Int32>(in, swap, out, to, count);
    case DType::Int64:
        return convertFrom<DType::Int64>(in, swap, out, to, count);
    case DType::UInt8:
        return convertFrom<DType::UInt8>(in, swap, out, to, count);
    case DType::UInt16:
        return convertFrom<DType::UInt16>(in, swap, out, to, count);
    case DType::UInt32:
        return convertFrom<DType::UInt32>(in, swap, out, to, count);
    case DType::UInt64:
        return convertFrom<DType::UInt64>(in, swap, out, to, count);
    case DType::Float16:
        return convertFrom<DType::Float16>(in, swap, out, to, count);
    case DType::Float32:
        return convertFrom<DType::Float32>(in, swap, out, to, count);
    case DType::Float64:
        return convertFrom<DType::Float64>(in, swap, out, to, count);
    case DType::BFloat16:
        return convertFrom<DType::BFloat16>(in, swap, out, to, count);
    }
}

void swapBytesInPlace(void* data, int elementSize, qint64 count)
{
    auto* bytes = static_cast<unsigned char*>(data);
    for (qint64 i = 0; i < count; ++i)
        std::reverse(bytes + i * elementSize, bytes + (i + 1) * elementSize);
}

} // namespace shapescope
