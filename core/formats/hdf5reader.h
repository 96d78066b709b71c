#pragma once

#include "dumpreader.h"

namespace shapescope {

class Hdf5Reader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<Hdf5Reader>> open(const QString& path);
    DumpFormat format() const override { return DumpFormat::Hdf5; }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;

private:
    using DumpReader::DumpReader;
};

} // namespace shapescope
