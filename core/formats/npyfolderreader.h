// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"
#include "npyfile.h"

#include <vector>

namespace shapescope {

// A folder of .npy files, one tensor each: the files directly inside it (not in sub-folders)
// whose name ends in ".npy" in any case, in natural order (batch_2 before batch_10). A tensor's
// path is its file name ("batch_2.npy"), its name that without ".npy", its group "". Every
// header is read and checked on open, so a damaged file fails the open, naming the file.
class NpyFolderReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<NpyFolderReader>> open(const QString& path);
    DumpFormat format() const override { return DumpFormat::NpyFolder; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    using DumpReader::DumpReader;

    std::vector<NpyFile> m_files; // parallel to m_tensors
    int m_openIndex = -1;         // the one file whose handle is open
};

} // namespace shapescope
