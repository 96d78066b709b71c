// SPDX-License-Identifier: GPL-3.0-or-later
#include "npzentry.h"

#include <QLocale>
#include <algorithm>

namespace shapescope {

NpzEntry::NpzEntry(zip_t* archive, const QString& archivePath, zip_uint64_t index,
                   const zip_stat_t& stat)
    : m_archive(archive), m_archivePath(archivePath), m_index(index),
      m_entryName(QString::fromUtf8(stat.name)),
      m_compressionMethod(static_cast<quint16>(stat.comp_method)),
      m_compressedBytes(static_cast<qint64>(stat.comp_size))
{}

NpzEntry::~NpzEntry() = default;

Expected<std::unique_ptr<NpzEntry>> NpzEntry::open(zip_t* archive, const QString& archivePath,
                                                   zip_uint64_t index, const zip_stat_t& stat,
                                                   NpyUnsupported* unsupported)
{
    std::unique_ptr<NpzEntry> entry(new NpzEntry(archive, archivePath, index, stat));
    if (Status status = entry->openStream(); !status)
        return Error{status.error()};

    // The parser asks for what it needs, at most a preamble and a 10,000-byte header.
    QByteArray head(NpyHeader::maxPreambleSize, Qt::Uninitialized);
    Expected<qint64> got = entry->readUpTo(head.data(), head.size());
    if (!got)
        return Error{got.error()};
    head.truncate(*got);
    const qint64 needed = NpyHeader::bytesNeeded(head);
    if (needed > head.size()) {
        const qint64 have = head.size();
        head.resize(needed);
        got = entry->readUpTo(head.data() + have, needed - have);
        if (!got)
            return Error{got.error()};
        head.truncate(have + *got);
    }
    Expected<NpyHeader> header = NpyHeader::parse(head, unsupported);
    if (!header)
        return Error{QStringLiteral("%1: %2").arg(entry->where(), header.error())};
    entry->m_header = std::move(header).value();
    entry->m_stream.reset();

    const qint64 declared = static_cast<qint64>(stat.size);
    const qint64 needs = entry->m_header->dataOffset() + entry->m_header->dataBytes();
    if ((stat.valid & ZIP_STAT_SIZE) && (stat.size > quint64(INT64_MAX) || declared != needs)) {
        const qint64 after = std::max<qint64>(0, declared - entry->m_header->dataOffset());
        return Error{QStringLiteral("%1: %2; the archive's size for the entry disagrees with its "
                                    "NPY header")
                         .arg(entry->where(), entry->m_header->dataSizeMismatch(after))};
    }
    return entry;
}

QString NpzEntry::where() const
{
    return QStringLiteral("%1: %2").arg(m_archivePath, m_entryName);
}

TensorInfo NpzEntry::tensorInfo() const
{
    TensorInfo info;
    info.path = m_entryName.chopped(4); // the ".npy", in any case
    const qsizetype slash = info.path.lastIndexOf(u'/');
    info.group = slash < 0 ? QString() : info.path.left(slash);
    info.name = info.path.mid(slash + 1);
    info.shape = m_header->shape();
    info.dtype = m_header->dtype();
    const QString size = QLocale::c().formattedDataSize(m_compressedBytes, 1);
    const QString compression =
        m_compressionMethod == ZIP_CM_STORE ? QStringLiteral("stored")
        : m_compressionMethod == ZIP_CM_DEFLATE
            ? QStringLiteral("deflated %1").arg(size)
            : QStringLiteral("compressed (zip method %1) %2").arg(m_compressionMethod).arg(size);
    info.storage = QStringLiteral("npz entry, %1; %2").arg(compression, m_header->layoutText());
    info.storedBytes = m_compressedBytes;
    info.attributes = m_header->attributes();
    info.attributes.push_back({QStringLiteral("zip entry"), QStringLiteral("string"), m_entryName});
    info.attributes.push_back({QStringLiteral("compressed bytes"), QStringLiteral("int64"),
                               QString::number(m_compressedBytes)});
    return info;
}

Status NpzEntry::readSlab(const Slab& slab, DType as, void* out)
{
    return readNpySlab(*m_header, slab, as, out, *this);
}

Status NpzEntry::readData(qint64 offset, qint64 size, char* dst)
{
    const qint64 position = m_header->dataOffset() + offset;
    if (!m_stream || position < m_position) {
        if (Status status = openStream(); !status)
            return status;
    }
    if (Status status = skipTo(position); !status)
        return status;
    if (Status status = readExactly(dst, size); !status)
        return status;
    if (m_position == m_header->dataOffset() + m_header->dataBytes())
        return finishStream();
    return Status::success();
}

Status NpzEntry::openStream()
{
    m_stream.reset(zip_fopen_index(m_archive, m_index, 0));
    m_position = 0;
    if (!m_stream) {
        return Error{QStringLiteral("%1: cannot open the entry: %2")
                         .arg(where(), QString::fromUtf8(zip_strerror(m_archive)))};
    }
    return Status::success();
}

Error NpzEntry::streamError()
{
    zip_error_t* error = zip_file_get_error(m_stream.get());
    const bool badChecksum = zip_error_code_zip(error) == ZIP_ER_CRC;
    const qint64 needed = m_header ? m_header->dataOffset() + m_header->dataBytes() : 0;
    QString message = QStringLiteral("cannot read the entry: %1")
                          .arg(QString::fromUtf8(zip_error_strerror(error)));
    // libzip compares the checksum at the end of the stream, so a stream that ends early
    // surfaces as a checksum error; the byte counts say what really happened.
    if (badChecksum && m_position < needed) {
        message = QStringLiteral("the entry ends after %1 bytes but its NPY header needs %2 (and "
                                 "its CRC-32 checksum fails); the archive is truncated or damaged")
                      .arg(m_position)
                      .arg(needed);
    } else if (badChecksum) {
        message = QStringLiteral("the entry is damaged: its CRC-32 checksum does not match its "
                                 "data");
    }
    // libzip's read errors are sticky; the next read starts a fresh stream.
    m_stream.reset();
    m_position = 0;
    return Error{QStringLiteral("%1: %2").arg(where(), message)};
}

Expected<qint64> NpzEntry::readUpTo(char* dst, qint64 size)
{
    qint64 done = 0;
    while (done < size) {
        const zip_int64_t n = zip_fread(m_stream.get(), dst + done, zip_uint64_t(size - done));
        if (n < 0)
            return streamError();
        if (n == 0)
            break;
        done += n;
        m_position += n;
    }
    return done;
}

Status NpzEntry::readExactly(char* dst, qint64 size)
{
    const Expected<qint64> got = readUpTo(dst, size);
    if (!got)
        return Error{got.error()};
    if (*got < size) {
        const qint64 ended = m_position;
        m_stream.reset();
        m_position = 0;
        return Error{QStringLiteral("%1: the entry ends after %2 bytes but its NPY header needs "
                                    "%3; the archive is truncated or damaged")
                         .arg(where())
                         .arg(ended)
                         .arg(m_header->dataOffset() + m_header->dataBytes())};
    }
    return Status::success();
}

Status NpzEntry::skipTo(qint64 position)
{
    char discard[16 * 1024];
    while (m_position < position) {
        const qint64 n = std::min<qint64>(sizeof discard, position - m_position);
        if (Status status = readExactly(discard, n); !status)
            return status;
    }
    return Status::success();
}

Status NpzEntry::finishStream()
{
    char probe = 0;
    const zip_int64_t n = zip_fread(m_stream.get(), &probe, 1);
    if (n < 0)
        return streamError();
    m_stream.reset();
    m_position = 0;
    if (n > 0) {
        return Error{QStringLiteral("%1: the entry holds more data than its NPY header describes; "
                                    "the archive is damaged")
                         .arg(where())};
    }
    return Status::success();
}

} // namespace shapescope
