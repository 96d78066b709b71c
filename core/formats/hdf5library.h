// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "hdf5handle.h"

namespace shapescope {

// Process- and thread-wide HDF5 setup for ShapeScope's readers. Call prepareHdf5() at every
// entry point that may call HDF5: it silences automatic error printing for the calling thread
// and, once per process, turns filter plugin loading off unless setHdf5PluginLoading() chose.
void prepareHdf5();

// ShapeScope calls HDF5 from several threads at once (concurrent session calls, the loss
// engine's read-ahead), which is safe only with a library built with --enable-threadsafe; the
// build refuses any other (core/CMakeLists.txt), and this checks the library actually loaded
// (another one may come first on the library path). An error naming the version when it is
// not thread-safe; Hdf5Reader then opens nothing, and main() prints it at start-up.
Status hdf5ThreadSafety();

// Dynamically loaded filter plugins are shared libraries HDF5 loads because a file names their
// filter id: code execution triggered by a file from a stranger. Off by default. Process-wide;
// the environment variable HDF5_PLUGIN_PRELOAD="::" keeps them off whatever is asked here.
void setHdf5PluginLoading(bool enabled);
bool hdf5PluginLoading();

// A new link-access (or dataset-access, which is a kind of link access) property list whose
// external-link callback refuses every traversal. HDF5 has no file-access property that turns
// external links off, so every open by path carries one of these.
Hdf5PropertyList accessWithoutExternalLinks(hid_t propertyListClass);

} // namespace shapescope
