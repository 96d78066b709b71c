// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hdf5handle.h"
#include "tensor/dtype.h"

#include <QString>
#include <optional>

namespace shapescope {

// What an HDF5 datatype is to ShapeScope: a numeric DType, or a kind of data it does not offer
// as a tensor.
struct Hdf5ElementType
{
    std::optional<DType> dtype; // set when the elements are numbers
    // Enums convert only to enums in HDF5, so they are read with the enum's native type and
    // the raw base integers converted by ShapeScope.
    bool isEnum = false;
    QString kind; // when not numeric: "string", "compound", "variable-length sequence", ...
    QString why;  // when not numeric: "not numeric", "ShapeScope reads real numbers only"

    bool numeric() const { return dtype.has_value(); }
};

// Integers of 1-8 bytes map by size and sign (odd sizes to the next wider type); IEEE half
// (h5py's float16) to Float16; a 2-byte float with float32's 8-bit exponent to BFloat16; other
// floats to the narrowest of float32/float64 whose exponent and mantissa hold theirs, else
// float64. h5py's bool, an int8 enum {FALSE=0, TRUE=1}, is Bool; other integer enums are their
// base integer type.
Hdf5ElementType classifyType(hid_t type);

// An owned memory type holding `dtype` in native byte order; HDF5 converts any byte order and
// precision to it on read.
Hdf5Type nativeMemoryType(DType dtype);

// The memory type to read data of `fileType` (classified as `element`) into before ShapeScope
// converts it: the enum's native type for enums, else nativeMemoryType(*element.dtype).
Hdf5Type readMemoryType(hid_t fileType, const Hdf5ElementType& element);

// "compound", "string", ... for an H5T class that is not numeric.
QString typeClassName(H5T_class_t typeClass);

} // namespace shapescope
