// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

namespace shapescope {

NpyFile::NpyFile(QString path, NpyHeader header, qint64 trailingBytes)
    : m_path(std::move(path)), m_header(std::move(header)), m_trailingBytes(trailingBytes)
{}

NpyFile::NpyFile(NpyFile&&) noexcept = default;
NpyFile& NpyFile::operator=(NpyFile&&) noexcept = default;
NpyFile::~NpyFile() = default;

Expected<NpyFile> NpyFile::inspect(const QString& path, NpyUnsupported* unsupported)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, file.errorString())};
    // The header parser says how much it needs, at most the preamble and a 10,000-byte header,
    // so a hostile length field never sizes a read.
    QByteArray head = file.read(NpyHeader::maxPreambleSize);
    const qint64 needed = NpyHeader::bytesNeeded(head);
    if (needed > head.size())
        head += file.read(needed - head.size());
    if (file.error() != QFileDevice::NoError)
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())};
    Expected<NpyHeader> header = NpyHeader::parse(head, unsupported);
    if (!header)
        return Error{QStringLiteral("%1: %2").arg(path, header.error())};
    const qint64 afterHeader = file.size() - header->dataOffset();
    if (afterHeader < header->dataBytes())
        return Error{QStringLiteral("%1: %2").arg(path, header->dataSizeMismatch(afterHeader))};
    const qint64 trailing = afterHeader - header->dataBytes();
    return NpyFile(path, std::move(*header), trailing);
}

TensorInfo NpyFile::tensorInfo() const
{
    TensorInfo info;
    const QString fileName = QFileInfo(m_path).fileName();
    info.path = fileName;
    info.name = fileName.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive) ? fileName.chopped(4)
                                                                              : fileName;
    info.shape = m_header.shape();
    info.dtype = m_header.dtype();
    info.storage = m_header.layoutText();
    info.storedBytes = m_header.dataBytes();
    info.attributes = m_header.attributes();
    return info;
}

qint64 NpyFile::rawDataOffset(DType as) const
{
    const bool nativeOrder =
        dtypeSize(as) == 1 || (m_header.byteOrder() == ByteOrder::Little) ==
                                  (QSysInfo::ByteOrder == QSysInfo::LittleEndian);
    if (m_header.dtype() != as || m_header.fortranOrder() || !nativeOrder)
        return -1;
    return m_header.dataOffset();
}

Status NpyFile::readSlab(const Slab& slab, DType as, void* out)
{
    return readNpySlab(m_header, slab, as, out, *this);
}

void NpyFile::close()
{
    m_file.reset();
}

Status NpyFile::readData(qint64 offset, qint64 size, char* dst)
{
    if (!m_file) {
        auto file = std::make_unique<QFile>(m_path);
        if (!file->open(QIODevice::ReadOnly))
            return Error{QStringLiteral("%1: cannot open: %2").arg(m_path, file->errorString())};
        m_file = std::move(file);
    }
    const qint64 position = m_header.dataOffset() + offset;
    if (m_file->pos() != position && !m_file->seek(position)) {
        return Error{QStringLiteral("%1: cannot seek to byte %2: %3")
                         .arg(m_path)
                         .arg(position)
                         .arg(m_file->errorString())};
    }
    for (qint64 done = 0; done < size;) {
        const qint64 n = m_file->read(dst + done, size - done);
        if (n < 0)
            return Error{QStringLiteral("%1: read failed: %2").arg(m_path, m_file->errorString())};
        if (n == 0) {
            // Sizes were checked when the file was opened, so it shrank since.
            return Error{QStringLiteral("%1: the file ends at byte %2, before the array data does; "
                                        "it was truncated after it was opened")
                             .arg(m_path)
                             .arg(position + done)};
        }
        done += n;
    }
    return Status::success();
}

} // namespace shapescope
