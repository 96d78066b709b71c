// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dumpreader.h"

namespace shapescope {

struct Hdf5ReaderState;

// An HDF5 file (h5py's, PyTorch dumps written through h5py) read with the HDF5 C library:
// read-only, metadata at open, data on demand by hyperslab. Every group is walked through hard
// links only; soft, external and user-defined links, non-numeric datasets, external storage,
// virtual datasets and filters this build lacks are listed as notes or unreadable reasons,
// never followed.
class Hdf5Reader final : public DumpReader
{
public:
    static Expected<std::unique_ptr<Hdf5Reader>> open(const QString& path);
    ~Hdf5Reader() override;
    DumpFormat format() const override { return DumpFormat::Hdf5; }

    // Dynamically loaded HDF5 filter plugins are shared libraries that HDF5 loads because a
    // file names their filter: code execution on opening a file from a stranger. Off by
    // default; process-wide; applies to datasets opened afterwards. HDF5_PLUGIN_PRELOAD="::"
    // in the environment keeps plugins off whatever is asked here.
    static void setPluginLoading(bool enabled);
    static bool pluginLoading();
    // Whether the HDF5 library loaded is thread-safe (see hdf5ThreadSafety()); when it is not,
    // open() refuses every file with this error.
    static Status threadSafety();
    std::optional<QStringList> stringAttribute(const QString& objectPath,
                                               const QString& name) override;

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    // Contiguous, unfiltered datasets with internal storage whose file type is `as` natively.
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    explicit Hdf5Reader(QString filePath);

    // HDF5 ids, defined in the .cpp so that this header does not need hdf5.h.
    std::unique_ptr<Hdf5ReaderState> m_state;
};

} // namespace shapescope
