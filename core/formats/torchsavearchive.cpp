// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchsavearchive.h"

#include <QFile>
#include <memory>
#include <zip.h>

namespace shapescope {

namespace {

// torch.save's legacy format starts with a pickled magic number, 0x1950a86a20f9469cfc6c.
const QByteArray legacyMagic =
    QByteArrayLiteral("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19");

struct ZipCloser
{
    void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct FileCloser
{
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};

Error notZip(const QString& path, const QByteArray& head)
{
    if (head.startsWith(legacyMagic))
        return Error{
            QStringLiteral("%1: a torch.save file in the legacy format (PyTorch before 1.6, or "
                           "_use_new_zipfile_serialization=False), which ShapeScope does not read. "
                           "Re-save it with the default format: torch.save(torch.load(path), path)")
                .arg(path)};
    return Error{QStringLiteral("%1: a plain pickle, not a torch.save file; ShapeScope never runs "
                                "pickles. Save the tensors with torch.save(obj, path)")
                     .arg(path)};
}

Expected<QByteArray> readMember(zip_t* archive, const QString& path, const QString& name,
                                qint64 limit)
{
    zip_stat_t stat;
    zip_stat_init(&stat);
    const QByteArray utf8 = name.toUtf8();
    if (zip_stat(archive, utf8.constData(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
        return Error{QStringLiteral("%1: %2: cannot read the member").arg(path, name)};
    if (stat.size > quint64(limit))
        return Error{QStringLiteral("%1: %2: the member is %3 bytes, more than the %4 ShapeScope "
                                    "reads")
                         .arg(path, name)
                         .arg(stat.size)
                         .arg(limit)};
    std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen(archive, utf8.constData(), 0));
    QByteArray bytes(qsizetype(stat.size), Qt::Uninitialized);
    // Reading one byte past the end makes libzip compare the CRC-32.
    char probe = 0;
    if (!file || zip_fread(file.get(), bytes.data(), stat.size) != zip_int64_t(stat.size) ||
        zip_fread(file.get(), &probe, 1) != 0)
        return Error{
            QStringLiteral("%1: %2: the member is damaged: %3")
                .arg(path, name,
                     QString::fromUtf8(file ? zip_error_strerror(zip_file_get_error(file.get()))
                                            : zip_strerror(archive)))};
    return bytes;
}

bool checkedMulAdd(qint64 a, qint64 b, qint64& sum)
{
    qint64 product = 0;
    return !__builtin_mul_overflow(a, b, &product) && !__builtin_add_overflow(sum, product, &sum);
}

} // namespace

Expected<TorchSaveArchive> TorchSaveArchive::open(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, file.errorString())};
    const QByteArray head = file.read(legacyMagic.size());
    if (!head.startsWith("PK"))
        return notZip(path, head);
    file.close();

    int code = ZIP_ER_OK;
    std::unique_ptr<zip_t, ZipCloser> zip(
        zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &code));
    if (!zip) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const QString reason = QString::fromUtf8(zip_error_strerror(&error));
        zip_error_fini(&error);
        return Error{QStringLiteral("%1: the torch.save zip archive is damaged or truncated (%2)")
                         .arg(path, reason)};
    }
    TorchSaveArchive archive;
    archive.path = path;
    const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const QString name = QString::fromUtf8(zip_get_name(zip.get(), zip_uint64_t(i), 0));
        const qsizetype slash = name.indexOf(u'/');
        if (name.endsWith(QLatin1String("/constants.pkl")) ||
            name.contains(QLatin1String("/code/")))
            return Error{QStringLiteral("%1: a TorchScript archive (torch.jit.save), which "
                                        "ShapeScope does not read (torch.jit is not supported); "
                                        "save the tensors instead: torch.save({\"logits\": out, "
                                        "\"labels\": y}, path)")
                             .arg(path)};
        if (slash > 0 && name.mid(slash) == QLatin1String("/data.pkl") && archive.prefix.isEmpty())
            archive.prefix = name.left(slash + 1);
    }
    if (archive.prefix.isEmpty())
        return Error{QStringLiteral("%1: a zip archive without the data.pkl of a torch.save file")
                         .arg(path)};
    archive.pickleName = archive.prefix + QStringLiteral("data.pkl");
    Expected<QByteArray> pickle = readMember(zip.get(), path, archive.pickleName, maxPickleBytes);
    if (!pickle)
        return Error{pickle.error()};
    archive.pickle = std::move(pickle).value();
    // Written since torch 1.13 or so; older files are little-endian.
    const QString orderName = archive.prefix + QStringLiteral("byteorder");
    if (zip_name_locate(zip.get(), orderName.toUtf8().constData(), 0) >= 0) {
        Expected<QByteArray> order = readMember(zip.get(), path, orderName, 16);
        if (!order || (*order != "little" && *order != "big"))
            return Error{
                QStringLiteral("%1: %2 is neither \"little\" nor \"big\"").arg(path, orderName)};
        archive.byteOrder = *order == "big" ? ByteOrder::Big : ByteOrder::Little;
    }
    Expected<QHash<QString, ZipDataRange>> members = readZipDataOffsets(path);
    if (!members)
        return Error{members.error()};
    archive.members = std::move(members).value();
    return archive;
}

Expected<TorchStorage> TorchSaveArchive::storage(const torchpickle::StorageRef& ref) const
{
    const QString entry = storageEntry(ref.key);
    const auto where = [&] { return QStringLiteral("%1: storage %2").arg(path, entry); };
    std::optional<torchpickle::StorageType> type = torchpickle::storageType(ref.typeName);
    if (!type)
        return Error{QStringLiteral("%1: storage type torch.%2, which ShapeScope does not read")
                         .arg(where(), ref.typeName)};
    const auto member = members.constFind(entry);
    if (member == members.cend())
        return Error{QStringLiteral("%1: the archive has no such member").arg(where())};
    if (member->method != 0 || member->compressedBytes != member->uncompressedBytes)
        return Error{QStringLiteral("%1: the member is compressed, which torch.save never does")
                         .arg(where())};
    TorchStorage storage{*type, *member, member->uncompressedBytes / type->elementSize};
    qint64 declaredBytes = 0;
    if (!checkedMulAdd(ref.declaredSize, type->elementSize, declaredBytes) ||
        declaredBytes > member->uncompressedBytes)
        return Error{QStringLiteral("%1: the pickle declares %2 elements of %3 bytes but the "
                                    "member holds %4 bytes")
                         .arg(where())
                         .arg(ref.declaredSize)
                         .arg(type->elementSize)
                         .arg(member->uncompressedBytes)};
    return storage;
}

Status TorchStorage::checkView(const torchpickle::TensorRef& tensor) const
{
    qint64 last = tensor.storageOffset;
    bool empty = false;
    for (size_t axis = 0; axis < tensor.shape.size(); ++axis) {
        empty = empty || tensor.shape[axis] == 0;
        if (!empty && !checkedMulAdd(tensor.shape[axis] - 1, tensor.stride[axis], last))
            return Error{QStringLiteral("its strides overflow")};
    }
    if (empty ? tensor.storageOffset > elements : last >= elements)
        return Error{QStringLiteral("its view (offset %1, shape and strides) reaches element %2 "
                                    "of a storage of %3 elements")
                         .arg(tensor.storageOffset)
                         .arg(last)
                         .arg(elements)};
    return Status::success();
}

} // namespace shapescope
