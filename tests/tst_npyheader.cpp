// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/npyheader.h"
#include "formats/npyslab.h"
#include "tensor/elementconvert.h"

#include <QRandomGenerator>
#include <QTest>
#include <QtEndian>
#include <cstring>
#include <limits>

using namespace shapescope;

namespace {

// An NPY file with a hand-written header dict, padded as numpy pads it.
QByteArray npyBytes(const QByteArray& dict, int major = 1, const QByteArray& data = {})
{
    const int lengthSize = major == 1 ? 2 : 4;
    QByteArray header = dict;
    const qsizetype used = 8 + lengthSize + header.size() + 1;
    header += QByteArray((64 - used % 64) % 64, ' ') + '\n';
    QByteArray length(lengthSize, '\0');
    if (major == 1)
        qToLittleEndian<quint16>(quint16(header.size()), length.data());
    else
        qToLittleEndian<quint32>(quint32(header.size()), length.data());
    return QByteArray("\x93NUMPY", 6) + char(major) + '\0' + length + header + data;
}

QByteArray dict(const QByteArray& descr, const QByteArray& fortran, const QByteArray& shape)
{
    return QByteArray("{'descr': '") + descr + "', 'fortran_order': " + fortran +
           ", 'shape': " + shape + ", }";
}

// Serves an in-memory array and records how it was asked, to check the reading pattern.
class MemorySource final : public NpyByteSource
{
public:
    explicit MemorySource(QByteArray data) : m_data(std::move(data)) {}

    Status readData(qint64 offset, qint64 size, char* dst) override
    {
        if (offset < m_nextOffset)
            m_backwards = true;
        m_nextOffset = offset + size;
        m_largestRead = std::max(m_largestRead, size);
        ++m_reads;
        if (offset < 0 || size < 0 || offset + size > m_data.size())
            return Error{QStringLiteral("read [%1, %2) outside the data").arg(offset).arg(size)};
        std::memcpy(dst, m_data.constData() + offset, size_t(size));
        return Status::success();
    }

    QByteArray m_data;
    qint64 m_nextOffset = 0;
    qint64 m_largestRead = 0;
    int m_reads = 0;
    bool m_backwards = false;
};

// The test array's element at C-order flat index i: small, so every dtype holds it exactly.
qint64 testValue(qint64 i)
{
    return (i * 37 + 11) % 101;
}

// Builds the data bytes of a `shape` array of `type` in `order`, C or Fortran layout.
QByteArray arrayBytes(const Shape& shape, DType type, ByteOrder order, bool fortran)
{
    const qint64 count = checkedElementCount(shape);
    const int size = dtypeSize(type);
    QByteArray data(count * size, '\0');
    const size_t rank = shape.size();
    Shape index(rank, 0);
    for (qint64 c = 0; c < count; ++c) {
        qint64 f = 0; // the file position of C-order element c
        if (fortran) {
            for (size_t axis = rank; axis-- > 0;)
                f = f * shape[axis] + index[axis];
        } else {
            f = c;
        }
        const qint64 value = testValue(c);
        convertElements(&value, DType::Int64, nativeByteOrder(), data.data() + f * size, type, 1);
        if (order != nativeByteOrder())
            swapBytesInPlace(data.data() + f * size, size, 1);
        for (size_t axis = rank; axis-- > 0;) {
            if (++index[axis] < shape[axis])
                break;
            index[axis] = 0;
        }
    }
    return data;
}

QByteArray shapeText(const Shape& shape)
{
    QByteArray text = "(";
    for (qint64 extent : shape)
        text += QByteArray::number(extent) + ", ";
    return text + ")";
}

} // namespace

class TestNpyHeader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidHeaders_data();
    void parsesValidHeaders();
    void rejectsBadHeaders_data();
    void rejectsBadHeaders();
    void saysHowManyBytesItNeeds();
    void everyPrefixIsTruncated();
    void survivesMutations();
    void texts();
    void readsSlabs_data();
    void readsSlabs();
    void wholeRowsAreOneRead();
    void uint64Extremes();
};

