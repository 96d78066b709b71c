#pragma once

#include "dumpreader.h"

namespace shapescope {

class NpyReader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<NpyReader>> open(const QString& path);
    DumpFormat format() const override { return DumpFormat::Npy; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;

private:
    using DumpReader::DumpReader;
};

} // namespace shapescope
