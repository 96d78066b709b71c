// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5family.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QtEndian>

namespace shapescope {

namespace {

const QByteArray hdf5Signature("\x89HDF\r\n\x1a\n", 8);
// The family driver's identification in the driver information block (HDF5 file format
// specification, "Disk Format: Level 0B - File Driver Info"), followed by the member size.
const QByteArray familyDriver("NCSAfami");

// The member size recorded in a first member's driver information, or nullopt when `path` is
// not the first member of a family. The superblock lies at 0, 512, 1024, ... and its driver
// information block follows it within the next few hundred bytes.
std::optional<qint64> firstMemberSize(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    for (qint64 offset = 0; offset + hdf5Signature.size() <= file.size();
         offset = offset == 0 ? 512 : offset * 2) {
        if (!file.seek(offset))
            return std::nullopt;
        const QByteArray head = file.read(512);
        if (!head.startsWith(hdf5Signature))
            continue;
        const qsizetype driver = head.indexOf(familyDriver);
        if (driver < 0 || driver + familyDriver.size() + 8 > head.size())
            return std::nullopt;
        return qFromLittleEndian<qint64>(head.constData() + driver + familyDriver.size());
    }
    return std::nullopt;
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 2, QLocale::DataSizeIecFormat);
}

QString joinAdvice(const QString& pattern)
{
    return QStringLiteral("ShapeScope reads single files: join the members with "
                          "`h5repart -family_to_sec2 %1 joined.h5` (Debian: hdf5-tools), or open "
                          "it in h5py with driver=\"family\" and copy it to one file")
        .arg(pattern);
}

} // namespace

namespace {

// A name's member index: the last number before the extension (run_0.h5, tfamily00001.h5),
// and the name with another index in its place, at the same zero-padded width.
struct MemberName
{
    explicit MemberName(const QString& path) : info(path)
    {
        static const QRegularExpression lastNumber(QStringLiteral(R"((\d+)(?!.*\d))"));
        base = info.completeBaseName();
        if (!info.suffix().isEmpty())
            extension = QStringLiteral(".") + info.suffix();
        number = lastNumber.match(base);
    }
    bool numbered() const { return number.hasMatch(); }
    qint64 index() const { return number.captured(1).toLongLong(); }
    QString with(const QString& index) const
    {
        QString name = base;
        name.replace(number.capturedStart(1), number.capturedLength(1), index);
        return name + extension;
    }
    QString withIndex(qint64 index) const
    {
        const int width = number.capturedLength(1);
        return with(QStringLiteral("%1").arg(index, width, 10, QLatin1Char('0')));
    }
    // The printf pattern h5py and h5repart take: family_%d.h5, tfamily%05d.h5.
    QString pattern() const
    {
        const int width = number.capturedLength(1);
        return numbered()
                   ? with(width > 1 && number.captured(1).startsWith(u'0')
                              ? QStringLiteral("%0") + QString::number(width) + QStringLiteral("d")
                              : QStringLiteral("%d"))
                   : info.fileName();
    }
    QString sibling(qint64 index) const { return info.dir().filePath(withIndex(index)); }

    QFileInfo info;
    QString base;
    QString extension;
    QRegularExpressionMatch number;
};

} // namespace

std::optional<QString> hdf5FamilyMemberError(const QString& path)
{
    const MemberName name(path);
    const QString pattern = name.pattern();
    if (const std::optional<qint64> memberSize = firstMemberSize(path)) {
        return QStringLiteral("%1: the first member of an HDF5 file family (driver \"family\", "
                              "members of %2%3); %4")
            .arg(path, sizeText(*memberSize),
                 name.numbered() ? QStringLiteral(": %1").arg(pattern) : QString(),
                 joinAdvice(name.numbered() ? pattern : QStringLiteral("NAME_%d.h5")));
    }
    if (!name.numbered())
        return std::nullopt;
    // Files written before the family driver recorded itself have no driver information:
    // their first member is known by the second one beside it.
    if (name.index() == 0) {
        if (!QFileInfo::exists(name.sibling(1)))
            return std::nullopt;
        return QStringLiteral("%1: the first member of an HDF5 file family (%2; member 1 is "
                              "beside it); %3")
            .arg(path, pattern, joinAdvice(pattern));
    }
    const std::optional<qint64> memberSize = firstMemberSize(name.sibling(0));
    if (!memberSize || name.info.size() > *memberSize)
        return std::nullopt;
    return QStringLiteral("%1: member %2 of the HDF5 file family %3 (driver \"family\", members "
                          "of %4), not a file of its own; %5")
        .arg(path, QString::number(name.index()), name.info.dir().filePath(pattern),
             sizeText(*memberSize), joinAdvice(pattern));
}

QString hdf5FamilyHint(const QString& path)
{
    const MemberName name(path);
    if (!name.numbered() || name.index() != 0)
        return {};
    return QStringLiteral(", or the first member of an HDF5 file family (%1) whose other "
                          "members are not beside it")
        .arg(name.pattern());
}

} // namespace shapescope
