// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"

#include <memory>
#include <vector>

struct zip;

namespace shapescope {

class NpzEntry;

// An .npz archive (np.savez, stored; np.savez_compressed, deflated; zip64 as numpy always
// writes): member "logits.npy" is the tensor "logits", "a/b.npy" the tensor "a/b" in group "a".
// Other members are noted and skipped. Opening reads the central directory and each member's
// NPY header only; data is streamed from the member on demand (see NpzEntry).
class NpzReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<NpzReader>> open(const QString& path);
    ~NpzReader() override;
    DumpFormat format() const override { return DumpFormat::Npz; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;

private:
    struct ArchiveCloser
    {
        void operator()(zip* archive) const;
    };

    using DumpReader::DumpReader;

    // Declared first so it is destroyed last, after the entries' streams into it.
    std::unique_ptr<zip, ArchiveCloser> m_archive;
    std::vector<std::unique_ptr<NpzEntry>> m_entries; // parallel to m_tensors
};

} // namespace shapescope
