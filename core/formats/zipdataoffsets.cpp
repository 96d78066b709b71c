// SPDX-License-Identifier: GPL-3.0-or-later
#include "zipdataoffsets.h"

#include <QFile>

namespace shapescope {

namespace {

quint64 le(const char* p, int bytes)
{
    quint64 value = 0;
    for (int i = bytes; i-- > 0;)
        value = value << 8 | quint8(p[i]);
    return value;
}

struct Directory
{
    quint64 entries = 0;
    quint64 offset = 0;
    quint64 size = 0;
};

Expected<Directory> findDirectory(QFile& file, const QString& path)
{
    const Error damaged{QStringLiteral("%1: the zip directory is damaged").arg(path)};
    const qint64 tail = std::min<qint64>(file.size(), 22 + 65535);
    if (!file.seek(file.size() - tail))
        return damaged;
    const QByteArray bytes = file.read(tail);
    const qsizetype eocd = bytes.lastIndexOf(QByteArrayLiteral("PK\x05\x06"));
    if (eocd < 0 || eocd + 22 > bytes.size())
        return damaged;
    const char* e = bytes.constData() + eocd;
    Directory directory{le(e + 10, 2), le(e + 16, 4), le(e + 12, 4)};
    if (directory.entries != 0xffff && directory.offset != 0xffffffff &&
        directory.size != 0xffffffff)
        return directory;
    // Zip64: the locator just before the record points at the zip64 end record.
    const qint64 eocdInFile = file.size() - tail + eocd;
    if (eocdInFile < 20 || !file.seek(eocdInFile - 20))
        return damaged;
    const QByteArray locator = file.read(20);
    if (locator.size() != 20 || !locator.startsWith(QByteArrayLiteral("PK\x06\x07")))
        return damaged;
    const quint64 end64 = le(locator.constData() + 8, 8);
    if (end64 > quint64(file.size()) - 56 || !file.seek(qint64(end64)))
        return damaged;
    const QByteArray record = file.read(56);
    if (record.size() != 56 || !record.startsWith(QByteArrayLiteral("PK\x06\x06")))
        return damaged;
    return Directory{le(record.constData() + 32, 8), le(record.constData() + 48, 8),
                     le(record.constData() + 40, 8)};
}

// The zip64 extra field holds, in order, only the fields whose 32-bit value is 0xffffffff.
void applyZip64(const char* extra, qsizetype length, quint64& size, quint64& compressed,
                quint64& local)
{
    for (qsizetype at = 0; at + 4 <= length;) {
        const quint64 id = le(extra + at, 2);
        const qsizetype n = qsizetype(le(extra + at + 2, 2));
        if (at + 4 + n > length)
            return;
        if (id == 1) {
            const char* p = extra + at + 4;
            qsizetype used = 0;
            for (quint64* field : {&size, &compressed, &local}) {
                if (*field == 0xffffffff && used + 8 <= n) {
                    *field = le(p + used, 8);
                    used += 8;
                }
            }
            return;
        }
        at += 4 + n;
    }
}

} // namespace

Expected<QHash<QString, ZipDataRange>> readZipDataOffsets(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, file.errorString())};
    const Expected<Directory> directory = findDirectory(file, path);
    if (!directory)
        return Error{directory.error()};
    const quint64 fileSize = quint64(file.size());
    const Error damaged{QStringLiteral("%1: the zip directory is damaged").arg(path)};
    if (directory->offset > fileSize || directory->size > fileSize - directory->offset ||
        directory->size > (quint64(1) << 30) || !file.seek(qint64(directory->offset)))
        return damaged;
    const QByteArray cd = file.read(qint64(directory->size));
    if (quint64(cd.size()) != directory->size)
        return damaged;

    QHash<QString, ZipDataRange> ranges;
    qsizetype at = 0;
    for (quint64 i = 0; i < directory->entries; ++i) {
        if (at + 46 > cd.size() || !cd.mid(at, 4).startsWith(QByteArrayLiteral("PK\x01\x02")))
            return damaged;
        const char* h = cd.constData() + at;
        const quint16 method = quint16(le(h + 10, 2));
        quint64 compressed = le(h + 20, 4), size = le(h + 24, 4), local = le(h + 42, 4);
        const qsizetype nameLength = qsizetype(le(h + 28, 2));
        const qsizetype extraLength = qsizetype(le(h + 30, 2));
        const qsizetype commentLength = qsizetype(le(h + 32, 2));
        if (at + 46 + nameLength + extraLength + commentLength > cd.size())
            return damaged;
        const QString name = QString::fromUtf8(h + 46, nameLength);
        applyZip64(h + 46 + nameLength, extraLength, size, compressed, local);
        at += 46 + nameLength + extraLength + commentLength;

        char header[30];
        if (local > fileSize - 30 || !file.seek(qint64(local)) || file.read(header, 30) != 30 ||
            le(header, 4) != 0x04034b50)
            return damaged;
        const quint64 data = local + 30 + le(header + 26, 2) + le(header + 28, 2);
        if (data > fileSize || compressed > fileSize - data)
            return Error{QStringLiteral("%1: %2: the member's data lies beyond the end of the "
                                        "file; the file is truncated")
                             .arg(path, name)};
        ranges.insert(name, ZipDataRange{qint64(data), qint64(compressed),
                                         size > quint64(INT64_MAX) ? -1 : qint64(size), method});
    }
    return ranges;
}

} // namespace shapescope
