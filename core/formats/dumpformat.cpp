// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumpformat.h"

#include "common/displaytext.h"
#include "hdf5family.h"

#include <QFile>
#include <QFileInfo>

namespace shapescope {

namespace {

const QByteArray npyMagic = QByteArrayLiteral("\x93NUMPY");
const QByteArray zipLocalHeader = QByteArrayLiteral("PK\x03\x04");
const QByteArray zipEmptyArchive = QByteArrayLiteral("PK\x05\x06");
const QByteArray hdf5Signature = QByteArrayLiteral("\x89HDF\r\n\x1a\n");

// The HDF5 superblock may follow a user block of 512, 1024, 2048, ... bytes.
bool hasHdf5Signature(QFile& file)
{
    for (qint64 offset = 0; offset + hdf5Signature.size() <= file.size();
         offset = offset == 0 ? 512 : offset * 2) {
        if (!file.seek(offset))
            return false;
        if (file.read(hdf5Signature.size()) == hdf5Signature)
            return true;
    }
    return false;
}

// torch.save writes <archive>/data.pkl as the first member; numpy's savez
// writes .npy members.
bool isTorchSaveZip(QFile& file)
{
    if (!file.seek(26))
        return false;
    const QByteArray lengths = file.read(4);
    if (lengths.size() != 4)
        return false;
    const int nameLength = quint8(lengths[0]) | quint8(lengths[1]) << 8;
    const QByteArray name = file.read(nameLength);
    // TorchScript archives (torch.jit.save) start with a storage, "<archive>/data/0".
    return name.endsWith("/data.pkl") || name.endsWith("/constants.pkl") ||
           name.endsWith("/.format_version") || (name.contains("/data/") && !name.endsWith(".npy"));
}

// safetensors has no magic: its first 8 bytes are the JSON header's length, and the JSON
// object starts right after them.
bool looksLikeSafetensors(const QByteArray& head, qint64 fileSize)
{
    if (head.size() < 9 || head[8] != '{')
        return false;
    quint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = length << 8 | quint8(head[i]);
    return length >= 2 && length <= quint64(fileSize - 8);
}

} // namespace

QString formatName(DumpFormat format)
{
    switch (format) {
    case DumpFormat::Hdf5:
        return QStringLiteral("hdf5");
    case DumpFormat::Npy:
        return QStringLiteral("npy");
    case DumpFormat::Npz:
        return QStringLiteral("npz");
    case DumpFormat::NpyFolder:
        return QStringLiteral("npy-folder");
    case DumpFormat::TorchSave:
        return QStringLiteral("torch");
    case DumpFormat::Safetensors:
        return QStringLiteral("safetensors");
    }
    return {};
}

std::optional<DumpFormat> formatFromName(const QString& name)
{
    for (DumpFormat format :
         {DumpFormat::Hdf5, DumpFormat::Npy, DumpFormat::Npz, DumpFormat::NpyFolder,
          DumpFormat::TorchSave, DumpFormat::Safetensors}) {
        if (formatName(format) == name)
            return format;
    }
    return std::nullopt;
}

Expected<DumpFormat> sniffFormat(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("%1: no such file or folder").arg(path)};
    if (info.isDir())
        return DumpFormat::NpyFolder;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, file.errorString())};
    if (file.size() == 0)
        return Error{QStringLiteral("%1: the file is empty").arg(path)};
    const QByteArray head = file.read(9);
    if (head.startsWith(npyMagic))
        return DumpFormat::Npy;
    if (head.startsWith(zipLocalHeader) && isTorchSaveZip(file))
        return DumpFormat::TorchSave;
    if (head.startsWith(zipLocalHeader) || head.startsWith(zipEmptyArchive))
        return DumpFormat::Npz;
    // PROTO 2-5: a pickle, which only the torch.save reader names (and refuses) properly.
    if (head.size() >= 2 && quint8(head[0]) == 0x80 && head[1] >= 2 && head[1] <= 5)
        return DumpFormat::TorchSave;
    if (hasHdf5Signature(file))
        return DumpFormat::Hdf5;
    if (looksLikeSafetensors(head, file.size()))
        return DumpFormat::Safetensors;
    // netCDF-3 ("CDF" then 1, 2 or 5): netCDF-4 files are HDF5, these are not.
    if (head.size() >= 4 && head.startsWith("CDF") &&
        (head[3] == 1 || head[3] == 2 || head[3] == 5))
        return Error{QStringLiteral("%1: netCDF-3 classic file, not HDF5: convert with nccopy -k "
                                    "nc4 %1 out.nc")
                         .arg(path)};
    if (std::optional<QString> family = hdf5FamilyMemberError(path))
        return Error{*family};
    return Error{
        QStringLiteral("%1: not a dump ShapeScope reads (HDF5, .npy, .npz, a folder of "
                       ".npy files, a torch.save .pt file or .safetensors); it starts with \"%2\"")
            .arg(path, printableBytes(head.left(8)))};
}

} // namespace shapescope
