// SPDX-License-Identifier: GPL-3.0-or-later
#include "valueformat.h"

#include "common/displaytext.h"
#include "tensor/elementconvert.h"

#include <QFloat16>
#include <charconv>
#include <cmath>

namespace shapescope {

namespace {

template <typename T> QString shortest(T value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc())
        return QString::number(static_cast<double>(value), 'g', 17);
    return QString::fromLatin1(buffer, end - buffer);
}

// The fewest significant digits that read back as the same half-precision value.
QString shortestHalf(double value)
{
    for (int digits = 1; digits <= 5; ++digits) {
        const QString text = QString::number(value, 'g', digits);
        if (static_cast<double>(static_cast<float>(qfloat16(text.toFloat()))) == value)
            return text;
    }
    return QString::number(value, 'g', 6);
}

// The fewest significant digits that read back as the same bfloat16 value.
QString shortestBFloat16(double value)
{
    for (int digits = 1; digits <= 4; ++digits) {
        const QString text = QString::number(value, 'g', digits);
        const float parsed = text.toFloat();
        std::uint16_t bits = 0;
        float back = 0;
        convertElements(&parsed, DType::Float32, nativeByteOrder(), &bits, DType::BFloat16, 1);
        convertElements(&bits, DType::BFloat16, nativeByteOrder(), &back, DType::Float32, 1);
        if (static_cast<double>(back) == value)
            return text;
    }
    return QString::number(value, 'g', 5);
}

} // namespace

bool isSpecialValue(double value)
{
    return !std::isfinite(value);
}

QString formatValue(double value, DType type)
{
    if (!std::isfinite(value))
        return numberText(value, 0); // "NaN", "+Inf", "-Inf"
    if (type == DType::Bool)
        return value != 0 ? QStringLiteral("True") : QStringLiteral("False");
    // 2^63 and 2^64 (int64/uint64 extremes rounded to double) do not convert back.
    if (isSignedInteger(type))
        return std::abs(value) < 9.2233720368547758e18 ? QString::number(static_cast<qint64>(value))
                                                       : QString::number(value, 'f', 0);
    if (isUnsignedInteger(type))
        return value < 1.8446744073709552e19 ? QString::number(static_cast<quint64>(value))
                                             : QString::number(value, 'f', 0);
    switch (type) {
    case DType::Float16:
        return shortestHalf(value);
    case DType::BFloat16:
        return shortestBFloat16(value);
    case DType::Float32:
        return shortest(static_cast<float>(value));
    default:
        return shortest(value);
    }
}

} // namespace shapescope