void TestNpyHeader::parsesValidHeaders_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<bool>("bigEndian");
    QTest::addColumn<bool>("fortran");
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<QString>("version");
    const bool nativeBig = nativeByteOrder() == ByteOrder::Big;
    QTest::addRow("numpy 1.0") << npyBytes(dict("<f4", "False", "(10, 4)")) << "float32" << false
                               << false << Shape{10, 4} << "1.0";
    QTest::addRow("2.0") << npyBytes(dict(">i8", "True", "(3,)"), 2) << "int64" << true << true
                         << Shape{3} << "2.0";
    QTest::addRow("3.0") << npyBytes(dict("<u2", "False", "()"), 3) << "uint16" << false << false
                         << Shape{} << "3.0";
    QTest::addRow("equals is native") << npyBytes(dict("=f8", "False", "(1,)")) << "float64"
                                      << nativeBig << false << Shape{1} << "1.0";
    QTest::addRow("pipe is native") << npyBytes(dict("|f2", "False", "(1,)")) << "float16"
                                    << nativeBig << false << Shape{1} << "1.0";
    QTest::addRow("no order") << npyBytes(dict("i4", "False", "(1,)")) << "int32" << nativeBig
                              << false << Shape{1} << "1.0";
    QTest::addRow("bool") << npyBytes(dict("|b1", "False", "(0, 2)")) << "bool" << nativeBig
                          << false << Shape{0, 2} << "1.0";
    QTest::addRow("question mark bool") << npyBytes(dict("?", "False", "(2,)")) << "bool"
                                        << nativeBig << false << Shape{2} << "1.0";
    QTest::addRow("one byte ignores order") << npyBytes(dict(">u1", "False", "(2,)")) << "uint8"
                                            << nativeBig << false << Shape{2} << "1.0";
    QTest::addRow("keys reordered, double quotes")
        << npyBytes(R"({"shape": (2, 3), "fortran_order": False, "descr": "<i2"})") << "int16"
        << false << false << Shape{2, 3} << "1.0";
    QTest::addRow("python 2 long")
        << npyBytes("{'descr': '<i1', 'fortran_order': False, 'shape': (2L, 3L)}") << "int8"
        << false << false << Shape{2, 3} << "1.0";
    QTest::addRow("unicode prefix, escapes, spacing")
        << npyBytes("\t{ u'descr' :'\\x3cf4' ,\n'fortran_order':True,'shape':( 5 , 6 )}")
        << "float32" << false << true << Shape{5, 6} << "1.0";
    QTest::addRow("parenthesised extent is an int")
        << npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': ((4), +2)}") << "float32"
        << false << false << Shape{4, 2} << "1.0";
}

void TestNpyHeader::parsesValidHeaders()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, dtype);
    QFETCH(bool, bigEndian);
    QFETCH(bool, fortran);
    QFETCH(Shape, shape);
    QFETCH(QString, version);
    const Expected<NpyHeader> header = NpyHeader::parse(bytes);
    QVERIFY2(header.ok(), qPrintable(header.ok() ? QString() : header.error()));
    QCOMPARE(dtypeName(header->dtype()), dtype);
    QCOMPARE(header->byteOrder() == ByteOrder::Big, bigEndian);
    QCOMPARE(header->fortranOrder(), fortran);
    QCOMPARE(header->shape(), shape);
    QCOMPARE(header->versionText(), version);
    QCOMPARE(header->dataOffset(), qint64(bytes.size()));
    QCOMPARE(header->dataBytes(), checkedElementCount(shape) * dtypeSize(header->dtype()));
    QCOMPARE(header->dataOffset() % 64, qint64(0));
}

