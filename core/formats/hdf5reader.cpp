#include "hdf5reader.h"

namespace shapescope {

// PLACEHOLDER until the reader lands.
Expected<std::unique_ptr<Hdf5Reader>> Hdf5Reader::open(const QString& path)
{
    return Error{QStringLiteral("%1: reader not yet implemented").arg(path)};
}

Status Hdf5Reader::doReadSlab(int, const Slab&, DType, void*)
{
    return Error{QStringLiteral("not implemented")};
}

} // namespace shapescope
