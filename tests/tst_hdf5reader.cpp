// SPDX-License-Identifier: GPL-3.0-or-later
// The HDF5 reader against h5py-written fixtures: metadata, values, slabs, conversions and the
// datasets it lists but will not read. Expectations come from tests/data/gen_hdf5.py.

#include "formats/dumpreader.h"
#include "formats/hdf5reader.h"
#include "tst_hdf5support.h"

#include <QTest>

using namespace shapescope;
using namespace hdf5test;

class TestHdf5Reader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void metadata_data();
    void metadata();
    void values_data();
    void values();
    void slabs_data();
    void slabs();
    void rowBlocksInOrder();
    void unreadable_data();
    void unreadable();
    void corruptChunk();
    void linksNotFollowed();
    void deepGroups();
    void zeroLengthAndScalar();

private:
    std::unique_ptr<DumpReader> openFixture(const QString& name);

    QJsonObject m_expected;
};

void TestHdf5Reader::initTestCase()
{
    m_expected = expectedDocument();
    QVERIFY2(!m_expected.isEmpty(), "run /usr/bin/python3 tests/data/generate.py gen_hdf5");
}

std::unique_ptr<DumpReader> TestHdf5Reader::openFixture(const QString& name)
{
    Expected<std::unique_ptr<DumpReader>> opened = openDump(fixturePath(name));
    if (!opened) {
        qWarning().noquote() << opened.error();
        return nullptr;
    }
    return std::move(opened).value();
}

namespace {

const char* const readableFixtures[] = {"dtypes.h5",    "groups.h5",        "attributes.h5",
                                        "storage.h5",   "notes.h5",         "torch.h5",
                                        "userblock.h5", "corrupt_chunk.h5", "renamed.dat"};

void compareAttributes(const std::vector<Attribute>& actual, const QJsonArray& expected)
{
    QStringList got;
    for (const Attribute& a : actual)
        got << a.name + QStringLiteral(" | ") + a.type + QStringLiteral(" | ") + a.value;
    QStringList wanted;
    for (const QJsonValue& v : expected) {
        const QJsonObject a = v.toObject();
        wanted << a[QStringLiteral("name")].toString() + QStringLiteral(" | ") +
                      a[QStringLiteral("type")].toString() + QStringLiteral(" | ") +
                      a[QStringLiteral("value")].toString();
    }
    QCOMPARE(got, wanted);
}

Shape shapeOf(const QJsonValue& value)
{
    Shape shape;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& extent : array)
        shape.push_back(extent.toInteger());
    return shape;
}

} // namespace

void TestHdf5Reader::metadata_data()
{
    QTest::addColumn<QString>("file");
    for (const char* name : readableFixtures)
        QTest::addRow("%s", name) << QString::fromLatin1(name);
}

void TestHdf5Reader::metadata()
{
    QFETCH(QString, file);
    const QJsonObject expected = fixture(m_expected, file);
    const auto reader = openFixture(file);
    QVERIFY(reader);
    QCOMPARE(reader->format(), DumpFormat::Hdf5);

    const QJsonArray tensors = expected[QStringLiteral("tensors")].toArray();
    QStringList paths, wantedPaths;
    for (const TensorInfo& info : reader->tensors())
        paths << info.path;
    for (const QJsonValue& t : tensors)
        wantedPaths << t[QStringLiteral("path")].toString();
    QCOMPARE(paths, wantedPaths);
    for (qsizetype i = 0; i < tensors.size(); ++i) {
        const QJsonObject want = tensors[i].toObject();
        const TensorInfo& info = reader->tensors()[i];
        QCOMPARE(info.name, want[QStringLiteral("name")].toString());
        QCOMPARE(info.group, want[QStringLiteral("group")].toString());
        QCOMPARE(info.shape, shapeOf(want[QStringLiteral("shape")]));
        QCOMPARE(dtypeName(info.dtype), want[QStringLiteral("dtype")].toString());
        QCOMPARE(info.storage, want[QStringLiteral("storage")].toString());
        QCOMPARE(info.chunkShape, shapeOf(want[QStringLiteral("chunk")]));
        QCOMPARE(info.storedBytes, want[QStringLiteral("stored_bytes")].toInteger());
        compareAttributes(info.attributes, want[QStringLiteral("attributes")].toArray());
        const QString unreadable = want[QStringLiteral("unreadable")].toString();
        QCOMPARE(info.readable(), unreadable.isEmpty());
        QVERIFY2(info.unreadableReason.contains(unreadable), qPrintable(info.unreadableReason));
    }

    const QJsonArray groups = expected[QStringLiteral("groups")].toArray();
    QCOMPARE(reader->groups().size(), size_t(groups.size()));
    for (qsizetype i = 0; i < groups.size(); ++i) {
        QCOMPARE(reader->groups()[i].path, groups[i][QStringLiteral("path")].toString());
        compareAttributes(reader->groups()[i].attributes,
                          groups[i][QStringLiteral("attributes")].toArray());
    }

    // Datasets that are not numbers are listed objects now, not notes; their line is the
    // note h5py's expectations were written as.
    QStringList listed = reader->notes();
    for (const TensorInfo& object : reader->skipped()) {
        QVERIFY(!object.readable());
        listed << QStringLiteral("%1: %2 dataset skipped, %3")
                      .arg(object.path, object.storedType, object.unreadableReason);
    }
    const QStringList notes = strings(expected[QStringLiteral("notes")]);
    QCOMPARE(listed.size(), notes.size());
    for (const QString& note : notes) {
        QVERIFY2(!listed.filter(note).isEmpty(), qPrintable(note + QStringLiteral(" not in: ") +
                                                            listed.join(QStringLiteral(" / "))));
    }
}

