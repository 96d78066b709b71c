// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5reader.h"

#include "hdf5attributes.h"
#include "hdf5errorstack.h"
#include "hdf5family.h"
#include "hdf5handle.h"
#include "hdf5library.h"
#include "hdf5storage.h"
#include "hdf5types.h"
#include "hdf5walker.h"
#include "tensor/elementconvert.h"

#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <limits>
#include <vector>

namespace shapescope {

namespace {

// Datasets kept open so their chunk caches survive between reads (the loss engine alternates
// between an output and its target).
constexpr size_t maxOpenDatasets = 4;
// Reads that need a conversion go through a buffer of the file's type of at most this size.
constexpr qint64 maxBufferBytes = 16 << 20;

// "reading rows 64..128", "reading slab [0:2, 3:5]", "reading the scalar".
QString describeRead(const Shape& shape, const Slab& slab)
{
    if (shape.empty())
        return QStringLiteral("reading the scalar");
    bool wholeRows = true;
    for (size_t axis = 1; axis < shape.size(); ++axis)
        wholeRows = wholeRows && slab.start[axis] == 0 && slab.count[axis] == shape[axis];
    if (wholeRows) {
        return QStringLiteral("reading rows %1..%2")
            .arg(slab.start[0])
            .arg(slab.start[0] + slab.count[0]);
    }
    QStringList ranges;
    for (size_t axis = 0; axis < shape.size(); ++axis)
        ranges << QStringLiteral("%1:%2")
                      .arg(slab.start[axis])
                      .arg(slab.start[axis] + slab.count[axis]);
    return QStringLiteral("reading slab [%1]").arg(ranges.join(QStringLiteral(", ")));
}

// Reads `slab` of an open dataset into `out` as `memoryType`; `context` prefixes an error.
Status readHyperslab(hid_t dataset, hid_t memoryType, const Slab& slab, void* out,
                     const QString& context)
{
    Hdf5Space fileSpace(H5Dget_space(dataset));
    Hdf5Space memorySpace;
    if (slab.count.empty()) {
        memorySpace.reset(H5Screate(H5S_SCALAR));
    } else {
        const std::vector<hsize_t> start(slab.start.begin(), slab.start.end());
        const std::vector<hsize_t> count(slab.count.begin(), slab.count.end());
        if (fileSpace && H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start.data(), nullptr,
                                             count.data(), nullptr) < 0)
            return hdf5Error(context);
        memorySpace.reset(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr));
    }
    if (!fileSpace || !memorySpace ||
        H5Dread(dataset, memoryType, memorySpace.get(), fileSpace.get(), H5P_DEFAULT, out) < 0)
        return hdf5Error(context);
    return Status::success();
}

} // namespace

struct Hdf5OpenDataset
{
    int index = -1;
    Hdf5Dataset dataset;
    Hdf5Type fileType;
    Hdf5ElementType element;
};

struct Hdf5ReaderState
{
    // Declared first so it is closed last, after the datasets opened in it.
    Hdf5File file;
    Hdf5PropertyList linkAccess;
    std::vector<Hdf5DatasetRef> datasets;
    std::vector<Hdf5OpenDataset> open; // least recently used first
};

