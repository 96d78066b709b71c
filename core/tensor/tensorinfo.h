// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dtype.h"

#include <QString>
#include <vector>

namespace shapescope {

using Shape = std::vector<qint64>;

// A scalar or string attribute, shown as text (HDF5 attributes; NPY header facts).
struct Attribute
{
    QString name;
    QString type;  // "float64", "int64", "string", ...
    QString value; // human-readable; arrays are written "[1, 2, 3]"
};

// Everything known about a tensor without reading its data.
struct TensorInfo
{
    QString path;  // "/batch_0000/logits" (HDF5), "logits" (NPZ), "logits.npy" (file, folder)
    QString name;  // last path component without ".npy": "logits"
    QString group; // the containing group: "/batch_0000", "" for a file's or folder's root
    Shape shape;   // empty for a 0-d array
    DType dtype = DType::Float32;
    Shape chunkShape;       // storage chunking (HDF5), empty when contiguous
    QString storage;        // "contiguous", "chunked 64x4096, gzip 4, shuffle", "npy 1.0, C order"
    qint64 storedBytes = 0; // bytes on disk (compressed size when compressed)
    std::vector<Attribute> attributes;
    // Why the data cannot be read although the metadata could (a missing HDF5 filter, external
    // storage). Empty when readable.
    QString unreadableReason;
    // The file's element type when no DType holds it ("complex64", "F8_E4M3", "string",
    // "compound {x: float64, y: int32}"): such an object is listed, never read. Empty otherwise.
    QString storedType;

    qint64 elementCount() const;
    // Axis 0's length; 1 for a 0-d tensor, which reads as one row of one element.
    qint64 rowCount() const;
    // Elements in one row (the product of all axes but the first); 1 for 0-d and 1-d tensors.
    qint64 rowElements() const;
    qint64 byteCount() const { return elementCount() * dtypeSize(dtype); }
    bool readable() const { return unreadableReason.isEmpty(); }
    // The element type as every table shows it: storedType when set, else dtypeName(dtype).
    QString typeText() const { return storedType.isEmpty() ? dtypeName(dtype) : storedType; }
};

// A group of tensors: an HDF5 group, an NPZ archive, a folder, a file's root.
struct GroupInfo
{
    QString path; // "/batch_0000"; "" or "/" for the root
    std::vector<Attribute> attributes;
};

// "32 x 10", "scalar" for 0-d: the one shape text of the CLI, the reports and the GUI (PyTorch
// tuples in diagnostics, "(32, 10)", are advice::tuple).
QString shapeToString(const Shape& shape);
// Product of the extents, or -1 when it would overflow qint64.
qint64 checkedElementCount(const Shape& shape);
// Whether a path the user typed names the tensor at `tensorPath`: h5py users write
// "batch_0/logits" for "/batch_0/logits", so a leading '/' on either side does not count.
bool samePath(const QString& tensorPath, const QString& typed);

} // namespace shapescope
