// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/dumpreader.h"
#include "testutils.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace shapescope;

// Readers that never lose what they could read: an unsupported member of an .npz archive or a
// folder of .npy files (strings, Python objects, long double) is an entry of the tensor table,
// not readable, with its shape, numpy's dtype and the reason, and every other member stays
// readable. Run on public files from numpy's and scipy's own test data (../shared/realfiles,
// MANIFEST.tsv gives each file's origin; counts, shapes and descrs are numpy.lib.format's
// reading of the member headers), skipped when that folder is absent, and on fixtures written
// by numpy (tests/data/unreadable, gen_unreadable.py).
class TestPartialReads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realFiles_data();
    void realFiles();
    void fixtures_data();
    void fixtures();
};

namespace {

const TensorInfo* skippedEntry(const DumpReader& reader, const QString& path)
{
    for (const TensorInfo& object : reader.skipped()) {
        if (object.path == path)
            return &object;
    }
    return nullptr;
}

// Every kept tensor reads whole.
bool readsWhole(DumpReader& reader)
{
    for (int i = 0; i < int(reader.tensors().size()); ++i) {
        const TensorInfo& info = reader.tensors()[size_t(i)];
        std::vector<double> values(size_t(info.elementCount()));
        if (!reader.readSlab(i, Slab::whole(info.shape), DType::Float64, values.data()))
            return false;
    }
    return true;
}

} // namespace

void TestPartialReads::realFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("tensors"); // -1: the file is refused
    QTest::addColumn<int>("skipped");
    QTest::addColumn<QString>("member"); // a skipped member, or what the error mentions
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("reason");
    QTest::addRow("scipy fftpack test.npz")
        << QStringLiteral("scipy/fftpack_test.npz") << 17 << 2 << QStringLiteral("__version__")
        << Shape{} << QStringLiteral("|S3") << QStringLiteral("(byte strings) is not supported");
    QTest::addRow("numpy savez with a unicode array")
        << QStringLiteral("numpy/py3-arr-savez.npz") << 1 << 1 << QStringLiteral("foo") << Shape{}
        << QStringLiteral("<U3") << QStringLiteral("(unicode strings) is not supported");
    QTest::addRow("numpy savez_compressed with a unicode array")
        << QStringLiteral("numpy/py3-arr-savez-compressed.npz") << 1 << 1 << QStringLiteral("foo")
        << Shape{} << QStringLiteral("<U3") << QStringLiteral("unicode strings");
    QTest::addRow("scipy long double references")
        << QStringLiteral("scipy/fftw_longdouble_ref.npz") << 1 << 112 << QStringLiteral("dct_1_3")
        << Shape{3} << QStringLiteral("<f16") << QStringLiteral("(long double) is not supported");
    QTest::addRow("only Python objects")
        << QStringLiteral("numpy/py2-objarr.npz") << -1 << 0
        << QStringLiteral("no entry ShapeScope can read: x: 4 |O8, the array holds Python objects")
        << Shape{} << QString() << QString();
    QTest::addRow("scipy svds benchmark, objects only")
        << QStringLiteral("scipy/svds_benchmark_files.npz") << -1 << 0
        << QStringLiteral("abb313: scalar |O, the array holds Python objects") << Shape{}
        << QString() << QString();
}

void TestPartialReads::realFiles()
{
    QFETCH(QString, file);
    QFETCH(int, tensors);
    QFETCH(int, skipped);
    QFETCH(QString, member);
    QFETCH(Shape, shape);
    QFETCH(QString, dtype);
    QFETCH(QString, reason);
    const QDir corpus(QStringLiteral(SHAPESCOPE_REALFILES_DIR));
    if (!corpus.exists(file))
        QSKIP("../shared/realfiles is not here");
    auto opened = openDump(corpus.filePath(file));
    if (tensors < 0) {
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(member), qPrintable(opened.error()));
        return;
    }
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
    DumpReader& reader = **opened;
    QCOMPARE(int(reader.tensors().size()), tensors);
    QCOMPARE(int(reader.skipped().size()), skipped);
    QVERIFY(reader.notes().isEmpty());
    const TensorInfo* object = skippedEntry(reader, member);
    QVERIFY2(object, qPrintable(member));
    QCOMPARE(object->shape, shape);
    QCOMPARE(object->storedType, dtype);
    QVERIFY(!object->readable());
    QVERIFY2(object->unreadableReason.contains(reason), qPrintable(object->unreadableReason));
    QCOMPARE(reader.indexOf(member), -1);
    QVERIFY(readsWhole(reader));
}

void TestPartialReads::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("suffix"); // of a member's path: ".npy" in a folder
    QTest::addRow("npz") << QStringLiteral("mixed.npz") << QString();
    QTest::addRow("npy folder") << QStringLiteral("mixed_npy") << QStringLiteral(".npy");
}

// Each member as numpy reads it: readable ones in tensors(), the rest in skipped() with
// numpy's dtype.str and shape.
void TestPartialReads::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, suffix);
    const QString folder = QStringLiteral(SHAPESCOPE_TEST_DATA "/unreadable/");
    const QJsonObject expected =
        test::readJson(folder + QStringLiteral("expected.json"))[file].toObject();
    QVERIFY(!expected.isEmpty());
    auto opened = openDump(folder + file);
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
    DumpReader& reader = **opened;
    QCOMPARE(qsizetype(reader.tensors().size() + reader.skipped().size()), expected.size());
    for (auto member = expected.begin(); member != expected.end(); ++member) {
        const QString path = member.key() + suffix;
        const QJsonObject want = member.value().toObject();
        Shape shape;
        for (const QJsonValue extent : want[u"shape"].toArray())
            shape.push_back(qint64(extent.toDouble()));
        const QString dtype = want[u"dtype"].toString();
        const int index = reader.indexOf(path);
        const TensorInfo* info =
            index >= 0 ? &reader.tensors()[size_t(index)] : skippedEntry(reader, path);
        QVERIFY2(info, qPrintable(path));
        QCOMPARE(info->shape, shape);
        // numpy's '<f4' and '<i8' are the tensors ShapeScope reads.
        const bool numeric = dtype == u"<f4" || dtype == u"<i8";
        QCOMPARE(index >= 0, numeric);
        QCOMPARE(info->readable(), numeric);
        if (!numeric)
            QCOMPARE(info->storedType, dtype);
    }
    QVERIFY(readsWhole(reader));
}

QTEST_GUILESS_MAIN(TestPartialReads)
#include "tst_partialreads.moc"
