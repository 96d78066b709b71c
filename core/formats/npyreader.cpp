// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyreader.h"

namespace shapescope {

Expected<std::unique_ptr<NpyReader>> NpyReader::open(const QString& path)
{
    Expected<NpyFile> file = NpyFile::inspect(path);
    if (!file)
        return Error{file.error()};
    std::unique_ptr<NpyReader> reader(new NpyReader(path));
    reader->m_tensors.push_back(file->tensorInfo());
    reader->m_groups.push_back(GroupInfo{QString(), {}});
    if (file->trailingBytes() > 0) {
        reader->m_notes << QStringLiteral("%1: %2 bytes after the array data are ignored")
                               .arg(reader->m_tensors.front().path)
                               .arg(file->trailingBytes());
    }
    reader->m_file.emplace(std::move(file).value());
    return reader;
}

Status NpyReader::doReadSlab(int, const Slab& slab, DType as, void* out)
{
    return m_file->readSlab(slab, as, out);
}

qint64 NpyReader::rawDataOffset(int, DType as, QString&)
{
    return m_file->rawDataOffset(as);
}

} // namespace shapescope
