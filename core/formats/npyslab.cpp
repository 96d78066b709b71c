// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyslab.h"

#include "tensor/elementconvert.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace shapescope {

namespace {

// A slab in the order the file stores it: a Fortran-order array is the C-order array of the
// reversed shape, so reversing every axis list makes both orders one case.
struct StorageView
{
    Shape shape;
    Shape start;
    Shape count;
    Shape fileStride; // elements between neighbours along each axis in the file
    Shape outStride;  // elements between neighbours along each axis in the C-order output
};

StorageView storageView(const NpyHeader& header, const Slab& slab, bool fortran)
{
    const size_t rank = header.shape().size();
    StorageView view{header.shape(), slab.start, slab.count, Shape(rank, 1), Shape(rank, 1)};
    for (size_t axis = rank; axis-- > 1;)
        view.outStride[axis - 1] = view.outStride[axis] * slab.count[axis];
    if (fortran) {
        std::reverse(view.shape.begin(), view.shape.end());
        std::reverse(view.start.begin(), view.start.end());
        std::reverse(view.count.begin(), view.count.end());
        std::reverse(view.outStride.begin(), view.outStride.end());
    }
    for (size_t axis = rank; axis-- > 1;)
        view.fileStride[axis - 1] = view.fileStride[axis] * view.shape[axis];
    return view;
}

class SlabCopier
{
public:
    SlabCopier(const NpyHeader& header, const Slab& slab, DType as, void* out,
               NpyByteSource& source, qint64 bufferBytes)
        : m_header(header), m_as(as), m_out(static_cast<char*>(out)), m_source(source),
          m_fortran(header.fortranOrder() && header.shape().size() > 1),
          m_view(storageView(header, slab, m_fortran)), m_itemSize(dtypeSize(header.dtype())),
          m_outSize(dtypeSize(as)),
          m_chunkElements(std::max<qint64>(1, bufferBytes / std::max(m_itemSize, m_outSize)))
    {}

    Status copy(qint64 elementCount)
    {
        const int rank = static_cast<int>(m_view.shape.size());
        if (rank == 0)
            return copyRun(0, 0, 1);
        // The innermost axes the slab covers whole join the run along the axis before them.
        int runAxis = rank - 1;
        while (runAxis > 0 && m_view.count[runAxis] == m_view.shape[runAxis])
            --runAxis;
        m_runAxis = runAxis;
        const qint64 runElements = m_view.count[runAxis] * m_view.fileStride[runAxis];
        Shape index(runAxis, 0); // odometer over the axes outside the run
        for (qint64 run = 0, runs = elementCount / runElements; run < runs; ++run) {
            qint64 fileElement = m_view.start[runAxis] * m_view.fileStride[runAxis];
            qint64 outElement = 0;
            for (int axis = 0; axis < runAxis; ++axis) {
                fileElement += (m_view.start[axis] + index[axis]) * m_view.fileStride[axis];
                outElement += index[axis] * m_view.outStride[axis];
            }
            if (Status status = copyRun(fileElement, outElement, runElements); !status)
                return status;
            for (int axis = runAxis - 1; axis >= 0; --axis) {
                if (++index[axis] < m_view.count[axis])
                    break;
                index[axis] = 0;
            }
        }
        return Status::success();
    }

private:
    bool direct() const
    {
        const DType stored = m_header.dtype();
        // Bool goes through convertElements, which turns any non-zero byte into 1.
        return !m_fortran && m_as == stored && stored != DType::Bool &&
               (m_itemSize == 1 || m_header.byteOrder() == nativeByteOrder());
    }

    Status copyRun(qint64 fileElement, qint64 outElement, qint64 elements)
    {
        if (direct()) {
            return m_source.readData(fileElement * m_itemSize, elements * m_itemSize,
                                     m_out + outElement * m_outSize);
        }
        const qint64 chunk = std::min(m_chunkElements, elements);
        m_raw.resize(static_cast<size_t>(chunk * m_itemSize));
        if (m_fortran) {
            m_converted.resize(static_cast<size_t>(chunk * m_outSize));
            m_inner.assign(m_view.shape.size(), 0);
            m_innerOut = 0;
        }
        for (qint64 done = 0; done < elements;) {
            const qint64 n = std::min(chunk, elements - done);
            Status status =
                m_source.readData((fileElement + done) * m_itemSize, n * m_itemSize, m_raw.data());
            if (!status)
                return status;
            if (m_fortran) {
                convertElements(m_raw.data(), m_header.dtype(), m_header.byteOrder(),
                                m_converted.data(), m_as, n);
                scatter(outElement, n);
            } else {
                convertElements(m_raw.data(), m_header.dtype(), m_header.byteOrder(),
                                m_out + (outElement + done) * m_outSize, m_as, n);
            }
            done += n;
        }
        return Status::success();
    }

    // Puts `n` converted elements, next in the run's file order, in their C-order places.
    void scatter(qint64 outElement, qint64 n)
    {
        const int last = static_cast<int>(m_view.shape.size()) - 1;
        for (qint64 e = 0; e < n; ++e) {
            std::memcpy(m_out + (outElement + m_innerOut) * m_outSize,
                        m_converted.data() + e * m_outSize, static_cast<size_t>(m_outSize));
            for (int axis = last;; --axis) {
                m_innerOut += m_view.outStride[axis];
                if (++m_inner[axis] < m_view.count[axis] || axis == m_runAxis)
                    break;
                m_innerOut -= m_inner[axis] * m_view.outStride[axis];
                m_inner[axis] = 0;
            }
        }
    }

    const NpyHeader& m_header;
    DType m_as;
    char* m_out;
    NpyByteSource& m_source;
    bool m_fortran;
    StorageView m_view;
    int m_itemSize;
    int m_outSize;
    qint64 m_chunkElements;
    int m_runAxis = 0;
    std::vector<char> m_raw;
    std::vector<char> m_converted;
    Shape m_inner; // position inside the current run, per axis (Fortran order only)
    qint64 m_innerOut = 0;
};

} // namespace

Status readNpySlab(const NpyHeader& header, const Slab& slab, DType as, void* out,
                   NpyByteSource& source, qint64 bufferBytes)
{
    const qint64 elementCount = slab.elementCount();
    if (elementCount <= 0)
        return Status::success();
    return SlabCopier(header, slab, as, out, source, bufferBytes).copy(elementCount);
}

} // namespace shapescope
