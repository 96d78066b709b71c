// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumpreader.h"

#include "hdf5reader.h"
#include "npyfolderreader.h"
#include "npyreader.h"
#include "npzreader.h"
#include "safetensorsreader.h"
#include "torchsavereader.h"

#include <cstring>

namespace shapescope {

DumpReader::~DumpReader() = default;

int DumpReader::indexOf(const QString& tensorPath) const
{
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        if (m_tensors[i].path == tensorPath)
            return static_cast<int>(i);
    }
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        if (samePath(m_tensors[i].path, tensorPath))
            return static_cast<int>(i);
    }
    return -1;
}

Status DumpReader::readSlab(int index, const Slab& slab, DType as, void* out)
{
    if (index < 0 || index >= static_cast<int>(m_tensors.size()))
        return Error{QStringLiteral("%1: no tensor number %2").arg(m_filePath).arg(index)};
    const TensorInfo& info = m_tensors[index];
    if (!info.readable())
        return Error{
            QStringLiteral("%1: %2: %3").arg(m_filePath, info.path, info.unreadableReason)};
    if (Status valid = validateSlab(info.shape, slab); !valid)
        return Error{QStringLiteral("%1: %2: %3").arg(m_filePath, info.path, valid.error())};
    if (slab.elementCount() == 0)
        return Status::success();
    return doReadSlab(index, slab, as, out);
}

Status DumpReader::readRows(int index, qint64 first, qint64 count, DType as, void* out)
{
    if (index < 0 || index >= static_cast<int>(m_tensors.size()))
        return Error{QStringLiteral("%1: no tensor number %2").arg(m_filePath).arg(index)};
    return readSlab(index, Slab::rows(m_tensors[index].shape, first, count), as, out);
}

QString DumpReader::skippedText(const TensorInfo& object)
{
    return QStringLiteral("%1: %2 %3, %4")
        .arg(object.path, shapeToString(object.shape), object.typeText(), object.unreadableReason);
}

std::optional<Error> DumpReader::nothingReadable(const QString& what) const
{
    if (!m_tensors.empty() || (m_skipped.empty() && m_notes.isEmpty()))
        return std::nullopt;
    QStringList reasons;
    for (const TensorInfo& object : m_skipped)
        reasons << skippedText(object);
    reasons << m_notes;
    return Error{QStringLiteral("%1: no %2 ShapeScope can read: %3")
                     .arg(m_filePath, what, reasons.join(QStringLiteral("; ")))};
}

qint64 DumpReader::rawDataOffset(int, DType, QString&)
{
    return -1;
}

std::unique_ptr<MappedRows> DumpReader::mapRows(int index, qint64 first, qint64 count, DType as)
{
    if (index < 0 || index >= static_cast<int>(m_tensors.size()))
        return nullptr;
    const TensorInfo& info = m_tensors[index];
    const qint64 rowBytes = info.rowElements() * dtypeSize(as);
    if (!info.readable() || info.dtype != as || info.shape.empty() || first < 0 || count <= 0 ||
        first > info.rowCount() - count || rowBytes <= 0)
        return nullptr;
    m_rawSources.resize(m_tensors.size());
    RawSource& source = m_rawSources[static_cast<size_t>(index)];
    if (source.offset == -2) {
        source.file = m_filePath;
        source.offset = rawDataOffset(index, as, source.file);
        // Misaligned elements would be read through misaligned pointers: read those instead.
        if (source.offset % dtypeSize(as) != 0)
            source.offset = -1;
    }
    if (source.offset < 0)
        return nullptr;
    std::unique_ptr<MappedRows> rows =
        MappedRows::map(source.file, source.offset + first * rowBytes, count * rowBytes);
    if (rows && !source.checked) {
        // The format's own read of row `first` must give the very bytes the mapping holds.
        std::vector<char> row(static_cast<size_t>(rowBytes));
        source.checked = readRows(index, first, 1, as, row.data()).ok() &&
                         std::memcmp(row.data(), rows->data(), row.size()) == 0;
        if (!source.checked) {
            source.offset = -1;
            return nullptr;
        }
    }
    return rows;
}

namespace {

template <typename Reader>
Expected<std::unique_ptr<DumpReader>> upcast(Expected<std::unique_ptr<Reader>> opened)
{
    if (!opened)
        return Error{opened.error()};
    return std::unique_ptr<DumpReader>(std::move(opened).value());
}

} // namespace

Expected<std::unique_ptr<DumpReader>> openDump(const QString& path)
{
    const Expected<DumpFormat> format = sniffFormat(path);
    if (!format)
        return Error{format.error()};
    switch (*format) {
    case DumpFormat::Hdf5:
        return upcast(Hdf5Reader::open(path));
    case DumpFormat::Npy:
        return upcast(NpyReader::open(path));
    case DumpFormat::Npz:
        return upcast(NpzReader::open(path));
    case DumpFormat::NpyFolder:
        return upcast(NpyFolderReader::open(path));
    case DumpFormat::TorchSave:
        return upcast(TorchSaveReader::open(path));
    case DumpFormat::Safetensors:
        return upcast(SafetensorsReader::open(path));
    }
    return Error{QStringLiteral("%1: unknown format").arg(path)};
}

std::optional<QStringList> DumpReader::stringAttribute(const QString&, const QString&)
{
    return std::nullopt;
}

} // namespace shapescope