void TestHdf5Reader::values_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("tensor");
    for (const char* name : readableFixtures) {
        const QJsonArray tensors =
            fixture(m_expected, QString::fromLatin1(name))[QStringLiteral("tensors")].toArray();
        for (const QJsonValue& t : tensors) {
            if (t.toObject().contains(QStringLiteral("values"))) {
                const QString path = t[QStringLiteral("path")].toString();
                QTest::addRow("%s:%s", name, qPrintable(path)) << QString::fromLatin1(name) << path;
            }
        }
    }
}

void TestHdf5Reader::values()
{
    QFETCH(QString, file);
    QFETCH(QString, tensor);
    QJsonObject want;
    for (const QJsonValue& t : fixture(m_expected, file)[QStringLiteral("tensors")].toArray()) {
        if (t[QStringLiteral("path")].toString() == tensor)
            want = t.toObject();
    }
    const auto reader = openFixture(file);
    QVERIFY(reader);
    const int index = reader->indexOf(tensor);
    QVERIFY(index >= 0);
    const TensorInfo& info = reader->tensors()[index];
    const std::pair<const char*, DType> readings[] = {{"values", info.dtype},
                                                      {"as_float64", DType::Float64},
                                                      {"as_float32", DType::Float32},
                                                      {"as_int64", DType::Int64}};
    for (const auto& [key, type] : readings) {
        const QStringList expected = strings(want[QLatin1String(key)]);
        QCOMPARE(qint64(expected.size()), info.elementCount());
        QByteArray buffer(expected.size() * dtypeSize(type), '\x55');
        const Status read = reader->readSlab(index, Slab::whole(info.shape), type, buffer.data());
        QVERIFY2(read.ok(), qPrintable(read.error()));
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QVERIFY2(elementEquals(buffer, type, i, expected[i]),
                     qPrintable(QStringLiteral("%1 element %2: got %3, want %4")
                                    .arg(QLatin1String(key))
                                    .arg(i)
                                    .arg(elementAsDouble(buffer, type, i))
                                    .arg(expected[i])));
        }
    }
}

void TestHdf5Reader::slabs_data()
{
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<Shape>("start");
    QTest::addColumn<Shape>("count");
    QTest::addColumn<int>("as");
    // /chunked is 50x20 in 16x8 chunks; /chunked_3d is 5x6x7 in 2x4x3 chunks.
    for (DType as : {DType::Float32, DType::Float64, DType::Float16}) {
        const int t = int(as);
        const QByteArray name = dtypeName(as).toLatin1();
        const char* n = name.constData();
        QTest::addRow("rows across chunks %s", n)
            << "/chunked" << Shape{10, 0} << Shape{30, 20} << t;
        QTest::addRow("inner block %s", n) << "/chunked" << Shape{5, 3} << Shape{32, 14} << t;
        QTest::addRow("one element %s", n) << "/chunked" << Shape{49, 19} << Shape{1, 1} << t;
        QTest::addRow("one column %s", n) << "/chunked" << Shape{0, 8} << Shape{50, 1} << t;
        QTest::addRow("3d block %s", n) << "/chunked_3d" << Shape{1, 2, 2} << Shape{3, 4, 4} << t;
        QTest::addRow("3d last row %s", n)
            << "/chunked_3d" << Shape{4, 0, 0} << Shape{1, 6, 7} << t;
    }
    QTest::addRow("3d block as int64")
        << "/chunked_3d" << Shape{0, 1, 1} << Shape{5, 5, 6} << int(DType::Int64);
    QTest::addRow("3d block as uint16")
        << "/chunked_3d" << Shape{0, 0, 2} << Shape{2, 6, 5} << int(DType::UInt16);
}

