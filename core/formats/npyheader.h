// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/dtype.h"
#include "tensor/tensorinfo.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace shapescope {

class NpyLiteral;

// The header of an NPY array (numpy.lib.format): the magic "\x93NUMPY", a version byte pair, a
// little-endian header length (2 bytes in version 1.0, 4 in 2.0 and 3.0), then a Python dict
// literal {'descr': ..., 'fortran_order': ..., 'shape': ...}; the array data follows.
//
// A pure function of the file's first bytes, so a fuzzer can call it: it never reads past the
// bytes it is given, rejects header lengths over maxHeaderLength before looking further, and
// checks element and byte counts for overflow, so nothing is sized from untrusted numbers.
// Messages name no file: callers prefix the file (and entry) they read.
// A well-formed header whose dtype ShapeScope does not read (strings, objects, long double,
// structured, complex): what the tensor table lists of it.
struct NpyUnsupported
{
    bool found = false;
    QString descr; // numpy's dtype.str ("<U4", "|O") or the structured descr's text
    Shape shape;
    QString reason; // the parse error's text
};

class NpyHeader
{
public:
    // numpy's max_header_size: longer headers are refused as unsafe to evaluate.
    static constexpr qint64 maxHeaderLength = 10000;
    // Magic, version and header length: 10 bytes in version 1.0, 12 in 2.0 and 3.0.
    static constexpr qint64 maxPreambleSize = 12;
    // numpy 2 allows 64 axes (numpy 1, 32).
    static constexpr int maxRank = 64;

    // How many leading bytes parse() needs, judged from `prefix` (the first maxPreambleSize
    // bytes, or all there are): the preamble and the header it declares. When the preamble is
    // invalid or declares an oversized header, no more bytes help and the answer is
    // prefix.size(), so parse() reports the problem without anything more being read.
    static qint64 bytesNeeded(const QByteArray& prefix);
    // Parses the header from the file's first bytes; any bytes past it are ignored. When the
    // header is well formed but declares a dtype ShapeScope does not read (strings, objects,
    // long double, structured), `unsupported` is filled in (with the shape, when the rest of the
    // header is valid): the array is listed as not readable, not damage.
    static Expected<NpyHeader> parse(const QByteArray& bytes,
                                     NpyUnsupported* unsupported = nullptr);
    // The header of raw C-order data of `elementCount` elements (the caller checked the count
    // and byte size for overflow) that some other format describes, so readNpySlab reads it.
    static NpyHeader describe(DType dtype, ByteOrder order, Shape shape, qint64 elementCount);

    QString versionText() const; // "1.0"
    int majorVersion() const { return m_majorVersion; }
    const QString& descr() const { return m_descr; }
    DType dtype() const { return m_dtype; }
    // The stored byte order; descr '|' and '=' (and none) mean native, as numpy reads them.
    ByteOrder byteOrder() const { return m_byteOrder; }
    bool fortranOrder() const { return m_fortranOrder; }
    const Shape& shape() const { return m_shape; }
    qint64 elementCount() const { return m_elementCount; }
    // Bytes before the array data: preamble and header.
    qint64 dataOffset() const { return m_dataOffset; }
    qint64 dataBytes() const { return m_dataBytes; }

    QString shapeText() const; // as Python prints it: "(10, 4)", "(7,)", "()"
    // "NPY header says shape (10, 4) float32 = 160 bytes but only 100 bytes follow the header
    // (60 missing)"; `bytesAfterHeader` is what the file or entry holds after the header.
    QString dataSizeMismatch(qint64 bytesAfterHeader) const;
    QString layoutText() const; // "npy 1.0, C order, little-endian"
    std::vector<Attribute> attributes() const;

private:
    NpyHeader() = default;
    Status parseDescr(const QString& descr, bool& unsupported);
    Status parseShape(const NpyLiteral& shape, const QString& source);

    int m_majorVersion = 1;
    QString m_descr;
    DType m_dtype = DType::Float32;
    ByteOrder m_byteOrder = ByteOrder::Little;
    bool m_fortranOrder = false;
    Shape m_shape;
    qint64 m_elementCount = 0;
    qint64 m_dataOffset = 0;
    qint64 m_dataBytes = 0;
};

} // namespace shapescope
