#include "npzreader.h"

namespace shapescope {

// PLACEHOLDER until the reader lands.
Expected<std::unique_ptr<NpzReader>> NpzReader::open(const QString& path)
{
    return Error{QStringLiteral("%1: reader not yet implemented").arg(path)};
}

Status NpzReader::doReadSlab(int, const Slab&, DType, void*)
{
    return Error{QStringLiteral("not implemented")};
}

} // namespace shapescope
