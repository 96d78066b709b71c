// SPDX-License-Identifier: GPL-3.0-or-later
#include "npzreader.h"

#include "common/naturalsort.h"
#include "npzentry.h"

#include <QFile>
#include <QRegularExpression>
#include <algorithm>

namespace shapescope {

namespace {

QString openError(const QString& path, int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const QString reason = QString::fromUtf8(zip_error_strerror(&error));
    zip_error_fini(&error);
    switch (code) {
    case ZIP_ER_NOENT:
        return QStringLiteral("%1: no such file").arg(path);
    case ZIP_ER_NOZIP:
        return QStringLiteral("%1: not a zip archive, which an .npz file is; it may be truncated "
                              "or damaged")
            .arg(path);
    case ZIP_ER_INCONS:
        return QStringLiteral("%1: the zip archive is damaged (%2)").arg(path, reason);
    default:
        return QStringLiteral("%1: cannot open the archive: %2").arg(path, reason);
    }
}

// np.savez(..., torch_version=torch.__version__) stores the capture's torch release as a 0-d
// unicode array ('<U12'), which is no tensor: it is read as an attribute of the archive's root
// (analysis/torchversion.h), or ignored when it is anything else.
std::optional<Attribute> readVersionEntry(zip_t* archive, zip_uint64_t index,
                                          const zip_stat_t& stat, const QString& name)
{
    constexpr zip_uint64_t maxBytes = 4096;
    if (!(stat.valid & ZIP_STAT_SIZE) || stat.size > maxBytes)
        return std::nullopt;
    zip_file_t* file = zip_fopen_index(archive, index, 0);
    if (!file)
        return std::nullopt;
    QByteArray bytes(qsizetype(stat.size), '\0');
    const zip_int64_t read = zip_fread(file, bytes.data(), stat.size);
    zip_fclose(file);
    if (read != zip_int64_t(stat.size) || !bytes.startsWith("\x93NUMPY") || bytes.size() < 12)
        return std::nullopt;
    const bool version1 = bytes[6] == 1;
    const auto byte = [&](int i) { return quint32(quint8(bytes[i])); };
    const qsizetype headerLength = version1
                                       ? byte(8) | byte(9) << 8
                                       : byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    const qsizetype start = version1 ? 10 : 12;
    const QString header = QString::fromLatin1(bytes.mid(start, headerLength));
    static const QRegularExpression unicodeScalar(
        QStringLiteral(R"('descr':\s*'<U(\d{1,3})'.*'shape':\s*\(\))"));
    const QRegularExpressionMatch match = unicodeScalar.match(header);
    if (!match.hasMatch())
        return std::nullopt;
    const qsizetype characters = match.captured(1).toInt();
    const QByteArray data = bytes.mid(start + headerLength, characters * 4);
    if (data.size() != characters * 4)
        return std::nullopt;
    QString text;
    for (qsizetype i = 0; i < characters; ++i) {
        const char32_t c = char32_t(quint8(data[4 * i])) | char32_t(quint8(data[4 * i + 1])) << 8 |
                           char32_t(quint8(data[4 * i + 2])) << 16 |
                           char32_t(quint8(data[4 * i + 3])) << 24;
        if (c == 0)
            break; // numpy pads shorter strings with NULs
        text += QString::fromUcs4(&c, 1);
    }
    return Attribute{name, QStringLiteral("string"), text};
}

// An entry whose dtype ShapeScope does not read, as the tensor table lists it (the path as
// NpzEntry::tensorInfo() names a readable one).
TensorInfo unsupportedMember(const QString& entryName, const NpyUnsupported& unsupported)
{
    TensorInfo info;
    info.path = entryName.chopped(4);
    const qsizetype slash = info.path.lastIndexOf(u'/');
    info.group = slash < 0 ? QString() : info.path.left(slash);
    info.name = info.path.mid(slash + 1);
    info.shape = unsupported.shape;
    info.storedType = unsupported.descr;
    info.storage = QStringLiteral("npz entry");
    info.unreadableReason = unsupported.reason;
    return info;
}

} // namespace

void NpzReader::ArchiveCloser::operator()(zip* archive) const
{
    zip_discard(archive); // read-only: nothing to write back
}

NpzReader::~NpzReader() = default;

Expected<std::unique_ptr<NpzReader>> NpzReader::open(const QString& path)
{
    int code = ZIP_ER_OK;
    zip_t* archive = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &code);
    if (!archive)
        return Error{openError(path, code)};
    std::unique_ptr<NpzReader> reader(new NpzReader(path));
    reader->m_archive.reset(archive);

