// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchsavereader.h"

#include "npyslab.h"
#include "tensor/elementconvert.h"
#include "torchsavearchive.h"
#include "torchsavetree.h"

#include <cstring>

namespace shapescope {

namespace {

using torchpickle::TensorRef;

// An NPY header for an array pickled inside data.pkl, so that the NPY reader's checks and
// slab reads serve it.
Expected<NpyHeader> arrayHeader(const torchpickle::NdArray& array)
{
    QStringList dims;
    for (qint64 d : array.shape)
        dims << QString::number(d);
    const QString shape = dims.size() == 1 ? dims[0] + u',' : dims.join(QStringLiteral(", "));
    QByteArray dict =
        QStringLiteral("{'descr': '%1', 'fortran_order': %2, 'shape': (%3), }")
            .arg(array.descr, array.fortranOrder ? QStringLiteral("True") : QStringLiteral("False"),
                 shape)
            .toLatin1();
    dict += '\n';
    QByteArray bytes = QByteArrayLiteral("\x93NUMPY\x01\x00");
    bytes += char(dict.size() & 0xff);
    bytes += char(dict.size() >> 8);
    return NpyHeader::parse(bytes + dict);
}

class MemorySource final : public NpyByteSource
{
public:
    explicit MemorySource(const QByteArray& data) : m_data(data) {}
    Status readData(qint64 offset, qint64 size, char* dst) override
    {
        std::memcpy(dst, m_data.constData() + offset, size_t(size));
        return Status::success();
    }

private:
    const QByteArray& m_data;
};

bool isCContiguous(const Shape& shape, const Shape& stride)
{
    qint64 expected = 1;
    for (size_t i = shape.size(); i-- > 0;) {
        if (shape[i] != 1 && stride[i] != expected)
            return false;
        expected *= shape[i];
    }
    return true;
}

QString tupleText(const Shape& values)
{
    QStringList parts;
    for (qint64 v : values)
        parts << QString::number(v);
    return u'(' + parts.join(QStringLiteral(", ")) + (values.size() == 1 ? u",)" : u")");
}

} // namespace

TorchSaveReader::~TorchSaveReader() = default;

Expected<std::unique_ptr<TorchSaveReader>> TorchSaveReader::open(const QString& path)
{
    Expected<TorchSaveArchive> archive = TorchSaveArchive::open(path);
    if (!archive)
        return Error{archive.error()};
    Expected<std::unique_ptr<torchpickle::Pickle>> pickle =
        torchpickle::load(archive->pickle, QStringLiteral("%1: %2").arg(path, archive->pickleName));
    if (!pickle)
        return Error{pickle.error()};
    Expected<TorchSaveTree> tree = layOutPickle((*pickle)->root);
    if (!tree)
        return Error{QStringLiteral("%1: %2").arg(path, tree.error())};

    std::unique_ptr<TorchSaveReader> reader(new TorchSaveReader(path));
    reader->m_byteOrder = archive->byteOrder;
    reader->m_groups = std::move(tree->groups);
    reader->m_notes = std::move(tree->notes);
    QHash<QString, QString> firstUser; // storage key -> the first tensor that uses it
    for (TorchSaveTree::Leaf& leaf : tree->leaves) {
        TensorInfo info;
        info.path = leaf.path;
        info.name = leaf.name;
        info.group = leaf.group;
        Source source;
        if (leaf.array) {
            Expected<NpyHeader> header = arrayHeader(*leaf.array);
            if (!header || header->dataBytes() != leaf.array->data.size()) {
                reader->m_notes << QStringLiteral("%1: a numpy array that is not readable (%2), "
                                                  "skipped")
                                       .arg(leaf.path, header ? QStringLiteral("size mismatch")
                                                              : header.error());
                continue;
            }
            info.shape = header->shape();
            info.dtype = header->dtype();
            info.storage =
                QStringLiteral("numpy array in the pickle; %1").arg(header->layoutText());
            info.storedBytes = header->dataBytes();
            info.attributes = header->attributes();
            source.arrayData = std::make_shared<QByteArray>(leaf.array->data);
            source.arrayHeader = std::move(header).value();
            reader->m_tensors.push_back(std::move(info));
            reader->m_sources.push_back(std::move(source));
            continue;
        }
        const TensorRef& tensor = *leaf.tensor;
        Expected<TorchStorage> storage = archive->storage(*tensor.storage);
        if (!storage)
            return Error{storage.error()};
        if (!storage->type.dtype) {
            info.shape = tensor.shape;
            info.storedType = storage->type.torchName;
            info.unreadableReason = storage->type.unsupportedReason;
            info.storage = QStringLiteral("%1, storage data/%2")
                               .arg(storage->type.torchName, tensor.storage->key);
            reader->m_skipped.push_back(std::move(info));
            continue;
        }
        if (Status fits = storage->checkView(tensor); !fits)
            return Error{QStringLiteral("%1: %2: %3").arg(path, leaf.path, fits.error())};
        info.shape = tensor.shape;
        info.dtype = *storage->type.dtype;
        source.stored = info.dtype;
        source.fileOffset = storage->range.offset;
        source.storageElements = storage->elements;
        source.storageOffset = tensor.storageOffset;
        source.stride = tensor.stride;
        source.contiguous = isCContiguous(tensor.shape, tensor.stride);
        const QString key = tensor.storage->key;
        info.storage = QStringLiteral("%1, storage data/%2 (%3 elements)%4")
                           .arg(storage->type.torchName, key)
                           .arg(storage->elements)
                           .arg(source.contiguous && tensor.storageOffset == 0 &&
                                        info.elementCount() == storage->elements
                                    ? QString()
                                    : QStringLiteral("; view at offset %1, strides %2")
                                          .arg(tensor.storageOffset)
                                          .arg(tupleText(tensor.stride)));
        info.storedBytes = info.elementCount() * dtypeSize(info.dtype);
        info.attributes = {
            {QStringLiteral("torch dtype"), QStringLiteral("string"), storage->type.torchName},
            {QStringLiteral("storage"), QStringLiteral("string"), archive->storageEntry(key)},
            {QStringLiteral("storage offset"), QStringLiteral("int64"),
             QString::number(tensor.storageOffset)},
            {QStringLiteral("stride"), QStringLiteral("string"), tupleText(tensor.stride)},
            {QStringLiteral("device"), QStringLiteral("string"), tensor.storage->location},
            {QStringLiteral("requires_grad"), QStringLiteral("bool"),
             tensor.requiresGrad ? QStringLiteral("True") : QStringLiteral("False")},
        };
        if (tensor.parameter)
            info.attributes.push_back(
                {QStringLiteral("nn.Parameter"), QStringLiteral("bool"), QStringLiteral("True")});
        if (firstUser.contains(key))
            info.attributes.push_back({QStringLiteral("shares storage with"),
                                       QStringLiteral("string"), firstUser.value(key)});
        else
            firstUser.insert(key, leaf.path);
        reader->m_tensors.push_back(std::move(info));
        reader->m_sources.push_back(std::move(source));
    }
    if (reader->m_tensors.empty() && !reader->m_skipped.empty())
        return *reader->nothingReadable(QStringLiteral("tensor"));
    if (reader->m_tensors.empty() && reader->m_notes.isEmpty() &&
        reader->m_groups.front().attributes.empty() && reader->m_groups.size() == 1)
        return Error{QStringLiteral("%1: the file holds no tensors").arg(path)};
    return reader;
}

qint64 TorchSaveReader::rawDataOffset(int index, DType as, QString&)
{
    const Source& source = m_sources[size_t(index)];
    if (source.arrayData || !source.contiguous || source.stored != as ||
        m_byteOrder != nativeByteOrder())
        return -1;
    return source.fileOffset + source.storageOffset * dtypeSize(as);
}

Status TorchSaveReader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    const Source& source = m_sources[size_t(index)];
    if (source.arrayData) {
        MemorySource memory(*source.arrayData);
        return readNpySlab(*source.arrayHeader, slab, as, out, memory);
    }
    return readStrided(source, m_tensors[size_t(index)].path, slab, as, out);
}