void TestNpyHeader::rejectsBadHeaders_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    const QByteArray good = npyBytes(dict("<f4", "False", "(2,)"));
    QTest::addRow("empty") << QByteArray() << "empty";
    QTest::addRow("magic") << QByteArray("PK\x03\x04....", 8) << "not an NPY file";
    QTest::addRow("short magic") << QByteArray("\x93NUM", 4) << "truncated";
    QTest::addRow("version 0.1") << good.left(6) + QByteArray("\x00\x01", 2) + good.mid(8)
                                 << "unsupported NPY version 0.1";
    QTest::addRow("v1 too long") << good.left(8) + QByteArray("\xff\xff", 2) + good.mid(10)
                                 << "65535 bytes long";
    QTest::addRow("v3 too long") << QByteArray("\x93NUMPY\x03\x00\x11\x27\x00\x00", 12)
                                 << "10001 bytes long";
    QTest::addRow("v3 at the limit, truncated")
        << QByteArray("\x93NUMPY\x03\x00\x10\x27\x00\x00", 12) << "needs 10012 bytes";
    QTest::addRow("'L' only before 3.0")
        << npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}", 3)
        << "invalid number";
    QTest::addRow("not a dict") << npyBytes("('<f4', False, (2,))") << "not a dict";
    QTest::addRow("int key") << npyBytes("{1: 2}") << "unexpected key 1";
    QTest::addRow("missing shape")
        << npyBytes("{'descr': '<f4', 'fortran_order': False}") << "lacks the key 'shape'";
    QTest::addRow("shape int") << npyBytes(dict("<f4", "False", "2")) << "tuple of integers";
    QTest::addRow("shape bool") << npyBytes(dict("<f4", "False", "(True,)")) << "tuple of integers";
    QTest::addRow("shape nested") << npyBytes(dict("<f4", "False", "((2,),)"))
                                  << "tuple of integers";
    QTest::addRow("shape None") << npyBytes(dict("<f4", "False", "None")) << "not None";
    QTest::addRow("int64 min") << npyBytes(dict("<f4", "False", "(-9223372036854775808,)"))
                               << "negative length on axis 0";
    QTest::addRow("2^63") << npyBytes(dict("<f4", "False", "(9223372036854775808,)"))
                          << "length on axis 0 too large";
    QTest::addRow("65 axes")
        << npyBytes(dict("<f4", "False", "(1," + QByteArray(64 * 2, ' ').replace("  ", "1,") + ")"))
        << "65 axes";
    QTest::addRow("bytes overflow")
        << npyBytes(dict("<f4", "False", "(4611686018427387904,)")) << "too many bytes";
    QTest::addRow("object") << npyBytes(dict("|O", "False", "(2,)")) << "never loads pickles";
    QTest::addRow("long double") << npyBytes(dict("<f16", "False", "(2,)")) << "long double";
    QTest::addRow("timedelta") << npyBytes(dict("<m8[s]", "False", "(2,)")) << "timedelta64";
    QTest::addRow("bytes") << npyBytes(dict("|S3", "False", "(2,)")) << "byte strings";
    QTest::addRow("name") << npyBytes(dict("float32", "False", "(2,)"))
                          << "unknown dtype 'float32'";
    QTest::addRow("trailing junk")
        << npyBytes(dict("<f4", "False", "(2,)") + " x") << "expected the end of the header";
    QTest::addRow("unknown name") << npyBytes(dict("<f4", "false", "(2,)"))
                                  << "unexpected name 'false'";
    QTest::addRow("triple quotes") << npyBytes("{'''descr''': 1}") << "triple-quoted";
    QTest::addRow("bad escape") << npyBytes("{'descr\\x4': 1}") << "invalid \\x escape";
    QTest::addRow("newline in string") << npyBytes("{'des\ncr': 1}") << "unterminated string";
    QTest::addRow("deep") << npyBytes(QByteArray(33, '(') + QByteArray(33, ')'))
                          << "nested too deeply";
}

void TestNpyHeader::rejectsBadHeaders()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    const Expected<NpyHeader> header = NpyHeader::parse(bytes);
    QVERIFY(!header.ok());
    QVERIFY2(header.error().contains(error), qPrintable(header.error()));
}

void TestNpyHeader::saysHowManyBytesItNeeds()
{
    const QByteArray v1 = npyBytes(dict("<f4", "False", "(2,)"), 1);
    const QByteArray v2 = npyBytes(dict("<f4", "False", "(2,)"), 2);
    QCOMPARE(NpyHeader::bytesNeeded({}), qint64(8));
    QCOMPARE(NpyHeader::bytesNeeded(v1.left(8)), qint64(10));
    QCOMPARE(NpyHeader::bytesNeeded(v1.left(12)), qint64(v1.size()));
    QCOMPARE(NpyHeader::bytesNeeded(v2.left(10)), qint64(12));
    QCOMPARE(NpyHeader::bytesNeeded(v2.left(12)), qint64(v2.size()));
    // Nothing more helps: parse() reports the problem from what it has.
    QCOMPARE(NpyHeader::bytesNeeded(QByteArray("PK\x03\x04\x00\x00\x00\x00\x00\x00", 10)),
             qint64(10));
    QCOMPARE(NpyHeader::bytesNeeded(QByteArray("\x93NUMPY\x03\x00\xff\xff\xff\xff", 12)),
             qint64(12));
}

void TestNpyHeader::everyPrefixIsTruncated()
{
    for (int major : {1, 2, 3}) {
        const QByteArray bytes = npyBytes(dict("<f4", "False", "(2, 3)"), major);
        for (qsizetype n = 1; n < bytes.size(); ++n) {
            const Expected<NpyHeader> header = NpyHeader::parse(bytes.left(n));
            QVERIFY(!header.ok());
            QVERIFY2(header.error().contains(u"truncated"), qPrintable(header.error()));
            QVERIFY(NpyHeader::bytesNeeded(bytes.left(n)) > n ||
                    NpyHeader::bytesNeeded(bytes.left(n)) == bytes.size());
        }
        QVERIFY(NpyHeader::parse(bytes).ok());
    }
}

