// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the HDF5 reader tests: the fixtures' expected.json (written by
// tests/data/gen_hdf5.py from numpy/h5py values) and helpers to compare read values with it.

#include "tensor/dtype.h"

#include <QFile>
#include <QFloat16>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

namespace hdf5test {

inline QString fixturePath(const QString& name)
{
    return QFINDTESTDATA(QStringLiteral("data/formats/hdf5/") + name);
}

inline QJsonObject expectedDocument()
{
    QFile file(fixturePath(QStringLiteral("expected.json")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The expectation of one fixture, following "same_as" for copies.
inline QJsonObject fixture(const QJsonObject& document, const QString& name)
{
    const QJsonObject fixtures = document.value(QStringLiteral("fixtures")).toObject();
    QJsonObject entry = fixtures.value(name).toObject();
    if (entry.contains(QStringLiteral("same_as")))
        entry = fixtures.value(entry.value(QStringLiteral("same_as")).toString()).toObject();
    return entry;
}

// Python's repr of a float ("nan", "-inf", "0.1") as a double.
inline double parseDouble(const QString& text)
{
    if (text == QLatin1String("nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (text == QLatin1String("inf"))
        return std::numeric_limits<double>::infinity();
    if (text == QLatin1String("-inf"))
        return -std::numeric_limits<double>::infinity();
    return text.toDouble();
}

// Element `i` of a buffer of `type`, as a double (exact for every type but 64-bit integers
// beyond 2^53, which compareElement handles as integers).
inline double elementAsDouble(const QByteArray& buffer, shapescope::DType type, qint64 i)
{
    using shapescope::DType;
    const char* p = buffer.constData() + i * shapescope::dtypeSize(type);
    auto load = [p](auto v) {
        std::memcpy(&v, p, sizeof v);
        return v;
    };
    switch (type) {
    case DType::Bool:
        return load(std::uint8_t());
    case DType::Int8:
        return load(std::int8_t());
    case DType::Int16:
        return load(std::int16_t());
    case DType::Int32:
        return load(std::int32_t());
    case DType::Int64:
        return double(load(std::int64_t()));
    case DType::UInt8:
        return load(std::uint8_t());
    case DType::UInt16:
        return load(std::uint16_t());
    case DType::UInt32:
        return load(std::uint32_t());
    case DType::UInt64:
        return double(load(std::uint64_t()));
    case DType::Float16:
        return float(load(qfloat16()));
    case DType::Float32:
        return load(float());
    case DType::Float64:
        return load(double());
    }
    return 0;
}

// Whether element `i` of `buffer` equals Python's text for it, exactly.
inline bool elementEquals(const QByteArray& buffer, shapescope::DType type, qint64 i,
                          const QString& expected)
{
    using shapescope::DType;
    const char* p = buffer.constData() + i * shapescope::dtypeSize(type);
    if (type == DType::Int64) {
        qint64 v;
        std::memcpy(&v, p, sizeof v);
        return v == expected.toLongLong();
    }
    if (type == DType::UInt64) {
        quint64 v;
        std::memcpy(&v, p, sizeof v);
        return v == expected.toULongLong();
    }
    const double value = elementAsDouble(buffer, type, i);
    const double wanted = parseDouble(expected);
    if (std::isnan(wanted))
        return std::isnan(value);
    // Bools are stored 0/1 and compare as numbers; -0.0 == 0.0 is fine here.
    return value == wanted;
}

inline QStringList strings(const QJsonValue& value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array)
        list << item.toString();
    return list;
}

} // namespace hdf5test
