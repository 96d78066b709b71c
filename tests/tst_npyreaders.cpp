// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/dumpreader.h"
#include "formats/npyfolderreader.h"
#include "formats/npyreader.h"
#include "formats/npzreader.h"
#include "tensor/elementconvert.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

using namespace shapescope;

// Checks the NPY, NPZ and NPY-folder readers against tests/data/formats/*/expected.json, which
// gen_npy.py wrote with numpy: every fixture's metadata or error, and every listed tensor's
// values read whole, in row ranges and sub-blocks, and converted.
namespace {

const char* const folders[] = {"npy", "npz", "folder"};

Expected<std::unique_ptr<DumpReader>> openWith(const QString& folder, const QString& path)
{
    auto up = [](auto opened) -> Expected<std::unique_ptr<DumpReader>> {
        if (!opened)
            return Error{opened.error()};
        return std::unique_ptr<DumpReader>(std::move(opened).value());
    };
    if (folder == u"npy")
        return up(NpyReader::open(path));
    if (folder == u"npz")
        return up(NpzReader::open(path));
    return up(NpyFolderReader::open(path));
}

QJsonArray loadFixtures(const QString& folder)
{
    QFile file(QFINDTESTDATA(QStringLiteral("data/formats/%1/expected.json").arg(folder)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"fixtures").toArray();
}

QString fixturePath(const QString& folder, const QString& file)
{
    return QFINDTESTDATA(QStringLiteral("data/formats/%1/%2").arg(folder, file));
}

Shape toShape(const QJsonValue& value)
{
    Shape shape;
    for (const QJsonValue extent : value.toArray())
        shape.push_back(extent.toInteger());
    return shape;
}

// A tensor's values from expected.json in C order: exact integers for bool and integer
// dtypes, doubles (with "nan", "inf", "-inf") for floats.
struct Reference
{
    Shape shape;
    DType dtype = DType::Float32;
    std::vector<qint64> ints;
    std::vector<double> floats;

    static Reference from(const QJsonObject& tensor)
    {
        Reference ref{
            toShape(tensor[u"shape"]), *dtypeFromName(tensor[u"dtype"].toString()), {}, {}};
        for (const QJsonValue v : tensor[u"values"].toArray()) {
            if (!isFloating(ref.dtype))
                ref.ints.push_back(v.toInteger());
            else if (v.isString())
                ref.floats.push_back(v.toString() == u"nan"   ? std::nan("")
                                     : v.toString() == u"inf" ? HUGE_VAL
                                                              : -HUGE_VAL);
            else
                ref.floats.push_back(v.toDouble());
        }
        return ref;
    }

    // Element i converted to `as` by the rules of convertElements (numpy's astype, saturating
    // float to integer), returned in a double only to compare: integers stay exact below 2^53
    // and are compared as int64 by expectedInt.
    double expectedDouble(qint64 i, DType as) const
    {
        if (as == DType::Float32)
            return isFloating(dtype) ? double(float(floats[i])) : double(float(ints[i]));
        return isFloating(dtype) ? floats[i] : double(ints[i]);
    }
    qint64 expectedInt(qint64 i) const
    {
        if (!isFloating(dtype))
            return ints[i];
        const double d = floats[i];
        if (std::isnan(d))
            return 0;
        if (d <= -9223372036854775808.0)
            return std::numeric_limits<qint64>::min();
        if (d >= 9223372036854775808.0)
            return std::numeric_limits<qint64>::max();
        return qint64(d);
    }
};

// Compares `out`, a slab read as `as`, with the reference.
bool slabMatches(const Reference& ref, const Slab& slab, DType as, const QByteArray& out,
                 QString* mismatch)
{
    const size_t rank = ref.shape.size();
    Shape index(rank, 0);
    const qint64 n = slab.elementCount();
    for (qint64 i = 0; i < n; ++i) {
        qint64 flat = 0;
        for (size_t axis = 0; axis < rank; ++axis)
            flat = flat * ref.shape[axis] + slab.start[axis] + index[axis];
        const char* element = out.constData() + i * dtypeSize(as);
        bool same = false;
        if (as == DType::Int64) {
            qint64 got;
            std::memcpy(&got, element, sizeof got);
            same = got == ref.expectedInt(flat);
        } else {
            double got = 0;
            convertElements(element, as, nativeByteOrder(), &got, DType::Float64, 1);
            const double want = ref.expectedDouble(flat, as);
            same = got == want || (std::isnan(got) && std::isnan(want));
        }
        if (!same) {
            *mismatch = QStringLiteral("element %1 (flat %2) differs as %3")
                            .arg(i)
                            .arg(flat)
                            .arg(dtypeName(as));
            return false;
        }
        for (size_t axis = rank; axis-- > 0;) {
            if (++index[axis] < slab.count[axis])
                break;
            index[axis] = 0;
        }
    }
    return true;
}

// Whole, every row, rows crossing boundaries, corners, and random sub-blocks.
std::vector<Slab> slabsFor(const Shape& shape, quint32 seed)
{
    std::vector<Slab> slabs{Slab::whole(shape)};
    if (shape.empty())
        return slabs;
    const qint64 rows = shape.front();
    for (qint64 row = 0; row < rows; ++row)
        slabs.push_back(Slab::rows(shape, row, 1));
    if (rows >= 3) {
        slabs.push_back(Slab::rows(shape, 1, rows - 2));
        slabs.push_back(Slab::rows(shape, rows / 2, rows - rows / 2));
    }
    Slab last{Shape(shape.size()), Shape(shape.size())};
    for (size_t axis = 0; axis < shape.size(); ++axis) {
        last.start[axis] = std::max<qint64>(0, shape[axis] - 1);
        last.count[axis] = std::min<qint64>(1, shape[axis]);
    }
    slabs.push_back(last);
    QRandomGenerator random(seed);
    for (int trial = 0; trial < 25; ++trial) {
        Slab slab{Shape(shape.size()), Shape(shape.size())};
        for (size_t axis = 0; axis < shape.size(); ++axis) {
            slab.start[axis] = random.bounded(shape[axis] + 1);
            slab.count[axis] = random.bounded(shape[axis] - slab.start[axis] + 1);
        }
        slabs.push_back(slab);
    }
    return slabs;
}

} // namespace

class TestNpyReaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metadata_data();
    void metadata();
    void openErrors_data();
    void openErrors();
    void values_data();
    void values();
    void readErrors_data();
    void readErrors();
    void openDumpSniffsBytes_data();
    void openDumpSniffsBytes();
    void emptyFolder();

private:
    // One row per fixture (metadata, openErrors) or per listed tensor that fails to read or,
    // when `failing` is false, has values listed.
    void addFixtureRows(bool damaged);
    void addTensorRows(bool failing);
};