// What a fuzzer would do, deterministically: mutate valid headers and require an answer, never
// a crash (the asan build checks memory) and never an absurd size.
void TestNpyHeader::survivesMutations()
{
    const QByteArray seeds[] = {
        npyBytes(dict("<f4", "False", "(2, 3)"), 1),
        npyBytes(dict(">i8", "True", "(4, 5, 6)"), 2),
        npyBytes("{'descr': [('a', '<f4'), ('b', [('c', '|u1')])], 'fortran_order': False, "
                 "'shape': (3,)}",
                 3),
    };
    const char tokens[] = "(),'[]{}:0123456789-LTrueFalse\\\"";
    QRandomGenerator random(20240101);
    int parsed = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray bytes = seeds[round % 3];
        const int edits = 1 + random.bounded(4);
        for (int e = 0; e < edits; ++e) {
            const int at = random.bounded(int(bytes.size()));
            switch (random.bounded(3)) {
            case 0:
                bytes[at] = char(random.bounded(256));
                break;
            case 1:
                bytes.remove(at, 1 + random.bounded(8));
                break;
            default:
                bytes.insert(at, tokens[random.bounded(int(sizeof tokens) - 1)]);
            }
        }
        const Expected<NpyHeader> header = NpyHeader::parse(bytes);
        if (header.ok()) {
            ++parsed;
            QVERIFY(header->dataOffset() <= bytes.size());
            QVERIFY(header->dataBytes() >= 0);
            QCOMPARE(header->dataBytes(), header->elementCount() * dtypeSize(header->dtype()));
        } else {
            QVERIFY(!header.error().isEmpty());
        }
        QVERIFY(NpyHeader::bytesNeeded(bytes) <=
                NpyHeader::maxPreambleSize + NpyHeader::maxHeaderLength);
    }
    QVERIFY(parsed > 0);
}

void TestNpyHeader::texts()
{
    const Expected<NpyHeader> matrix = NpyHeader::parse(npyBytes(dict("<f4", "False", "(10, 4)")));
    QVERIFY(matrix.ok());
    QCOMPARE(matrix->shapeText(), QStringLiteral("(10, 4)"));
    QCOMPARE(matrix->dataSizeMismatch(100),
             QStringLiteral("NPY header says shape (10, 4) float32 = 160 bytes but only 100 bytes "
                            "follow the header (60 missing)"));
    QCOMPARE(matrix->layoutText(), QStringLiteral("npy 1.0, C order, little-endian"));
    const Expected<NpyHeader> vector = NpyHeader::parse(npyBytes(dict(">u1", "True", "(7,)"), 2));
    QVERIFY(vector.ok());
    QCOMPARE(vector->shapeText(), QStringLiteral("(7,)"));
    QCOMPARE(vector->layoutText(), QStringLiteral("npy 2.0, Fortran order"));
    QCOMPARE(vector->attributes().size(), size_t(4));
    const Expected<NpyHeader> scalar = NpyHeader::parse(npyBytes(dict(">f8", "False", "()"), 3));
    QVERIFY(scalar.ok());
    QCOMPARE(scalar->shapeText(), QStringLiteral("()"));
    QCOMPARE(scalar->layoutText(), QStringLiteral("npy 3.0, C order, big-endian"));
}

void TestNpyHeader::readsSlabs_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<QString>("descr");
    QTest::addColumn<bool>("fortran");
    QTest::addColumn<qint64>("bufferBytes");
    const Shape shapes[] = {{}, {7}, {4, 6}, {3, 4, 5}, {2, 3, 1, 4}};
    const char* descrs[] = {"<f4", ">i2", "<u8", "|b1", ">f2", ">f8"};
    for (const Shape& shape : shapes) {
        for (const char* descr : descrs) {
            for (bool fortran : {false, true}) {
                for (qint64 buffer : {qint64(1), qint64(7), npyReadBufferBytes}) {
                    QTest::addRow("%s %s %s buffer %lld", shapeText(shape).constData(), descr,
                                  fortran ? "F" : "C", buffer)
                        << shape << QString::fromLatin1(descr) << fortran << buffer;
                }
            }
        }
    }
}

