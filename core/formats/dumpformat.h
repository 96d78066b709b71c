// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QString>
#include <optional>

namespace shapescope {

enum class DumpFormat
{
    Hdf5,
    Npy,
    Npz,
    NpyFolder,
    TorchSave,
    Safetensors, // the last: enumCount<DumpFormat> counts up to it
};

// "hdf5", "npy", "npz", "npy-folder", "torch", "safetensors"
QString formatName(DumpFormat format);
std::optional<DumpFormat> formatFromName(const QString& name);

// Recognises a dump from its bytes (magic numbers), never its extension: a directory is a
// folder of .npy files; "\x93NUMPY" an NPY file; a zip local header an NPZ archive; the HDF5
// signature at offset 0, 512, 1024, ... an HDF5 file; a zip whose first member is
// <archive>/data.pkl, or a bare pickle (the legacy torch.save format), a torch.save file; a
// little-endian length that fits the file followed by '{' a safetensors file.
Expected<DumpFormat> sniffFormat(const QString& path);

} // namespace shapescope