// Maps the storage range the slab touches and gathers it in C order, a run at a time when the
// last axis is contiguous (the common case) and an element at a time otherwise.
Status TorchSaveReader::readStrided(const Source& source, const QString& tensorPath,
                                    const Slab& slab, DType as, void* out)
{
    const size_t rank = slab.count.size();
    const int size = dtypeSize(source.stored);
    qint64 first = source.storageOffset, last = source.storageOffset;
    for (size_t axis = 0; axis < rank; ++axis) {
        first += slab.start[axis] * source.stride[axis];
        last += (slab.start[axis] + slab.count[axis] - 1) * source.stride[axis];
    }
    std::unique_ptr<MappedRows> mapped =
        MappedRows::map(filePath(), source.fileOffset + first * size, (last - first + 1) * size);
    if (!mapped)
        return Error{QStringLiteral("%1: %2: cannot map the storage; the file changed or is "
                                    "truncated")
                         .arg(filePath(), tensorPath)};
    const char* base = static_cast<const char*>(mapped->data());
    const qint64 inner = rank == 0 ? 1 : slab.count[rank - 1];
    const qint64 innerStride = rank == 0 ? 1 : source.stride[rank - 1];
    const qint64 outer = rank == 0 ? 1 : slab.elementCount() / std::max<qint64>(inner, 1);
    std::vector<char> gathered(innerStride == 1 ? 0 : size_t(inner * size));
    Shape index(rank == 0 ? 0 : rank - 1, 0);
    char* dst = static_cast<char*>(out);
    for (qint64 row = 0; row < outer; ++row) {
        qint64 at = 0;
        for (size_t axis = 0; axis + 1 < rank; ++axis)
            at += index[axis] * source.stride[axis];
        if (rank > 0)
            at += slab.start[rank - 1] * innerStride;
        // `at` counts from the slab's start, `first` is where the mapping starts.
        at += source.storageOffset - first;
        for (size_t axis = 0; axis + 1 < rank; ++axis)
            at += slab.start[axis] * source.stride[axis];
        const char* src = base + at * size;
        if (innerStride != 1) {
            for (qint64 i = 0; i < inner; ++i)
                std::memcpy(gathered.data() + i * size, src + i * innerStride * size, size_t(size));
            src = gathered.data();
        }
        convertElements(src, source.stored, m_byteOrder, dst, as, inner);
        dst += inner * dtypeSize(as);
        for (size_t axis = rank < 2 ? 0 : rank - 1; axis-- > 0;) {
            if (++index[axis] < slab.count[axis])
                break;
            index[axis] = 0;
        }
    }
    return Status::success();
}

} // namespace shapescope
