// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "npyheader.h"
#include "tensor/slab.h"

namespace shapescope {

// Where an NPY array's data bytes come from: a file, or an entry of an .npz archive.
class NpyByteSource
{
public:
    virtual ~NpyByteSource() = default;
    // Reads exactly `size` bytes starting `offset` bytes into the array data (after the
    // header). Errors name the file and entry.
    virtual Status readData(qint64 offset, qint64 size, char* dst) = 0;
};

// Bytes of file data converted at a time. Bounds a read's memory, besides its output, at twice
// this (raw bytes and, for Fortran order, converted elements awaiting their place).
inline constexpr qint64 npyReadBufferBytes = 256 * 1024;

// Reads `slab` of the array `header` describes from `source` into `out` as C-order elements of
// type `as`. The slab is split into runs contiguous in the file and read in increasing offset
// order, so a stream that only reads forward serves it in one pass; a block of whole rows of a
// C-order array is a single run. Fortran-order data is read in its own order and each element
// put in its C-order place. `slab` must lie inside the array (validateSlab).
Status readNpySlab(const NpyHeader& header, const Slab& slab, DType as, void* out,
                   NpyByteSource& source, qint64 bufferBytes = npyReadBufferBytes);

} // namespace shapescope
