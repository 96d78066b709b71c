// SPDX-License-Identifier: GPL-3.0-or-later
#include "atomicwrite.h"

#include <QFileInfo>
#include <QSaveFile>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace shapescope {

bool isSameFile(const QString& a, const QString& b)
{
    if (a.isEmpty() || b.isEmpty())
        return false;
    const QString ca = QFileInfo(a).canonicalFilePath();
    const QString cb = QFileInfo(b).canonicalFilePath();
    if (ca.isEmpty() || cb.isEmpty())
        return false; // one of them does not exist
    if (ca == cb)
        return true;
#ifdef Q_OS_UNIX
    struct stat sa
    {
    }, sb{};
    if (::stat(QFile::encodeName(ca).constData(), &sa) == 0 &&
        ::stat(QFile::encodeName(cb).constData(), &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
#endif
    return false;
}

Status writeAtomically(const QString& path, const QString& protectedPath,
                       const std::function<Status(QIODevice&)>& write)
{
    if (path.isEmpty())
        return Error{QStringLiteral("no file name given")};
    if (isSameFile(path, protectedPath))
        return Error{QStringLiteral("%1: refusing to write over the opened dump").arg(path)};
    if (QFileInfo(path).isDir())
        return Error{QStringLiteral("%1: is a folder").arg(path)};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    if (Status s = write(file); !s) {
        file.cancelWriting();
        return Error{QStringLiteral("%1: %2").arg(path, s.error())};
    }
    if (!file.commit())
        return Error{QStringLiteral("%1: cannot write: %2").arg(path, file.errorString())};
    return Status::success();
}

Status writeAtomically(const QString& path, const QString& protectedPath, const QByteArray& bytes)
{
    return writeAtomically(path, protectedPath, [&bytes](QIODevice& device) -> Status {
        if (device.write(bytes) != bytes.size())
            return Error{QStringLiteral("cannot write: %1").arg(device.errorString())};
        return Status::success();
    });
}

} // namespace shapescope
