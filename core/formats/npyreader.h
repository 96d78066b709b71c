// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"
#include "npyfile.h"

#include <optional>

namespace shapescope {

// A single .npy file: one tensor whose path is the file name ("logits.npy"), name the file name
// without ".npy" ("logits"), group "".
class NpyReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<NpyReader>> open(const QString& path);
    DumpFormat format() const override { return DumpFormat::Npy; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    using DumpReader::DumpReader;

    std::optional<NpyFile> m_file;
};

} // namespace shapescope