    QStringList groups;
    std::vector<Attribute> rootAttributes;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive, zip_uint64_t(i), 0, &stat) != 0 ||
            !(stat.valid & ZIP_STAT_NAME)) {
            return Error{QStringLiteral("%1: cannot read entry %2 of the archive: %3")
                             .arg(path)
                             .arg(i)
                             .arg(QString::fromUtf8(zip_strerror(archive)))};
        }
        const QString name = QString::fromUtf8(stat.name);
        if (name.endsWith(u'/'))
            continue; // a folder: its members are listed on their own
        // Archives zipped on macOS carry "__MACOSX/._logits.npy" resource forks, not arrays.
        if (name.startsWith(QLatin1String("__MACOSX/"))) {
            reader->m_notes << QStringLiteral("%1: macOS metadata, skipped").arg(name);
            continue;
        }
        if (!name.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive)) {
            reader->m_notes << QStringLiteral("%1: not a .npy entry, skipped").arg(name);
            continue;
        }
        if (name == QLatin1String("torch_version.npy") ||
            name == QLatin1String("__torch_version__.npy")) {
            if (std::optional<Attribute> version =
                    readVersionEntry(archive, zip_uint64_t(i), stat, name.chopped(4))) {
                rootAttributes.push_back(std::move(*version));
                continue;
            }
        }
        if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
            return Error{QStringLiteral("%1: %2: the entry is encrypted, which ShapeScope cannot "
                                        "read")
                             .arg(path, name)};
        }
        NpyUnsupported unsupported;
        Expected<std::unique_ptr<NpzEntry>> entry =
            NpzEntry::open(archive, path, zip_uint64_t(i), stat, &unsupported);
        // An array of strings or objects loses no other array: it is listed, not readable, with
        // its shape, numpy's dtype and the reason. A damaged member still refuses the archive.
        if (!entry && !unsupported.found)
            return Error{entry.error()};
        TensorInfo info = entry ? (*entry)->tensorInfo() : unsupportedMember(name, unsupported);
        if (reader->indexOf(info.path) >= 0 ||
            std::any_of(reader->m_skipped.begin(), reader->m_skipped.end(),
                        [&](const TensorInfo& other) { return other.path == info.path; })) {
            reader->m_notes
                << QStringLiteral("%1: a second entry for tensor %2, skipped").arg(name, info.path);
            continue;
        }
        // Every folder on the way is a group: "a/c/d" lies in "a/c", inside "a".
        for (QString group = info.group; !group.isEmpty();
             group = group.left(std::max<qsizetype>(0, group.lastIndexOf(u'/')))) {
            if (!groups.contains(group))
                groups << group;
        }
        if (!entry) {
            reader->m_skipped.push_back(std::move(info));
            continue;
        }
        reader->m_tensors.push_back(std::move(info));
        reader->m_entries.push_back(std::move(entry).value());
    }
    if (std::optional<Error> nothing = reader->nothingReadable(QStringLiteral("entry")))
        return *nothing;
    if (reader->m_tensors.empty())
        return Error{QStringLiteral("%1: the archive holds no .npy entries").arg(path)};
    std::sort(groups.begin(), groups.end(), naturalLess);
    reader->m_groups.push_back(GroupInfo{QString(), std::move(rootAttributes)});
    for (const QString& group : groups)
        reader->m_groups.push_back(GroupInfo{group, {}});
    return reader;
}

Status NpzReader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    return m_entries[index]->readSlab(slab, as, out);
}

} // namespace shapescope
