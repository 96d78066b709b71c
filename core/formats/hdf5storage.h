// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/tensorinfo.h"

#include <QString>
#include <hdf5.h>

namespace shapescope {

// How a dataset's data is laid out in the file, and whether this process can read it.
struct Hdf5Storage
{
    QString description;      // "contiguous", "compact", "chunked 64x4096, gzip 4, shuffle"
    Shape chunkShape;         // empty unless chunked
    QString unreadableReason; // empty when readable
};

// Reads the layout, chunking and filter pipeline from a dataset creation property list. Lists
// the compression filter first, then shuffle and fletcher32. External storage and virtual
// datasets are never followed (they name other files); a filter HDF5 lacks (h5py's LZF, id
// 32000) makes the dataset unreadable with a reason naming it.
Hdf5Storage describeStorage(hid_t creationProperties, int rank);

// The dataset-access chunk cache for reading a dataset block of rows by block of rows.
struct Hdf5ChunkCache
{
    size_t slots = 521;
    size_t bytes = 1 << 20;
    double w0 = 1.0;
};

// The rule: the cache holds at least one full row of chunks (every chunk across the axes after
// the first), so consecutive row blocks falling into the same chunks decompress each chunk
// once. At least HDF5's default 1 MiB, at most 256 MiB (beyond that a chunk row is re-read per
// block instead of exhausting memory). Slots: about 100 per cached chunk, prime, as HDF5
// advises, between 521 and ~1M. w0 = 1: chunks read to the end are evicted first, since rows
// are read in order and a finished chunk is not wanted again.
Hdf5ChunkCache chunkCacheFor(const Shape& shape, const Shape& chunkShape, size_t elementSize);

} // namespace shapescope
