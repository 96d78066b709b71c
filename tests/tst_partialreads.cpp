// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/dumpreader.h"

#include <QDir>
#include <QTest>

using namespace shapescope;

// Readers that never lose what they could read: an unsupported member of an .npz archive or a
// folder of .npy files (strings, Python objects, long double) is listed in the notes with its
// reason, and every other member stays readable. Run on public files from numpy's and scipy's
// own test data (../shared/realfiles, MANIFEST.tsv gives each file's origin; the counts are
// numpy.lib.format's reading of the member headers), skipped when that folder is absent.
class TestPartialReads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realFiles_data();
    void realFiles();
};

void TestPartialReads::realFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("tensors"); // -1: the file is refused
    QTest::addColumn<int>("notes");
    QTest::addColumn<QString>("mentions"); // in a note, or in the error
    QTest::addRow("scipy fftpack test.npz")
        << QStringLiteral("scipy/fftpack_test.npz") << 17 << 2
        << QStringLiteral("__version__.npy: dtype '|S3' (byte strings) is not supported");
    QTest::addRow("numpy savez with a unicode array")
        << QStringLiteral("numpy/py3-arr-savez.npz") << 1 << 1
        << QStringLiteral("foo.npy: dtype '<U3' (unicode strings) is not supported");
    QTest::addRow("numpy savez_compressed with a unicode array")
        << QStringLiteral("numpy/py3-arr-savez-compressed.npz") << 1 << 1
        << QStringLiteral("foo.npy: dtype '<U3'");
    QTest::addRow("scipy long double references")
        << QStringLiteral("scipy/fftw_longdouble_ref.npz") << 1 << 112
        << QStringLiteral("dct_1_2.npy: dtype '<f16' (long double) is not supported");
    QTest::addRow("only Python objects")
        << QStringLiteral("numpy/py2-objarr.npz") << -1 << 0
        << QStringLiteral("no entry ShapeScope can read: x.npy: the array holds Python objects");
    QTest::addRow("scipy svds benchmark, objects only")
        << QStringLiteral("scipy/svds_benchmark_files.npz") << -1 << 0
        << QStringLiteral("abb313.npy: the array holds Python objects");
}

void TestPartialReads::realFiles()
{
    QFETCH(QString, file);
    QFETCH(int, tensors);
    QFETCH(int, notes);
    QFETCH(QString, mentions);
    const QDir corpus(QStringLiteral(SHAPESCOPE_REALFILES_DIR));
    if (!corpus.exists(file))
        QSKIP("../shared/realfiles is not here");
    auto opened = openDump(corpus.filePath(file));
    if (tensors < 0) {
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(mentions), qPrintable(opened.error()));
        return;
    }
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
    DumpReader& reader = **opened;
    QCOMPARE(int(reader.tensors().size()), tensors);
    QCOMPARE(int(reader.notes().size()), notes);
    QVERIFY2(reader.notes().join(u'\n').contains(mentions), qPrintable(reader.notes().join(u'\n')));
    // What is kept reads whole.
    for (int i = 0; i < int(reader.tensors().size()); ++i) {
        const TensorInfo& info = reader.tensors()[size_t(i)];
        std::vector<double> values(size_t(info.elementCount()));
        QVERIFY(reader.readSlab(i, Slab::whole(info.shape), DType::Float64, values.data()));
    }
}

QTEST_GUILESS_MAIN(TestPartialReads)
#include "tst_partialreads.moc"
