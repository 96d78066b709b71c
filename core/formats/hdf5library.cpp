// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5library.h"

#include "hdf5errorstack.h"
#include "hdf5systemfilters.h"

#include <H5PLpublic.h>
#include <QFileInfo>
#include <mutex>

namespace shapescope {

namespace {

std::once_flag pluginDefaultApplied;

void applyPluginDefault()
{
    std::call_once(pluginDefaultApplied, [] { H5PLset_loading_state(0); });
}

// Debian's filter packages (hdf5-plugin-lzf, hdf5-filter-plugin, ...-blosc-serial) install
// here, while libhdf5 searches only /usr/local/hdf5/lib/plugin unless HDF5_PLUGIN_PATH is set.
void appendSystemPluginDirectory()
{
    static std::once_flag appended;
    std::call_once(appended, [] {
        if (qEnvironmentVariableIsSet("HDF5_PLUGIN_PATH"))
            return;
        for (const char* dir : {"/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins",
                                "/usr/lib/aarch64-linux-gnu/hdf5/serial/plugins"}) {
            if (QFileInfo(QString::fromLatin1(dir)).isDir())
                H5PLappend(dir);
        }
    });
}

herr_t refuseExternalLink(const char*, const char*, const char*, const char*, unsigned*, hid_t,
                          void*)
{
    return -1;
}

} // namespace

Status hdf5ThreadSafety()
{
    static const Status status = [] {
        hbool_t threadSafe = false;
        if (H5is_library_threadsafe(&threadSafe) >= 0 && threadSafe)
            return Status::success();
        unsigned major = 0, minor = 0, release = 0;
        H5get_libversion(&major, &minor, &release);
        return Status(Error{QStringLiteral("the HDF5 library loaded (%1.%2.%3) is not built "
                                           "thread-safe, and ShapeScope reads HDF5 files from "
                                           "several threads; install a thread-safe build (e.g. "
                                           "Debian's libhdf5-dev) to open HDF5 files")
                                .arg(major)
                                .arg(minor)
                                .arg(release)});
    }();
    return status;
}

void prepareHdf5()
{
    Hdf5ErrorStack::silenceThisThread();
    applyPluginDefault();
}

void setHdf5PluginLoading(bool enabled)
{
    prepareHdf5();
    if (enabled) {
        // The listed filters come from the system directory first (Debian's LZF plugin loads
        // only that way); libhdf5's search then serves every other id.
        registerSystemFilters();
        appendSystemPluginDirectory();
    }
    H5PLset_loading_state(enabled ? H5PL_ALL_PLUGIN : 0);
}

bool hdf5PluginLoading()
{
    prepareHdf5();
    unsigned mask = 0;
    return H5PLget_loading_state(&mask) >= 0 && (mask & H5PL_FILTER_PLUGIN) != 0;
}

Hdf5PropertyList accessWithoutExternalLinks(hid_t propertyListClass)
{
    Hdf5PropertyList list(H5Pcreate(propertyListClass));
    if (list && H5Pset_elink_cb(list.get(), refuseExternalLink, nullptr) < 0)
        list.reset();
    return list;
}

} // namespace shapescope
