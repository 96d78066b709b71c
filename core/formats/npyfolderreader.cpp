// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyfolderreader.h"

#include "common/naturalsort.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace shapescope {

Expected<std::unique_ptr<NpyFolderReader>> NpyFolderReader::open(const QString& path)
{
    const QDir dir(path);
    if (!dir.exists())
        return Error{QStringLiteral("%1: no such folder").arg(path)};
    std::unique_ptr<NpyFolderReader> reader(new NpyFolderReader(path));
    QStringList names;
    // Hidden files stay out: macOS copies leave "._batch_1.npy" resource forks beside the
    // arrays, which end in .npy but hold no NPY data.
    const QFileInfoList entries =
        dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& entry : entries) {
        if (entry.isDir()) {
            reader->m_notes << QStringLiteral("%1/: sub-folder not searched; only .npy files "
                                              "directly in the folder are read")
                                   .arg(entry.fileName());
        } else if (entry.fileName().endsWith(QLatin1String(".npy"), Qt::CaseInsensitive)) {
            names << entry.fileName();
        } else {
            reader->m_notes << QStringLiteral("%1: not a .npy file, skipped").arg(entry.fileName());
        }
    }
    if (names.isEmpty())
        return Error{QStringLiteral("%1: no .npy files in this folder").arg(path)};
    std::sort(names.begin(), names.end(), naturalLess);

    for (const QString& name : names) {
        NpyUnsupported unsupported;
        Expected<NpyFile> file = NpyFile::inspect(dir.filePath(name), &unsupported);
        // Listed, not readable, with its shape and numpy's dtype; the other files stay.
        if (!file && unsupported.found) {
            TensorInfo info;
            info.path = name;
            info.name = name.chopped(4);
            info.shape = unsupported.shape;
            info.storedType = unsupported.descr;
            info.storage = QStringLiteral("npy file");
            info.unreadableReason = unsupported.reason;
            reader->m_skipped.push_back(std::move(info));
            continue;
        }
        if (!file)
            return Error{file.error()};
        reader->m_tensors.push_back(file->tensorInfo());
        if (file->trailingBytes() > 0) {
            reader->m_notes << QStringLiteral("%1: %2 bytes after the array data are ignored")
                                   .arg(name)
                                   .arg(file->trailingBytes());
        }
        reader->m_files.push_back(std::move(file).value());
    }
    if (std::optional<Error> nothing = reader->nothingReadable(QStringLiteral(".npy file")))
        return *nothing;
    reader->m_groups.push_back(GroupInfo{QString(), {}});
    return reader;
}

Status NpyFolderReader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    if (m_openIndex != index && m_openIndex >= 0)
        m_files[m_openIndex].close();
    m_openIndex = index;
    return m_files[index].readSlab(slab, as, out);
}

qint64 NpyFolderReader::rawDataOffset(int index, DType as, QString& file)
{
    file = m_files[index].path();
    return m_files[index].rawDataOffset(as);
}

} // namespace shapescope
