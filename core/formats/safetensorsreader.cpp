// SPDX-License-Identifier: GPL-3.0-or-later
#include "safetensorsreader.h"

#include "common/naturalsort.h"
#include "safetensorsheader.h"

#include <QFile>
#include <algorithm>

namespace shapescope {

namespace {

TensorInfo tensorInfo(const SafetensorsEntry& entry)
{
    TensorInfo info;
    info.path = entry.name;
    const qsizetype slash = info.path.lastIndexOf(u'/');
    info.group = slash < 0 ? QString() : info.path.left(slash);
    info.name = info.path.mid(slash + 1);
    info.shape = entry.shape;
    if (entry.dtype) {
        info.dtype = *entry.dtype;
    } else {
        info.storedType = entry.dtypeName;
        info.unreadableReason = entry.unsupported;
    }
    info.storage = QStringLiteral("safetensors %1, little-endian").arg(entry.dtypeName);
    info.storedBytes = entry.end - entry.begin;
    info.attributes = {
        {QStringLiteral("dtype"), QStringLiteral("string"), entry.dtypeName},
        {QStringLiteral("data_offsets"), QStringLiteral("string"),
         QStringLiteral("[%1, %2]").arg(entry.begin).arg(entry.end)},
    };
    return info;
}

} // namespace

SafetensorsReader::~SafetensorsReader() = default;

Expected<std::unique_ptr<SafetensorsReader>> SafetensorsReader::open(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, file.errorString())};
    const qint64 fileSize = file.size();
    const Expected<qint64> length =
        SafetensorsHeader::headerLength(file.read(SafetensorsHeader::preambleBytes), fileSize);
    if (!length)
        return Error{QStringLiteral("%1: %2").arg(path, length.error())};
    const QByteArray json = file.read(*length);
    if (json.size() != *length)
        return Error{
            QStringLiteral("%1: cannot read the header: %2").arg(path, file.errorString())};
    const qint64 dataStart = SafetensorsHeader::preambleBytes + *length;
    Expected<SafetensorsHeader> header = SafetensorsHeader::parse(json, fileSize - dataStart);
    if (!header)
        return Error{QStringLiteral("%1: %2").arg(path, header.error())};

    std::unique_ptr<SafetensorsReader> reader(new SafetensorsReader(path));
    QStringList groups;
    for (const SafetensorsEntry& entry : header->entries()) {
        if (!entry.dtype) {
            reader->m_skipped.push_back(tensorInfo(entry));
            continue;
        }
        TensorInfo info = tensorInfo(entry);
        // Every folder on the way is a group, as in an .npz archive.
        for (QString group = info.group; !group.isEmpty();
             group = group.left(std::max<qsizetype>(0, group.lastIndexOf(u'/')))) {
            if (!groups.contains(group))
                groups << group;
        }
        reader->m_sources.push_back(
            {NpyHeader::describe(*entry.dtype, ByteOrder::Little, entry.shape, entry.elementCount),
             dataStart + entry.begin});
        reader->m_tensors.push_back(std::move(info));
    }
    reader->m_notes << header->notes();
    if (std::optional<Error> nothing = reader->nothingReadable(QStringLiteral("tensor")))
        return *nothing;
    if (reader->m_tensors.empty())
        return Error{QStringLiteral("%1: the file holds no tensors").arg(path)};
    reader->m_groups.push_back(GroupInfo{QString(), header->metadata()});
    std::sort(groups.begin(), groups.end(), naturalLess);
    for (const QString& group : groups)
        reader->m_groups.push_back(GroupInfo{group, {}});
    return reader;
}

Status SafetensorsReader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    const Source& source = m_sources[size_t(index)];
    m_readBase = source.fileOffset;
    return readNpySlab(source.layout, slab, as, out, *this);
}

qint64 SafetensorsReader::rawDataOffset(int index, DType as, QString&)
{
    const Source& source = m_sources[size_t(index)];
    const bool nativeOrder = dtypeSize(as) == 1 || nativeByteOrder() == ByteOrder::Little;
    // A bool byte other than 0 and 1 reads as 1 (convertElements), so bools are never mapped.
    return source.layout.dtype() == as && as != DType::Bool && nativeOrder ? source.fileOffset : -1;
}

Status SafetensorsReader::readData(qint64 offset, qint64 size, char* dst)
{
    if (!m_file) {
        auto file = std::make_unique<QFile>(filePath());
        if (!file->open(QIODevice::ReadOnly))
            return Error{
                QStringLiteral("%1: cannot open: %2").arg(filePath(), file->errorString())};
        m_file = std::move(file);
    }
    const qint64 position = m_readBase + offset;
    if (m_file->pos() != position && !m_file->seek(position)) {
        return Error{QStringLiteral("%1: cannot seek to byte %2: %3")
                         .arg(filePath())
                         .arg(position)
                         .arg(m_file->errorString())};
    }
    for (qint64 done = 0; done < size;) {
        const qint64 n = m_file->read(dst + done, size - done);
        if (n < 0)
            return Error{
                QStringLiteral("%1: read failed: %2").arg(filePath(), m_file->errorString())};
        if (n == 0) {
            // Offsets were checked against the file's size when it was opened, so it shrank.
            return Error{QStringLiteral("%1: the file ends at byte %2, before the tensor data "
                                        "does; it was truncated after it was opened")
                             .arg(filePath())
                             .arg(position + done)};
        }
        done += n;
    }
    return Status::success();
}

} // namespace shapescope
