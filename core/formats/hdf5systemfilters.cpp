// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5systemfilters.h"

#include "hdf5library.h"

#include <H5PLpublic.h>
#include <H5Zpublic.h>
#include <QFileInfo>
#include <atomic>
#include <dlfcn.h>
#include <mutex>

namespace shapescope {

namespace {

struct Candidate
{
    int id;
    const char* name;
    const char* file;
    // A library the plugin needs but does not link: Debian 12's hdf5-plugin-lzf (3.7.0-8)
    // leaves lzf_compress/lzf_decompress undefined, so dlopen fails unless liblzf1 is loaded
    // into the global namespace first.
    const char* preload;
};

// File names as Debian 12 installs them (hdf5-plugin-lzf, hdf5-filter-plugin-blosc-serial,
// hdf5-filter-plugin); libh5bshuf/libh5zstd are the names HDF5-External-Filter-Plugins gives
// the bitshuffle and Zstandard plugins, which Debian 12 does not ship.
constexpr Candidate candidates[] = {
    {32000, "lzf", "liblzf_filter.so", "liblzf.so.1"},
    {32001, "blosc", "libH5Zblosc.so", nullptr},
    {32004, "lz4", "libh5lz4.so", nullptr},
    {32008, "bitshuffle", "libh5bshuf.so", nullptr},
    {32015, "zstd", "libh5zstd.so", nullptr},
    {307, "bzip2", "libh5bz2.so", nullptr},
};

using PluginType = H5PL_type_t (*)();
using PluginInfo = const void* (*)();

QString dlProblem()
{
    const char* text = dlerror();
    return text ? QString::fromLocal8Bit(text) : QStringLiteral("unknown dlopen error");
}

void registerOne(const Candidate& candidate, SystemFilter& filter)
{
    if (H5Zfilter_avail(H5Z_filter_t(candidate.id)) > 0) {
        filter.loaded = true; // built into this libhdf5 or registered before
        return;
    }
    if (!QFileInfo::exists(filter.file))
        return;
    if (candidate.preload && !dlopen(candidate.preload, RTLD_NOW | RTLD_GLOBAL)) {
        filter.problem = dlProblem();
        return;
    }
    // Never unloaded: libhdf5 keeps pointers to the filter's functions.
    void* library = dlopen(filter.file.toLocal8Bit().constData(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        filter.problem = dlProblem();
        return;
    }
    const auto type = reinterpret_cast<PluginType>(dlsym(library, "H5PLget_plugin_type"));
    const auto info = reinterpret_cast<PluginInfo>(dlsym(library, "H5PLget_plugin_info"));
    if (!type || !info || type() != H5PL_TYPE_FILTER) {
        filter.problem = QStringLiteral("not an HDF5 filter plugin");
        return;
    }
    const auto* filterClass = static_cast<const H5Z_class2_t*>(info());
    if (!filterClass || filterClass->version != H5Z_CLASS_T_VERS ||
        filterClass->id != H5Z_filter_t(candidate.id)) {
        filter.problem = QStringLiteral("the plugin is not filter %1").arg(candidate.id);
        return;
    }
    if (H5Zregister(filterClass) < 0) {
        filter.problem = QStringLiteral("H5Zregister refused it");
        return;
    }
    filter.loaded = true;
}

} // namespace

QString systemFilterDirectory()
{
    Dl_info where{};
    if (!dladdr(reinterpret_cast<void*>(&H5open), &where) || !where.dli_fname)
        return {};
    const QFileInfo library(QString::fromLocal8Bit(where.dli_fname));
    // Debian's flavours are ABI-incompatible builds: a plugin must come from its own flavour's
    // directory (libhdf5_serial.so.103 -> .../hdf5/serial/plugins).
    for (const char* flavour : {"serial", "openmpi", "mpich"}) {
        if (library.fileName().startsWith(
                QStringLiteral("libhdf5_%1.so").arg(QLatin1String(flavour)))) {
            return library.absolutePath() +
                   QStringLiteral("/hdf5/%1/plugins").arg(QLatin1String(flavour));
        }
    }
    return {};
}

namespace {
std::vector<SystemFilter> filters;
std::once_flag registered;
std::atomic<bool> tried{false};
} // namespace

const std::vector<SystemFilter>& registerSystemFilters()
{
    std::call_once(registered, [] {
        prepareHdf5();
        const QString directory = systemFilterDirectory();
        for (const Candidate& candidate : candidates) {
            SystemFilter filter;
            filter.id = candidate.id;
            filter.name = QString::fromLatin1(candidate.name);
            if (!directory.isEmpty())
                filter.file = directory + QLatin1Char('/') + QLatin1String(candidate.file);
            registerOne(candidate, filter);
            filters.push_back(filter);
        }
        tried.store(true, std::memory_order_release);
    });
    return filters;
}

const SystemFilter* systemFilterTried(int id)
{
    if (!tried.load(std::memory_order_acquire))
        return nullptr;
    for (const SystemFilter& filter : filters) {
        if (filter.id == id)
            return &filter;
    }
    return nullptr;
}

} // namespace shapescope