void TestNpyReaders::addFixtureRows(bool damaged)
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonObject>("fixture");
    for (const char* folder : folders) {
        const QString name = QString::fromLatin1(folder);
        const QJsonArray fixtures = loadFixtures(name);
        QVERIFY2(!fixtures.isEmpty(), folder);
        for (const QJsonValue value : fixtures) {
            const QJsonObject fixture = value.toObject();
            if (fixture.contains(u"error") != damaged)
                continue;
            const QString file = fixture[u"file"].toString();
            QTest::addRow("%s/%s", folder, qPrintable(file))
                << name << fixturePath(name, file) << fixture;
        }
    }
}

void TestNpyReaders::addTensorRows(bool failing)
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonObject>("tensor");
    for (const char* folder : folders) {
        const QString name = QString::fromLatin1(folder);
        for (const QJsonValue value : loadFixtures(name)) {
            const QString file = value[u"file"].toString();
            for (const QJsonValue tensor : value[u"tensors"].toArray()) {
                const bool fails = tensor.toObject().contains(u"readError");
                if (fails != failing || (!fails && !tensor.toObject().contains(u"values")))
                    continue;
                QTest::addRow("%s/%s:%s", folder, qPrintable(file),
                              qPrintable(tensor[u"path"].toString()))
                    << name << fixturePath(name, file) << tensor.toObject();
            }
        }
    }
}