// Every sub-block of small arrays, in both layouts and byte orders, read as four types with
// buffers down to one element, against the values the array was built from.
void TestNpyHeader::readsSlabs()
{
    QFETCH(Shape, shape);
    QFETCH(QString, descr);
    QFETCH(bool, fortran);
    QFETCH(qint64, bufferBytes);
    const Expected<NpyHeader> header = NpyHeader::parse(
        npyBytes(dict(descr.toLatin1().constData(), fortran ? "True" : "False", shapeText(shape))));
    QVERIFY(header.ok());
    MemorySource source(arrayBytes(shape, header->dtype(), header->byteOrder(), fortran));
    QCOMPARE(source.m_data.size(), header->dataBytes());

    QRandomGenerator random(qHash(QTest::currentDataTag()));
    const size_t rank = shape.size();
    for (int trial = 0; trial < 40; ++trial) {
        Slab slab = trial == 0 ? Slab::whole(shape) : Slab{Shape(rank), Shape(rank)};
        for (size_t axis = 0; trial > 0 && axis < rank; ++axis) {
            slab.start[axis] = random.bounded(shape[axis]);
            slab.count[axis] = 1 + random.bounded(shape[axis] - slab.start[axis]);
        }
        QVERIFY(validateSlab(shape, slab).ok());
        const qint64 n = slab.elementCount();
        for (DType as : {DType::Float64, DType::Float32, DType::Int64, header->dtype()}) {
            QByteArray out(n * dtypeSize(as), '\x5a');
            source.m_nextOffset = 0;
            source.m_largestRead = 0;
            const Status status = readNpySlab(*header, slab, as, out.data(), source, bufferBytes);
            QVERIFY2(status.ok(), qPrintable(status.error()));
            QVERIFY(!source.m_backwards);
            const qint64 itemSize = dtypeSize(header->dtype());
            QVERIFY(source.m_largestRead <= std::max({bufferBytes, itemSize, n * dtypeSize(as)}));
            Shape index(rank, 0);
            for (qint64 i = 0; i < n; ++i) {
                qint64 flat = 0;
                for (size_t axis = 0; axis < rank; ++axis)
                    flat = flat * shape[axis] + slab.start[axis] + index[axis];
                double got = 0;
                convertElements(out.constData() + i * dtypeSize(as), as, nativeByteOrder(), &got,
                                DType::Float64, 1);
                const qint64 want = testValue(flat);
                QCOMPARE(got, double(header->dtype() == DType::Bool ? want != 0 : want));
                for (size_t axis = rank; axis-- > 0;) {
                    if (++index[axis] < slab.count[axis])
                        break;
                    index[axis] = 0;
                }
            }
        }
    }
}

void TestNpyHeader::wholeRowsAreOneRead()
{
    if (nativeByteOrder() != ByteOrder::Little)
        QSKIP("the one-read path needs little-endian data on a little-endian machine");
    const Shape shape{50, 8, 3};
    const Expected<NpyHeader> header =
        NpyHeader::parse(npyBytes(dict("<i4", "False", "(50, 8, 3)")));
    QVERIFY(header.ok());
    MemorySource source(arrayBytes(shape, DType::Int32, ByteOrder::Little, false));
    std::vector<qint32> out(20 * 8 * 3);
    QVERIFY(readNpySlab(*header, Slab::rows(shape, 10, 20), DType::Int32, out.data(), source).ok());
    QCOMPARE(source.m_reads, 1);
    QCOMPARE(out.front(), qint32(testValue(10 * 24)));
    // Whole inner axes, part of axis 1: one read per row of axis 0.
    source.m_reads = 0;
    QVERIFY(
        readNpySlab(*header, Slab{{5, 2, 0}, {3, 4, 3}}, DType::Int32, out.data(), source).ok());
    QCOMPARE(source.m_reads, 3);
}

void TestNpyHeader::uint64Extremes()
{
    const Expected<NpyHeader> header = NpyHeader::parse(npyBytes(dict(">u8", "False", "(3,)")));
    QVERIFY(header.ok());
    QByteArray data;
    for (quint64 v : {std::numeric_limits<quint64>::max(), quint64(1) << 63, quint64(1)}) {
        char be[8];
        qToBigEndian(v, be);
        data += QByteArray(be, 8);
    }
    MemorySource source(data);
    quint64 out[3];
    QVERIFY(readNpySlab(*header, Slab::whole({3}), DType::UInt64, out, source).ok());
    QCOMPARE(out[0], std::numeric_limits<quint64>::max());
    QCOMPARE(out[1], quint64(1) << 63);
    QCOMPARE(out[2], quint64(1));
}

QTEST_GUILESS_MAIN(TestNpyHeader)
#include "tst_npyheader.moc"
