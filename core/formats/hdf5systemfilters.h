// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <vector>

namespace shapescope {

// The compression filters h5py users really use (LZF, Blosc, LZ4, bitshuffle, Zstandard, BZIP2)
// come as HDF5 filter plugins, which Debian installs into libhdf5's own plugin directory
// (/usr/lib/<arch>/hdf5/serial/plugins for libhdf5_serial). libhdf5's plugin search would load
// whatever library sits on HDF5_PLUGIN_PATH for whatever filter id a file names; this instead
// loads a fixed list of file names for a fixed list of ids, from that directory only, and
// registers each filter with H5Zregister while libhdf5's own plugin loading stays off.
struct SystemFilter
{
    int id = 0;          // the filter id the plugin must report
    QString name;        // "lzf"
    QString file;        // the absolute path looked for
    bool loaded = false; // registered with libhdf5
    QString problem;     // why not, when it is installed but could not be used
};

// The directory the plugins built for the libhdf5 this process loaded live in, found from the
// library's own path ("" when it is not one of Debian's flavours).
QString systemFilterDirectory();

// Loads and registers the listed filters found in systemFilterDirectory(), once per process;
// later calls return the first call's outcome. The worker does this at start-up.
const std::vector<SystemFilter>& registerSystemFilters();

// The outcome for filter `id` when registerSystemFilters() has run in this process and lists
// it; nullptr otherwise.
const SystemFilter* systemFilterTried(int id);

} // namespace shapescope
