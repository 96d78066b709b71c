// SPDX-License-Identifier: GPL-3.0-or-later
#include "wireformat.h"

#include <QIODevice>
#include <QSysInfo>
#include <QtEndian>
#include <algorithm>

namespace shapescope::wire {

namespace {

// QDataStream's raw reads and writes take an int length in Qt 6.4.
constexpr qint64 rawStep = qint64(1) << 30;

} // namespace

QDataStream& beginStream(QDataStream& stream)
{
    stream.setVersion(QDataStream::Qt_6_4);
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::DoublePrecision);
    return stream;
}

void setCorrupt(QDataStream& s)
{
    // setStatus() keeps the first failure; a corrupt value is always worth recording.
    if (s.status() == QDataStream::Ok)
        s.setStatus(QDataStream::ReadCorruptData);
}

bool canHold(QDataStream& s, qint64 count, qint64 minBytes)
{
    if (count < 0 || minBytes <= 0 || !s.device())
        return false;
    return count <= s.device()->bytesAvailable() / minBytes;
}

bool readCount(QDataStream& s, qint64* count, qint64 minBytes)
{
    *count = -1;
    s >> *count;
    if (s.status() != QDataStream::Ok)
        return false;
    if (!canHold(s, *count, minBytes)) {
        setCorrupt(s);
        return false;
    }
    return true;
}

void writeBlock(QDataStream& s, const void* data, qint64 bytes)
{
    const char* p = static_cast<const char*>(data);
    for (qint64 done = 0; done < bytes; done += rawStep) {
        const int step = static_cast<int>(std::min(rawStep, bytes - done));
        if (s.writeRawData(p + done, step) != step)
            return; // the stream records the failure
    }
}

bool readBlock(QDataStream& s, void* data, qint64 bytes)
{
    char* p = static_cast<char*>(data);
    for (qint64 done = 0; done < bytes; done += rawStep) {
        const int step = static_cast<int>(std::min(rawStep, bytes - done));
        if (s.readRawData(p + done, step) != step) {
            s.setStatus(QDataStream::ReadPastEnd);
            return false;
        }
    }
    return true;
}

void put(QDataStream& s, const QString& v)
{
    s << v; // a 32-bit byte count (0xffffffff: null), then UTF-16
}

void get(QDataStream& s, QString& v)
{
    // QDataStream's own reader sizes the string from the count (in 1 MiB steps); this one
    // refuses a count larger than what is left.
    quint32 bytes = 0;
    s >> bytes;
    if (s.status() != QDataStream::Ok)
        return;
    if (bytes == 0xffffffffu) {
        v = QString();
        return;
    }
    if (bytes % 2 != 0 || !canHold(s, bytes, 1)) {
        setCorrupt(s);
        return;
    }
    if (bytes == 0) {
        v = QString(QLatin1String(""));
        return;
    }
    v.resize(qsizetype(bytes / 2));
    if (!readBlock(s, v.data(), bytes)) {
        v.clear();
        return;
    }
    const bool streamLittle = s.byteOrder() == QDataStream::LittleEndian;
    if (streamLittle != (QSysInfo::ByteOrder == QSysInfo::LittleEndian)) {
        for (QChar& c : v)
            c = QChar(qbswap(c.unicode()));
    }
}

void put(QDataStream& s, const QStringList& v)
{
    s << static_cast<qint64>(v.size());
    for (const QString& item : v)
        s << item;
}

void get(QDataStream& s, QStringList& v)
{
    qint64 count = 0;
    // Each string takes at least its 4-byte length.
    if (!readCount(s, &count, 4))
        return;
    v.clear();
    for (qint64 i = 0; i < count && s.status() == QDataStream::Ok; ++i) {
        QString item;
        get(s, item);
        v.append(std::move(item));
    }
}

} // namespace shapescope::wire