namespace {

// Opens a listed dataset again, with a chunk cache sized for reading it row block by row block.
Expected<Hdf5OpenDataset> openDataset(const Hdf5ReaderState& state, const TensorInfo& info,
                                      int index)
{
    const Hdf5DatasetRef& ref = state.datasets[index];
    const Hdf5PropertyList access = accessWithoutExternalLinks(H5P_DATASET_ACCESS);
    const Hdf5ChunkCache cache = chunkCacheFor(info.shape, info.chunkShape, ref.fileElementSize);
    if (!access || H5Pset_chunk_cache(access.get(), cache.slots, cache.bytes, cache.w0) < 0)
        return hdf5Error(QStringLiteral("setting up the chunk cache"));
    Hdf5OpenDataset opened;
    opened.index = index;
    opened.dataset.reset(H5Dopen2(state.file.get(), ref.rawPath.constData(), access.get()));
    if (!opened.dataset)
        return hdf5Error(QStringLiteral("opening the dataset"));
    H5O_info_t header{};
    if (H5Oget_info2(opened.dataset.get(), &header, H5O_INFO_BASIC) < 0)
        return hdf5Error(QStringLiteral("reading the dataset's header"));
    if (header.addr != ref.address)
        return Error{QStringLiteral("the path no longer leads to the dataset listed at open")};
    opened.fileType.reset(H5Dget_type(opened.dataset.get()));
    opened.element = opened.fileType ? classifyType(opened.fileType.get()) : Hdf5ElementType();
    if (!opened.element.numeric() || *opened.element.dtype != info.dtype)
        return Error{QStringLiteral("the dataset's type differs from the one listed at open")};
    return opened;
}

// The open dataset for tensor `index`, opening it (and closing the least recently used one)
// when it is not open yet.
Expected<Hdf5OpenDataset*> useDataset(Hdf5ReaderState& state, const TensorInfo& info, int index)
{
    auto& open = state.open;
    const auto cached = std::find_if(
        open.begin(), open.end(), [index](const Hdf5OpenDataset& d) { return d.index == index; });
    if (cached != open.end()) {
        std::rotate(cached, cached + 1, open.end());
        return &open.back();
    }
    Expected<Hdf5OpenDataset> opened = openDataset(state, info, index);
    if (!opened)
        return Error{opened.error()};
    if (open.size() >= maxOpenDatasets)
        open.erase(open.begin());
    open.push_back(std::move(opened).value());
    return &open.back();
}

// Reads in the file's own type, then converts like every other reader does (elementconvert.h),
// in blocks of rows so that the intermediate buffer stays bounded.
Status readConverted(const Hdf5OpenDataset& dataset, const Slab& slab, DType as, void* out,
                     const QString& context)
{
    const DType fileType = *dataset.element.dtype;
    const int fileSize = dtypeSize(fileType);
    const Hdf5Type memoryType = readMemoryType(dataset.fileType.get(), dataset.element);
    if (!memoryType || H5Tget_size(memoryType.get()) != size_t(fileSize))
        return Error{context + QStringLiteral(" failed: the element type has an unusual layout")};
    // A 0-d slab is one row of one element. The walker bounds element counts so that no
    // byte count here overflows.
    const qint64 rows = slab.count.empty() ? 1 : slab.count[0];
    const qint64 rowElements = slab.count.empty() ? 1 : slab.elementCount() / rows;
    const qint64 rowsPerBlock =
        std::clamp<qint64>(maxBufferBytes / (rowElements * fileSize), 1, rows);
    std::vector<unsigned char> buffer(static_cast<size_t>(rowsPerBlock * rowElements * fileSize));
    auto* target = static_cast<unsigned char*>(out);
    for (qint64 first = 0; first < rows; first += rowsPerBlock) {
        Slab block = slab;
        if (!block.count.empty()) {
            block.start[0] += first;
            block.count[0] = std::min(rowsPerBlock, rows - first);
        }
        const Status read =
            readHyperslab(dataset.dataset.get(), memoryType.get(), block, buffer.data(), context);
        if (!read)
            return read;
        convertElements(buffer.data(), fileType, nativeByteOrder(),
                        target + first * rowElements * dtypeSize(as), as, block.elementCount());
    }
    return Status::success();
}

} // namespace

namespace {

// libhdf5's chain for a file cut short ("truncated file: eof = 1280, sblock->base_addr = 0,
// stored_eof = 3840") in words a user acts on; the chain follows under "Details:".
Error plainWords(const QString& path, Error error)
{
    static const QRegularExpression truncated(
        QStringLiteral(R"(truncated file: eof = (\d+),.*stored_eof = (\d+))"));
    const QRegularExpressionMatch m = truncated.match(error.message);
    if (!m.hasMatch())
        return error;
    const QLocale c = QLocale::c();
    auto size = [&](const QString& bytes) {
        return c.formattedDataSize(bytes.toLongLong(), 2, QLocale::DataSizeIecFormat);
    };
    // A size no disk holds (beyond 1 PiB) is a damaged header, not a short copy.
    const bool damaged = m.captured(2).toULongLong() > (quint64(1) << 50);
    error.message =
        QStringLiteral("%1: the file is %2 but its header says %3: %4\n\nDetails:\n%5")
            .arg(path, size(m.captured(1)), size(m.captured(2)),
                 damaged ? QStringLiteral("the header is damaged")
                         : QStringLiteral("it was cut short (still being written, or an "
                                          "interrupted copy%1)")
                               .arg(hdf5FamilyHint(path)),
                 error.message);
    return error;
}

} // namespace

Hdf5Reader::Hdf5Reader(QString filePath)
    : DumpReader(std::move(filePath)), m_state(std::make_unique<Hdf5ReaderState>())
{}

Hdf5Reader::~Hdf5Reader()
{
    // Closing ids may touch the error stack of whichever thread destroys the reader.
    prepareHdf5();
    m_state.reset();
}

