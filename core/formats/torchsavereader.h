// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"
#include "npyheader.h"

#include <memory>
#include <vector>

namespace shapescope {

// A torch.save file in the zip format PyTorch has written since 1.6: <archive>/data.pkl, the
// pickled object, names its tensors' storages, which are the stored (uncompressed) members
// <archive>/data/<key>. The pickle is interpreted by torchpickle (an allowlist, nothing runs);
// storages are mapped straight from the file on demand, honouring each tensor's storage offset
// and strides, so a transposed view reads as PyTorch shows it and a storage shared by two
// tensors is one range of the file. The legacy format (before 1.6) and TorchScript archives
// are refused with how to re-save them.
class TorchSaveReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<TorchSaveReader>> open(const QString& path);
    ~TorchSaveReader() override;
    DumpFormat format() const override { return DumpFormat::TorchSave; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    struct Source
    {
        DType stored = DType::Float32;
        qint64 fileOffset = 0; // of the storage's first element
        qint64 storageElements = 0;
        qint64 storageOffset = 0;
        Shape stride;
        bool contiguous = true;
        // A numpy array pickled inside data.pkl, read from memory instead.
        std::shared_ptr<const QByteArray> arrayData;
        std::optional<NpyHeader> arrayHeader;
    };

    using DumpReader::DumpReader;
    Status readStrided(const Source& source, const QString& tensorPath, const Slab& slab, DType as,
                       void* out);

    std::vector<Source> m_sources; // parallel to m_tensors
    ByteOrder m_byteOrder = ByteOrder::Little;
};

} // namespace shapescope
