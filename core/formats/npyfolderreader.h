#pragma once

#include "dumpreader.h"

namespace shapescope {

class NpyFolderReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<NpyFolderReader>> open(const QString& path);
    DumpFormat format() const override { return DumpFormat::NpyFolder; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;

private:
    using DumpReader::DumpReader;
};

} // namespace shapescope