void TestHdf5Reader::slabs()
{
    QFETCH(QString, tensor);
    QFETCH(Shape, start);
    QFETCH(Shape, count);
    QFETCH(int, as);
    const DType type = DType(as);
    const QStringList whole = strings(
        m_expected[QStringLiteral("arrays")][QString(QStringLiteral("storage.h5:") + tensor)]);
    const auto reader = openFixture(QStringLiteral("storage.h5"));
    QVERIFY(reader);
    const int index = reader->indexOf(tensor);
    const Shape& shape = reader->tensors()[index].shape;
    const Slab slab{start, count};
    QByteArray buffer(slab.elementCount() * dtypeSize(type), '\0');
    const Status read = reader->readSlab(index, slab, type, buffer.data());
    QVERIFY2(read.ok(), qPrintable(read.error()));

    // Walk the slab in C order and compare each element with the whole array's value,
    // rounded to the requested type the way numpy's astype would.
    Shape at = start;
    for (qint64 i = 0; i < slab.elementCount(); ++i) {
        qint64 flat = 0;
        for (size_t axis = 0; axis < shape.size(); ++axis)
            flat = flat * shape[axis] + at[axis];
        const double value = parseDouble(whole[flat]);
        double wanted = value;
        if (type == DType::Float32)
            wanted = float(value);
        else if (type == DType::Float16)
            wanted = float(qfloat16(float(value)));
        else if (type == DType::Int64)
            wanted = double(qint64(value));
        QCOMPARE(elementAsDouble(buffer, type, i), wanted);
        for (int axis = int(shape.size()) - 1; axis >= 0; --axis) {
            if (++at[axis] < start[axis] + count[axis])
                break;
            at[axis] = start[axis];
        }
    }
}

void TestHdf5Reader::rowBlocksInOrder()
{
    // Block by block, the way the loss engine reads, with blocks that straddle chunk rows.
    const QStringList whole =
        strings(m_expected[QStringLiteral("arrays")][QStringLiteral("storage.h5:/chunked")]);
    const auto reader = openFixture(QStringLiteral("storage.h5"));
    QVERIFY(reader);
    const int chunked = reader->indexOf(QStringLiteral("/chunked"));
    const int other = reader->indexOf(QStringLiteral("/chunked_3d"));
    std::vector<double> rows(7 * 20);
    for (qint64 first = 0; first < 50; first += 7) {
        const qint64 count = std::min<qint64>(7, 50 - first);
        QVERIFY(reader->readRows(chunked, first, count, DType::Float64, rows.data()).ok());
        for (qint64 i = 0; i < count * 20; ++i)
            QCOMPARE(rows[i], parseDouble(whole[first * 20 + i]));
        // Interleave another dataset, as a loss reads output and target in turn.
        std::vector<quint16> slice(6 * 7);
        QVERIFY(reader->readRows(other, first % 5, 1, DType::UInt16, slice.data()).ok());
    }
}

void TestHdf5Reader::unreadable_data()
{
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<QString>("reason");
    const QJsonArray tensors =
        fixture(m_expected, QStringLiteral("storage.h5"))[QStringLiteral("tensors")].toArray();
    for (const QJsonValue& t : tensors) {
        if (t.toObject().contains(QStringLiteral("unreadable"))) {
            QTest::addRow("%s", qPrintable(t[QStringLiteral("path")].toString()))
                << t[QStringLiteral("path")].toString()
                << t[QStringLiteral("unreadable")].toString();
        }
    }
}

