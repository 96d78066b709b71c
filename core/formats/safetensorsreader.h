// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"
#include "npyheader.h"
#include "npyslab.h"

#include <memory>
#include <vector>

class QFile;

namespace shapescope {

// A .safetensors file (see SafetensorsHeader): tensor "batch_0000/logits" lies in group
// "batch_0000", `__metadata__` becomes the root group's attributes, and tensors of a type
// ShapeScope does not read (FP8, complex) are listed in the notes with the reason. Opening reads
// and validates the header only; data is read on demand from the file, or mapped in place.
class SafetensorsReader final : public DumpReader, private NpyByteSource
{
public:
    static Expected<std::unique_ptr<SafetensorsReader>> open(const QString& path);
    ~SafetensorsReader() override;
    DumpFormat format() const override { return DumpFormat::Safetensors; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    // Where a tensor's bytes are and how they are laid out, for readNpySlab.
    struct Source
    {
        NpyHeader layout;
        qint64 fileOffset;
    };

    using DumpReader::DumpReader;
    Status readData(qint64 offset, qint64 size, char* dst) override;

    std::vector<Source> m_sources; // parallel to m_tensors
    std::unique_ptr<QFile> m_file; // opened on the first read
    qint64 m_readBase = 0;         // file offset of the tensor being read
};

} // namespace shapescope
