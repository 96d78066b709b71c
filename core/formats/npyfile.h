// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "npyheader.h"
#include "npyslab.h"
#include "tensor/tensorinfo.h"

#include <QString>
#include <memory>

class QFile;

namespace shapescope {

// One .npy file on disk, for NpyReader and NpyFolderReader. Inspecting it reads the header and
// checks the file holds all the data the header describes; the data is read later through a
// read-only handle opened on first use, so a folder of thousands of files holds one open
// handle at a time (its reader closes the others).
class NpyFile final : public NpyByteSource
{
public:
    // `unsupported` as NpyHeader::parse sets it.
    static Expected<NpyFile> inspect(const QString& path, NpyUnsupported* unsupported = nullptr);

    NpyFile(NpyFile&&) noexcept;
    NpyFile& operator=(NpyFile&&) noexcept;
    ~NpyFile() override;

    const QString& path() const { return m_path; }
    const NpyHeader& header() const { return m_header; }
    // Path "logits.npy" (the file name), name "logits", group "".
    TensorInfo tensorInfo() const;
    // Bytes after the array data, which numpy ignores; a note, not an error.
    qint64 trailingBytes() const { return m_trailingBytes; }

    Status readSlab(const Slab& slab, DType as, void* out);
    // Where the elements start when they can be used in place as `as` (C order, this machine's
    // byte order, the same type); -1 otherwise. See DumpReader::mapRows.
    qint64 rawDataOffset(DType as) const;
    void close();
    Status readData(qint64 offset, qint64 size, char* dst) override;

private:
    NpyFile(QString path, NpyHeader header, qint64 trailingBytes);

    QString m_path;
    NpyHeader m_header;
    qint64 m_trailingBytes = 0;
    std::unique_ptr<QFile> m_file;
};

} // namespace shapescope