Expected<std::unique_ptr<Hdf5Reader>> Hdf5Reader::open(const QString& path)
{
    if (const Status safe = threadSafety(); !safe)
        return Error{path + QStringLiteral(": ") + safe.error()};
    prepareHdf5();
    const Hdf5PropertyList fileAccess(H5Pcreate(H5P_FILE_ACCESS));
    // Strong close: closing the file closes whatever is still open in it, so no id outlives it.
    // No file locking: a lock held by the viewer makes the training script's
    // h5py.File(path, "a") fail ("unable to lock file, errno = 11") while the dump is watched.
    if (!fileAccess || H5Pset_fclose_degree(fileAccess.get(), H5F_CLOSE_STRONG) < 0 ||
        H5Pset_file_locking(fileAccess.get(), false, true) < 0)
        return hdf5Error(path + QStringLiteral(": setting up file access"));
    const QByteArray name = QFile::encodeName(path);
    Hdf5File file(H5Fopen(name.constData(), H5F_ACC_RDONLY, fileAccess.get()));
    if (!file) {
        Error plain = plainWords(path, hdf5Error(path + QStringLiteral(": opening the file")));
        // A file a SWMR writer holds open refuses plain readers; a SWMR reader sees every
        // flushed batch.
        Hdf5File swmr(
            H5Fopen(name.constData(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fileAccess.get()));
        if (!swmr) {
            if (std::optional<QString> family = hdf5FamilyMemberError(path))
                return Error{*family + QStringLiteral("\n\nDetails:\n") + plain.message};
            return plain;
        }
        file = std::move(swmr);
    }
    Hdf5PropertyList linkAccess = accessWithoutExternalLinks(H5P_LINK_ACCESS);
    if (!linkAccess)
        return hdf5Error(path + QStringLiteral(": setting up link access"));
    Expected<Hdf5Contents> contents = walkHdf5File(file.get(), linkAccess.get());
    if (!contents)
        return Error{path + QStringLiteral(": ") + contents.error()};

    std::unique_ptr<Hdf5Reader> reader(new Hdf5Reader(path));
    reader->m_tensors = std::move(contents->tensors);
    reader->m_groups = std::move(contents->groups);
    reader->m_notes = std::move(contents->notes);
    reader->m_skipped = std::move(contents->skipped);
    if (reader->m_tensors.empty() && !reader->m_skipped.empty())
        return *reader->nothingReadable(QStringLiteral("dataset"));
    reader->m_state->datasets = std::move(contents->datasets);
    reader->m_state->file = std::move(file);
    reader->m_state->linkAccess = std::move(linkAccess);
    return reader;
}

void Hdf5Reader::setPluginLoading(bool enabled)
{
    setHdf5PluginLoading(enabled);
}

bool Hdf5Reader::pluginLoading()
{
    return hdf5PluginLoading();
}

Status Hdf5Reader::threadSafety()
{
    return hdf5ThreadSafety();
}

std::optional<QStringList> Hdf5Reader::stringAttribute(const QString& objectPath,
                                                       const QString& name)
{
    prepareHdf5();
    const QByteArray path = (objectPath.isEmpty() ? QStringLiteral("/") : objectPath).toUtf8();
    const Hdf5Object object(
        H5Oopen(m_state->file.get(), path.constData(), m_state->linkAccess.get()));
    if (!object)
        return std::nullopt;
    return readStringAttribute(object.get(), name);
}

Status Hdf5Reader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    prepareHdf5();
    const TensorInfo& info = m_tensors[index];
    const QString context =
        QStringLiteral("%1: %2: %3").arg(filePath(), info.path, describeRead(info.shape, slab));
    const Expected<Hdf5OpenDataset*> dataset = useDataset(*m_state, info, index);
    if (!dataset)
        return Error{QStringLiteral("%1 failed: %2").arg(context, dataset.error())};
    if (as == info.dtype && !(*dataset)->element.isEnum) {
        const Hdf5Type memoryType = nativeMemoryType(as);
        return readHyperslab((*dataset)->dataset.get(), memoryType.get(), slab, out, context);
    }
    return readConverted(**dataset, slab, as, out, context);
}

qint64 Hdf5Reader::rawDataOffset(int index, DType as, QString&)
{
    prepareHdf5();
    const TensorInfo& info = m_tensors[index];
    const Expected<Hdf5OpenDataset*> opened = useDataset(*m_state, info, index);
    if (!opened || as != info.dtype || (*opened)->element.isEnum)
        return -1;
    const hid_t dataset = (*opened)->dataset.get();
    const Hdf5PropertyList creation(H5Dget_create_plist(dataset));
    const Hdf5PropertyList fileCreation(H5Fget_create_plist(m_state->file.get()));
    const Hdf5Type memoryType = nativeMemoryType(as);
    hsize_t userBlock = 1;
    if (!creation || !fileCreation || H5Pget_layout(creation.get()) != H5D_CONTIGUOUS ||
        H5Pget_nfilters(creation.get()) != 0 || H5Pget_external_count(creation.get()) != 0 ||
        H5Pget_userblock(fileCreation.get(), &userBlock) < 0 || userBlock != 0 ||
        H5Tequal((*opened)->fileType.get(), memoryType.get()) <= 0)
        return -1;
    // Unallocated storage (never written) has no address; partial allocation never happens
    // for contiguous data, but the size is checked all the same.
    const haddr_t address = H5Dget_offset(dataset);
    if (address == HADDR_UNDEF || address > haddr_t(std::numeric_limits<qint64>::max()) ||
        H5Dget_storage_size(dataset) != hsize_t(info.byteCount()))
        return -1;
    return static_cast<qint64>(address);
}

} // namespace shapescope