void TestHdf5Reader::unreadable()
{
    QFETCH(QString, tensor);
    QFETCH(QString, reason);
    const auto reader = openFixture(QStringLiteral("storage.h5"));
    QVERIFY(reader);
    const int index = reader->indexOf(tensor);
    QVERIFY(index >= 0);
    std::vector<double> out(reader->tensors()[index].elementCount());
    const Status read = reader->readRows(index, 0, 1, DType::Float64, out.data());
    QVERIFY(!read.ok());
    QVERIFY2(read.error().startsWith(fixturePath(QStringLiteral("storage.h5")) +
                                     QStringLiteral(": ") + tensor),
             qPrintable(read.error()));
    QVERIFY2(read.error().contains(reason), qPrintable(read.error()));
}

void TestHdf5Reader::corruptChunk()
{
    const QJsonObject want =
        fixture(m_expected, QStringLiteral("corrupt_chunk.h5"))[QStringLiteral("tensors")][0]
            .toObject();
    const auto reader = openFixture(QStringLiteral("corrupt_chunk.h5"));
    QVERIFY(reader);
    std::vector<float> out(20);
    const Status bad = reader->readRows(0, 0, 4, DType::Float32, out.data());
    QVERIFY(!bad.ok());
    const QString prefix = fixturePath(QStringLiteral("corrupt_chunk.h5")) +
                           QStringLiteral(": /data: reading rows 0..4 failed: ");
    QVERIFY2(bad.error().startsWith(prefix), qPrintable(bad.error()));
    QVERIFY2(bad.error().contains(want[QStringLiteral("read_error")].toString()),
             qPrintable(bad.error()));
    // The same failure through the conversion path, then the intact chunk still reads.
    std::vector<double> wide(20);
    QVERIFY(!reader->readRows(0, 0, 4, DType::Float64, wide.data()).ok());
    const Status good = reader->readRows(0, 4, 4, DType::Float32, out.data());
    QVERIFY2(good.ok(), qPrintable(good.error()));
    const QStringList values = strings(want[QStringLiteral("good_values")]);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(double(out[i]), parseDouble(values[i]));
}

void TestHdf5Reader::linksNotFollowed()
{
    const auto reader = openFixture(QStringLiteral("groups.h5"));
    QVERIFY(reader);
    for (const TensorInfo& info : reader->tensors()) {
        QVERIFY2(!info.path.startsWith(QLatin1String("/other")), qPrintable(info.path));
        QVERIFY2(!info.path.startsWith(QLatin1String("/latest")), qPrintable(info.path));
        QVERIFY2(!info.path.contains(QLatin1String("/up/")), qPrintable(info.path));
        QVERIFY2(!info.path.contains(QLatin1String("/root/")), qPrintable(info.path));
    }
    QCOMPARE(reader->indexOf(QStringLiteral("/other")), -1);
    QVERIFY(
        !reader->notes()
             .filter(QStringLiteral("/other: external link to links_target.h5:/data not followed"))
             .isEmpty());
}

void TestHdf5Reader::deepGroups()
{
    const QJsonObject want = fixture(m_expected, QStringLiteral("deep.h5"));
    const auto reader = openFixture(QStringLiteral("deep.h5"));
    QVERIFY(reader);
    QCOMPARE(qint64(reader->groups().size()), want[QStringLiteral("group_count")].toInteger());
    QVERIFY(reader->tensors().empty());
    QCOMPARE(reader->notes().size(), 1);
    QVERIFY(reader->notes().first().contains(strings(want[QStringLiteral("notes")]).first()));
}

void TestHdf5Reader::zeroLengthAndScalar()
{
    const auto reader = openFixture(QStringLiteral("dtypes.h5"));
    QVERIFY(reader);
    const int rows = reader->indexOf(QStringLiteral("/empty_rows"));
    QCOMPARE(reader->tensors()[rows].shape, (Shape{0, 5}));
    QVERIFY(reader->readRows(rows, 0, 0, DType::Float32, nullptr).ok());
    const int cols = reader->indexOf(QStringLiteral("/empty_cols"));
    QVERIFY(reader->readRows(cols, 1, 2, DType::Float64, nullptr).ok());
    const int scalar = reader->indexOf(QStringLiteral("/scalar_f8"));
    QVERIFY(reader->tensors()[scalar].shape.empty());
    float value = 0;
    QVERIFY(reader->readRows(scalar, 0, 1, DType::Float32, &value).ok());
    QCOMPARE(value, 2.5f);
}

QTEST_GUILESS_MAIN(TestHdf5Reader)
#include "tst_hdf5reader.moc"