void TestNpyReaders::metadata_data()
{
    addFixtureRows(false);
}

void TestNpyReaders::metadata()
{
    QFETCH(QString, folder);
    QFETCH(QString, path);
    QFETCH(QJsonObject, fixture);
    const auto reader = openWith(folder, path);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    const DumpReader& dump = **reader;
    QCOMPARE(dump.filePath(), path);
    QCOMPARE(int(dump.notes().size()), fixture[u"notes"].toInt());
    QCOMPARE(int(dump.skipped().size()), fixture[u"skipped"].toInt());
    const QJsonArray tensors = fixture[u"tensors"].toArray();
    QCOMPARE(dump.tensors().size(), size_t(tensors.size()));
    for (qsizetype i = 0; i < tensors.size(); ++i) {
        const QJsonObject want = tensors[i].toObject();
        const TensorInfo& info = dump.tensors()[i];
        QCOMPARE(info.path, want[u"path"].toString());
        QCOMPARE(info.name, want[u"name"].toString());
        QCOMPARE(info.group, want[u"group"].toString());
        QCOMPARE(info.shape, toShape(want[u"shape"]));
        QCOMPARE(dtypeName(info.dtype), want[u"dtype"].toString());
        QVERIFY2(info.storage.contains(want[u"storage"].toString()), qPrintable(info.storage));
        QVERIFY(info.readable());
        QVERIFY(info.storedBytes >= 0);
        QVERIFY(!info.attributes.empty());
        QCOMPARE(dump.indexOf(info.path), int(i));
    }
    QVERIFY(!dump.groups().empty());
    QCOMPARE(dump.groups().front().path, QString());
}

void TestNpyReaders::openErrors_data()
{
    addFixtureRows(true);
}

void TestNpyReaders::openErrors()
{
    QFETCH(QString, folder);
    QFETCH(QString, path);
    QFETCH(QJsonObject, fixture);
    const auto reader = openWith(folder, path);
    QVERIFY(!reader.ok());
    QVERIFY2(reader.error().contains(fixture[u"error"].toString()), qPrintable(reader.error()));
    QVERIFY2(reader.error().startsWith(path), qPrintable(reader.error()));
    // Sniffing may stop earlier (bad magic, empty file), but must fail naming the file too.
    const auto sniffed = openDump(path);
    QVERIFY(!sniffed.ok());
    QVERIFY2(sniffed.error().contains(path), qPrintable(sniffed.error()));
}

void TestNpyReaders::values_data()
{
    addTensorRows(false);
}

void TestNpyReaders::values()
{
    QFETCH(QString, folder);
    QFETCH(QString, path);
    QFETCH(QJsonObject, tensor);
    const auto reader = openWith(folder, path);
    QVERIFY(reader.ok());
    DumpReader& dump = **reader;
    const int index = dump.indexOf(tensor[u"path"].toString());
    QVERIFY(index >= 0);
    const Reference ref = Reference::from(tensor);
    QCOMPARE(qint64(std::max(ref.ints.size(), ref.floats.size())), checkedElementCount(ref.shape));

    const DType types[] = {DType::Float64, DType::Float32, DType::Int64, ref.dtype};
    for (const Slab& slab : slabsFor(ref.shape, qHash(QTest::currentDataTag()))) {
        for (DType as : types) {
            QByteArray out(slab.elementCount() * dtypeSize(as), '\x5a');
            const Status status = dump.readSlab(index, slab, as, out.data());
            QVERIFY2(status.ok(), qPrintable(status.error()));
            QString mismatch;
            QVERIFY2(slabMatches(ref, slab, as, out, &mismatch),
                     qPrintable(
                         QStringLiteral("start %1 count %2: %3")
                             .arg(shapeToString(slab.start), shapeToString(slab.count), mismatch)));
        }
    }
    // readRows on top of readSlab: a 0-d tensor is one row of one element.
    QByteArray all(checkedElementCount(ref.shape) * sizeof(double), '\0');
    QVERIFY(dump.readRows(index, 0, ref.shape.empty() ? 1 : ref.shape.front(), DType::Float64,
                          all.data())
                .ok());
    QString mismatch;
    QVERIFY2(slabMatches(ref, Slab::whole(ref.shape), DType::Float64, all, &mismatch),
             qPrintable(mismatch));
}

