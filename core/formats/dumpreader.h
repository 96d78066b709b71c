// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "dumpformat.h"
#include "mappedrows.h"
#include "tensor/slab.h"
#include "tensor/tensorinfo.h"

#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

namespace shapescope {

// One opened dump. Opening reads metadata only; data is read on demand as hyperslabs converted
// to the caller's type, so no tensor is ever loaded whole. A reader is used by one thread at a
// time (open a second reader to read concurrently). Error messages name the file and, where
// there is one, the tensor or entry.
class DumpReader
{
public:
    virtual ~DumpReader();

    virtual DumpFormat format() const = 0;
    const QString& filePath() const { return m_filePath; }
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    const std::vector<GroupInfo>& groups() const { return m_groups; }
    // Objects the reader saw but does not offer as tensors, one sentence each
    // ("/names: string dataset skipped, not numeric").
    const QStringList& notes() const { return m_notes; }
    // Arrays and datasets the reader found but cannot read (strings, complex, FP8, compounds,
    // a member whose type it does not know): listed with path, shape, storedType and
    // unreadableReason, never offered for analysis, so no index into tensors() refers to them.
    const std::vector<TensorInfo>& skipped() const { return m_skipped; }
    // "scales: 2 x 2 F8_E4M3, FP8 is not read": one skipped() object in one line.
    static QString skippedText(const TensorInfo& object);
    // Index of the tensor with this path, or -1.
    int indexOf(const QString& tensorPath) const;

    // Reads `slab` of tensor `index` into `out` in C order as `as` elements; `out` holds
    // slab.elementCount() of them. Validates the index and slab before the format sees them.
    Status readSlab(int index, const Slab& slab, DType as, void* out);
    // Rows [first, first + count) along axis 0 (a 0-d tensor has one row of one element).
    Status readRows(int index, qint64 first, qint64 count, DType as, void* out);
    // The same rows without a copy, straight from the file's pages, when the file stores the
    // tensor uncompressed, in C order, as `as` in this machine's byte order (contiguous HDF5
    // datasets, .npy files); nullptr otherwise, and the caller reads them. The first mapping of
    // a tensor is checked against what readRows gives for its first row.
    std::unique_ptr<MappedRows> mapRows(int index, qint64 first, qint64 count, DType as);
    // Every string of the text attribute `name` on the group or tensor at `objectPath`, unshortened
    // (TensorInfo::attributes shows at most 16); nullopt when the format has no such attribute.
    virtual std::optional<QStringList> stringAttribute(const QString& objectPath,
                                                       const QString& name);

protected:
    explicit DumpReader(QString filePath) : m_filePath(std::move(filePath)) {}
    // Called with a valid index and a slab inside the tensor; the tensor is readable.
    virtual Status doReadSlab(int index, const Slab& slab, DType as, void* out) = 0;
    // Where the tensor's elements start in `file` (preset to filePath()) when they lie there as
    // described for mapRows(); -1 when they do not (the default).
    virtual qint64 rawDataOffset(int index, DType as, QString& file);
    // A view of a dump maps its untouched tensors from the file like the dump does.
    friend class TransformedReader;
    // Whether the reader found objects but none it can offer ("%1: no `what` ShapeScope can
    // read: " and each skipped object and note): a dump with nothing to analyse is refused
    // rather than shown as an empty success. Nullopt when there are tensors, or nothing at all.
    std::optional<Error> nothingReadable(const QString& what) const;

    std::vector<TensorInfo> m_tensors;
    std::vector<GroupInfo> m_groups;
    QStringList m_notes;
    std::vector<TensorInfo> m_skipped;

private:
    QString m_filePath;
    // Per tensor, where mapRows() finds its elements: found on the first call, then kept.
    struct RawSource
    {
        QString file;
        qint64 offset = -2;   // -2 not looked up yet, -1 not mappable
        bool checked = false; // a mapping was compared with readRows
    };
    std::vector<RawSource> m_rawSources;
};

// Opens any dump: sniffs the format from its bytes and hands it to the matching reader.
Expected<std::unique_ptr<DumpReader>> openDump(const QString& path);

} // namespace shapescope
