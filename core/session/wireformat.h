// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "session.h"
#include "wirefields.h"

#include <QByteArray>
#include <QDataStream>
#include <QIODevice>
#include <optional>
#include <vector>

namespace shapescope::wire {

// The session's request and result structs as bytes, for the worker process's pipe. QDataStream
// (version pinned, little-endian) writes the fields that wirefields.h lists; the large
// per-sample and slice vectors travel as one raw block each (a count, then the elements in this
// machine's byte order: both ends are the same executable).
//
// Reading never trusts the bytes: the worker has just parsed a file from a stranger, so a
// count larger than the bytes left, an enum out of range or a short block marks the stream
// corrupt instead of sizing memory or crashing. get() leaves the stream's status set on
// failure.

QDataStream& beginStream(QDataStream& stream); // pins the version and byte order

// Strings are read with a bound (QDataStream's own reader sizes them from the count).
void put(QDataStream& s, const QString& v);
void get(QDataStream& s, QString& v);
void put(QDataStream& s, const QStringList& v);
void get(QDataStream& s, QStringList& v);

// Marks the stream corrupt (an enum out of range, a count that cannot fit).
void setCorrupt(QDataStream& s);
// Whether `count` elements of at least `minBytes` each can still follow in the stream.
bool canHold(QDataStream& s, qint64 count, qint64 minBytes);
// A block of trivially copyable elements; readBlock sets the status when it falls short.
void writeBlock(QDataStream& s, const void* data, qint64 bytes);
bool readBlock(QDataStream& s, void* data, qint64 bytes);
// A count that announces `count` elements of at least `minBytes` each; false (and the stream
// corrupt) when the stream cannot hold them.
bool readCount(QDataStream& s, qint64* count, qint64 minBytes);

// int travels as QDataStream's qint32, which it is wherever Qt runs.
static_assert(std::is_same_v<int, qint32>);

template <typename T> inline constexpr bool isVector = false;
template <typename T> inline constexpr bool isVector<std::vector<T>> = true;
template <typename T> inline constexpr bool isOptional = false;
template <typename T> inline constexpr bool isOptional<std::optional<T>> = true;
template <typename T> inline constexpr bool isClamped = false;
template <typename T> inline constexpr bool isClamped<Clamped<T>> = true;

// Writes what a field list names, by each field's type (see wirefields.h).
class Writer
{
public:
    explicit Writer(QDataStream& stream) : m_s(stream) {}

    template <typename... T> void operator()(const T&... values) { (write(values), ...); }

    template <typename T> void write(const T& v)
    {
        if constexpr (std::is_enum_v<T>)
            m_s << static_cast<quint8>(v);
        else if constexpr (std::is_arithmetic_v<T>)
            m_s << v;
        else if constexpr (std::is_same_v<T, QString> || std::is_same_v<T, QStringList>)
            put(m_s, v);
        else if constexpr (isClamped<T>)
            write(v.value);
        else if constexpr (isOptional<T>) {
            m_s << v.has_value();
            write(v.value_or(typename T::value_type{}));
        } else if constexpr (isVector<T>)
            writeVector(v);
        else
            fields(*this, v);
    }

private:
    template <typename E> void writeVector(const std::vector<E>& v)
    {
        if constexpr (std::is_arithmetic_v<E>) {
            m_s << static_cast<qint64>(v.size());
            writeBlock(m_s, v.data(), qint64(v.size() * sizeof(E)));
        } else {
            m_s << static_cast<qint64>(v.size());
            for (const E& item : v)
                write(item);
        }
    }

    QDataStream& m_s;
};

// Reads what a field list names, checking every count and enum against the bytes left.
class Reader
{
public:
    explicit Reader(QDataStream& stream) : m_s(stream) {}

    template <typename... T> void operator()(T&&... values) { (read(values), ...); }

    template <typename T> void read(T& v)
    {
        if (m_s.status() != QDataStream::Ok)
            return;
        if constexpr (std::is_enum_v<T>) {
            static_assert(enumCount<T> > 0, "an enum on the wire needs its enumCount");
            quint8 raw = 0;
            m_s >> raw;
            if (raw >= enumCount<T>)
                setCorrupt(m_s);
            else
                v = static_cast<T>(raw);
        } else if constexpr (std::is_arithmetic_v<T>)
            m_s >> v;
        else if constexpr (std::is_same_v<T, QString> || std::is_same_v<T, QStringList>)
            get(m_s, v);
        else if constexpr (isClamped<T>) {
            read(v.value);
            v.value = std::clamp(v.value, v.low, v.high);
        } else if constexpr (isOptional<T>) {
            bool present = false;
            typename T::value_type value{};
            read(present);
            read(value);
            v = present ? T(std::move(value)) : std::nullopt;
        } else if constexpr (isVector<T>)
            readVector(v);
        else
            fields(*this, v);
    }

private:
    template <typename E> void readVector(std::vector<E>& v)
    {
        qint64 count = 0;
        // A raw element takes its size; any other at least one byte.
        constexpr qint64 minBytes = std::is_arithmetic_v<E> ? qint64(sizeof(E)) : 1;
        if (!readCount(m_s, &count, minBytes))
            return;
        if constexpr (std::is_arithmetic_v<E>) {
            v.resize(static_cast<size_t>(count));
            if (!readBlock(m_s, v.data(), count * qint64(sizeof(E))))
                v.clear();
        } else {
            // Elements are appended as they decode, so a lying count sizes nothing.
            v.clear();
            for (qint64 i = 0; i < count && m_s.status() == QDataStream::Ok; ++i) {
                E item{};
                read(item);
                v.push_back(std::move(item));
            }
        }
    }

    QDataStream& m_s;
};

// Any struct with a field list (and vectors of them).
template <typename T> void put(QDataStream& s, const T& v)
{
    Writer(s).write(v);
}

template <typename T> void get(QDataStream& s, T& v)
{
    Reader(s).read(v);
}

template <typename T> QByteArray encode(const T& value)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    beginStream(stream);
    put(stream, value);
    return bytes;
}

// Decodes one value that must fill `bytes` exactly. `what` names it in the error
// ("analysis result").
template <typename T> Expected<T> decode(const QByteArray& bytes, const char* what)
{
    QDataStream stream(bytes);
    beginStream(stream);
    T value{};
    get(stream, value);
    if (stream.status() != QDataStream::Ok || !stream.atEnd()) {
        return Error{
            QStringLiteral("malformed %1 (%2 bytes)").arg(QLatin1String(what)).arg(bytes.size())};
    }
    return value;
}

} // namespace shapescope::wire