void TestNpyReaders::readErrors_data()
{
    addTensorRows(true);
}

void TestNpyReaders::readErrors()
{
    QFETCH(QString, folder);
    QFETCH(QString, path);
    QFETCH(QJsonObject, tensor);
    const auto reader = openWith(folder, path);
    QVERIFY(reader.ok());
    const int index = (*reader)->indexOf(tensor[u"path"].toString());
    QVERIFY(index >= 0);
    const Shape shape = toShape(tensor[u"shape"]);
    std::vector<double> out(checkedElementCount(shape));
    for (int attempt = 0; attempt < 2; ++attempt) { // the error is no one-off
        const Status status =
            (*reader)->readSlab(index, Slab::whole(shape), DType::Float64, out.data());
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(tensor[u"readError"].toString()),
                 qPrintable(status.error()));
        QVERIFY2(status.error().startsWith(path), qPrintable(status.error()));
        QVERIFY2(status.error().contains(tensor[u"path"].toString() + QStringLiteral(".npy")),
                 qPrintable(status.error()));
    }
}

void TestNpyReaders::openDumpSniffsBytes_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("copyAs");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("tensors");
    QTest::addRow("npy as .bin") << "npy/dtype_float32.npy"
                                 << "renamed.bin" << int(DumpFormat::Npy) << 1;
    QTest::addRow("npz as .npy") << "npz/savez.npz"
                                 << "archive.npy" << int(DumpFormat::Npz) << 6;
    QTest::addRow("npz, no extension") << "npz/savez_compressed.npz"
                                       << "archive" << int(DumpFormat::Npz) << 6;
    QTest::addRow("npy as .npz") << "npy/v3_int16.npy"
                                 << "fake.npz" << int(DumpFormat::Npy) << 1;
    QTest::addRow("folder") << "folder/batches" << QString() << int(DumpFormat::NpyFolder) << 12;
}

void TestNpyReaders::openDumpSniffsBytes()
{
    QFETCH(QString, source);
    QFETCH(QString, copyAs);
    QFETCH(int, format);
    QFETCH(int, tensors);
    QTemporaryDir dir;
    QString path = QFINDTESTDATA(QStringLiteral("data/formats/") + source);
    if (!copyAs.isEmpty()) {
        QVERIFY(QFile::copy(path, dir.filePath(copyAs)));
        path = dir.filePath(copyAs);
    }
    const auto reader = openDump(path);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    QCOMPARE(int((*reader)->format()), format);
    QCOMPARE((*reader)->tensors().size(), size_t(tensors));
    const TensorInfo& first = (*reader)->tensors().front();
    std::vector<double> out(first.elementCount());
    QVERIFY((*reader)->readSlab(0, Slab::whole(first.shape), DType::Float64, out.data()).ok());
}

void TestNpyReaders::emptyFolder()
{
    QTemporaryDir dir;
    const auto reader = NpyFolderReader::open(dir.path());
    QVERIFY(!reader.ok());
    QVERIFY2(reader.error().contains(u"no .npy files"), qPrintable(reader.error()));
    QVERIFY(reader.error().startsWith(dir.path()));
}

QTEST_GUILESS_MAIN(TestNpyReaders)
#include "tst_npyreaders.moc"
