// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "npyheader.h"
#include "npyslab.h"
#include "tensor/tensorinfo.h"

#include <memory>
#include <optional>
#include <zip.h>

namespace shapescope {

// One .npy member of an .npz archive, read as a forward stream. libzip decompresses a member
// only from its start, and checks its CRC-32 only when a single pass reads it from start to
// end and then sees the end of the stream (never after zip_fseek). So a read behind the
// stream's position reopens it, a read ahead of it reads and discards the gap, and the read that
// reaches the end of the array data also reads the end of the stream, which makes libzip compare
// the checksum. The finished stream is closed, so an archive of thousands of members holds
// decompressors only for those being read. No size the archive declares sizes any memory.
class NpzEntry final : public NpyByteSource
{
public:
    // Parses the member's NPY header from the first bytes of its stream, and checks the
    // uncompressed size the archive declares for it against the header. `unsupported` as
    // NpyHeader::parse sets it.
    static Expected<std::unique_ptr<NpzEntry>> open(zip_t* archive, const QString& archivePath,
                                                    zip_uint64_t index, const zip_stat_t& stat,
                                                    NpyUnsupported* unsupported = nullptr);
    ~NpzEntry() override;

    const NpyHeader& header() const { return *m_header; }
    // Member "a/b.npy" is the tensor with path "a/b", name "b", group "a".
    TensorInfo tensorInfo() const;

    Status readSlab(const Slab& slab, DType as, void* out);
    Status readData(qint64 offset, qint64 size, char* dst) override;

private:
    struct StreamCloser
    {
        void operator()(zip_file_t* stream) const { zip_fclose(stream); }
    };

    NpzEntry(zip_t* archive, const QString& archivePath, zip_uint64_t index,
             const zip_stat_t& stat);
    QString where() const; // "/data/run.npz: logits.npy"
    Status openStream();
    Error streamError();
    // Reads up to `size` bytes, fewer only at the end of the stream.
    Expected<qint64> readUpTo(char* dst, qint64 size);
    Status readExactly(char* dst, qint64 size);
    Status skipTo(qint64 position);
    Status finishStream();

    zip_t* m_archive;
    QString m_archivePath;
    zip_uint64_t m_index;
    QString m_entryName;
    quint16 m_compressionMethod;
    qint64 m_compressedBytes;
    std::optional<NpyHeader> m_header;
    std::unique_ptr<zip_file_t, StreamCloser> m_stream;
    qint64 m_position = 0; // bytes of the member m_stream has delivered
};

} // namespace shapescope
