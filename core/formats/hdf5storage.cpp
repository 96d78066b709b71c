// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5storage.h"

#include "hdf5library.h"
#include "hdf5systemfilters.h"

#include <QStringList>
#include <algorithm>
#include <limits>

namespace shapescope {

namespace {

constexpr size_t minCacheBytes = size_t(1) << 20;
constexpr size_t maxCacheBytes = size_t(256) << 20;
constexpr size_t minSlots = 521;
constexpr size_t maxSlots = size_t(1) << 20;

struct KnownFilter
{
    H5Z_filter_t id;
    const char* shortName;
    const char* longName;
    const char* debianPackage; // the Debian 12 package with its plugin, or nullptr
};

// Registered third-party filters (The HDF Group's filter registry) that dumps commonly use.
constexpr KnownFilter knownFilters[] = {
    {307, "bzip2", "BZIP2 compression filter", "hdf5-filter-plugin"},
    {32000, "lzf", "LZF compression filter", "hdf5-plugin-lzf"},
    {32001, "blosc", "Blosc compression filter", "hdf5-filter-plugin-blosc-serial"},
    {32004, "lz4", "LZ4 compression filter", "hdf5-filter-plugin"},
    {32008, "bitshuffle", "bitshuffle filter", "hdf5-filter-plugin"},
    {32013, "zfp", "ZFP compression filter", "hdf5-filter-plugin-zfp-serial"},
    {32015, "zstd", "Zstandard compression filter", nullptr},
    {32017, "sz", "SZ compression filter", nullptr},
    {32026, "blosc2", "Blosc2 compression filter", nullptr},
};

const KnownFilter* knownFilter(H5Z_filter_t id)
{
    for (const KnownFilter& filter : knownFilters) {
        if (filter.id == id)
            return &filter;
    }
    return nullptr;
}

struct FilterInfo
{
    H5Z_filter_t id = H5Z_FILTER_ERROR;
    QString label;       // "gzip 4", "lzf", "filter 32999"
    QString missingName; // how to name it when it is missing
    QString package;     // the Debian package with its plugin, when one exists
};

FilterInfo filterAt(hid_t dcpl, unsigned index)
{
    unsigned flags = 0;
    unsigned values[8] = {};
    size_t valueCount = std::size(values);
    char name[128] = {};
    unsigned config = 0;
    FilterInfo info;
    info.id = H5Pget_filter2(dcpl, index, &flags, &valueCount, values, sizeof name, name, &config);
    // The name is text from the file: keep it short and printable.
    const QString fileName =
        QString::fromUtf8(name, qstrnlen(name, sizeof name)).simplified().left(40);
    switch (info.id) {
    case H5Z_FILTER_DEFLATE:
        info.label =
            valueCount > 0 ? QStringLiteral("gzip %1").arg(values[0]) : QStringLiteral("gzip");
        break;
    case H5Z_FILTER_SHUFFLE:
        info.label = QStringLiteral("shuffle");
        break;
    case H5Z_FILTER_FLETCHER32:
        info.label = QStringLiteral("fletcher32");
        break;
    case H5Z_FILTER_SZIP:
        info.label = QStringLiteral("szip");
        break;
    case H5Z_FILTER_NBIT:
        info.label = QStringLiteral("nbit");
        break;
    case H5Z_FILTER_SCALEOFFSET:
        info.label = QStringLiteral("scaleoffset");
        break;
    default:
        if (const KnownFilter* known = knownFilter(info.id)) {
            info.label = QString::fromLatin1(known->shortName);
            info.missingName = QString::fromLatin1(known->longName);
            info.package = QString::fromLatin1(known->debianPackage);
        } else {
            info.label = fileName.isEmpty() ? QStringLiteral("filter %1").arg(info.id) : fileName;
        }
    }
    if (info.missingName.isEmpty()) {
        info.missingName = fileName.isEmpty() ? QStringLiteral("HDF5 filter %1").arg(info.label)
                                              : QStringLiteral("HDF5 filter \"%1\"").arg(fileName);
    }
    return info;
}

bool canDecode(H5Z_filter_t id)
{
    // H5Zfilter_avail also tries to load a plugin when plugin loading is on.
    if (H5Zfilter_avail(id) <= 0)
        return false;
    unsigned config = 0;
    return H5Zget_filter_info(id, &config) >= 0 && (config & H5Z_FILTER_CONFIG_DECODE_ENABLED);
}

QString missingFilterReason(const FilterInfo& filter)
{
    QString reason = QStringLiteral("needs the %1 (id %2), which this build of HDF5 does not have")
                         .arg(filter.missingName)
                         .arg(filter.id);
    // Ids below 256 are HDF5's own; the rest come as dynamically loaded plugins.
    if (filter.id >= H5Z_FILTER_RESERVED) {
        const SystemFilter* system = systemFilterTried(int(filter.id));
        if (system && !system->problem.isEmpty())
            reason += QStringLiteral("; its plugin %1 could not be used: %2")
                          .arg(system->file, system->problem);
        else if (hdf5PluginLoading())
            reason += QStringLiteral("; no filter plugin for it was found");
        else if (!system)
            reason += QStringLiteral("; a filter plugin could provide it, but loading plugins "
                                     "is off (plugins run code named by the file)");
        if (!filter.package.isEmpty()) {
            reason += QStringLiteral("; Debian packages it as %1").arg(filter.package);
            reason += system ? QStringLiteral(", which is not installed")
                             : QStringLiteral(", which ShapeScope loads in its reader process "
                                              "(not with --no-isolation)");
        }
    }
    return reason;
}

QString joinDims(const Shape& dims)
{
    QStringList parts;
    for (qint64 dim : dims)
        parts << QString::number(dim);
    return parts.join(QLatin1Char('x'));
}

void describeChunked(hid_t dcpl, int rank, Hdf5Storage* storage)
{
    hsize_t dims[H5S_MAX_RANK] = {};
    const int chunkRank = H5Pget_chunk(dcpl, H5S_MAX_RANK, dims);
    for (int axis = 0; axis < std::clamp(chunkRank, 0, H5S_MAX_RANK); ++axis)
        storage->chunkShape.push_back(
            static_cast<qint64>(std::min<hsize_t>(dims[axis], INT64_MAX)));
    if (chunkRank != rank)
        storage->unreadableReason = QStringLiteral("chunk layout does not match the shape");
    QStringList compression;
    QStringList others;
    const int count = std::clamp(H5Pget_nfilters(dcpl), 0, H5Z_MAX_NFILTERS);
    for (int i = 0; i < count; ++i) {
        const FilterInfo filter = filterAt(dcpl, static_cast<unsigned>(i));
        const bool helper = filter.id == H5Z_FILTER_SHUFFLE || filter.id == H5Z_FILTER_FLETCHER32;
        (helper ? others : compression) << filter.label;
        if (storage->unreadableReason.isEmpty() && !canDecode(filter.id))
            storage->unreadableReason = missingFilterReason(filter);
    }
    storage->description = QStringLiteral("chunked ") + joinDims(storage->chunkShape);
    for (const QString& label : compression + others)
        storage->description += QStringLiteral(", ") + label;
}

bool isPrime(size_t n)
{
    if (n < 2)
        return false;
    for (size_t d = 2; d * d <= n; ++d) {
        if (n % d == 0)
            return false;
    }
    return true;
}

// Multiplies without overflow, saturating at the size_t maximum.
size_t saturatingMultiply(size_t a, size_t b)
{
    if (a != 0 && b > std::numeric_limits<size_t>::max() / a)
        return std::numeric_limits<size_t>::max();
    return a * b;
}

} // namespace

Hdf5Storage describeStorage(hid_t dcpl, int rank)
{
    Hdf5Storage storage;
    switch (H5Pget_layout(dcpl)) {
    case H5D_COMPACT:
        storage.description = QStringLiteral("compact");
        break;
    case H5D_CONTIGUOUS: {
        const int files = H5Pget_external_count(dcpl);
        if (files > 0) {
            storage.description =
                QStringLiteral("external storage (%1 %2)")
                    .arg(files)
                    .arg(files == 1 ? QStringLiteral("file") : QStringLiteral("files"));
            storage.unreadableReason = QStringLiteral("external storage is not followed");
        } else {
            storage.description = QStringLiteral("contiguous");
        }
        break;
    }
    case H5D_CHUNKED:
        describeChunked(dcpl, rank, &storage);
        break;
    case H5D_VIRTUAL: {
        size_t mappings = 0;
        H5Pget_virtual_count(dcpl, &mappings);
        storage.description = QStringLiteral("virtual (%1 mappings)").arg(mappings);
        storage.unreadableReason =
            QStringLiteral("virtual dataset refers to other files; not followed");
        break;
    }
    default:
        storage.description = QStringLiteral("unknown layout");
        storage.unreadableReason = QStringLiteral("the storage layout is not one HDF5 1.10 reads");
    }
    return storage;
}

Hdf5ChunkCache chunkCacheFor(const Shape& shape, const Shape& chunkShape, size_t elementSize)
{
    Hdf5ChunkCache cache;
    if (chunkShape.empty() || chunkShape.size() != shape.size())
        return cache;
    size_t chunkBytes = std::max<size_t>(elementSize, 1);
    size_t chunksAcrossRow = 1;
    for (size_t axis = 0; axis < shape.size(); ++axis) {
        const size_t chunk = static_cast<size_t>(std::max<qint64>(chunkShape[axis], 1));
        chunkBytes = saturatingMultiply(chunkBytes, chunk);
        if (axis > 0) {
            const size_t extent = static_cast<size_t>(std::max<qint64>(shape[axis], 1));
            chunksAcrossRow = saturatingMultiply(chunksAcrossRow, (extent + chunk - 1) / chunk);
        }
    }
    cache.bytes =
        std::clamp(saturatingMultiply(chunkBytes, chunksAcrossRow), minCacheBytes, maxCacheBytes);
    const size_t chunksCached = std::max<size_t>(cache.bytes / chunkBytes, 1);
    size_t slots = std::clamp(saturatingMultiply(chunksCached, 100), minSlots, maxSlots);
    while (!isPrime(slots))
        ++slots;
    cache.slots = slots;
    cache.w0 = 1.0;
    return cache;
}

} // namespace shapescope
