// SPDX-License-Identifier: GPL-3.0-or-later
// DumpReader::mapRows: rows used in place from the file's pages when (and only when) the file
// holds them as the caller wants them, byte for byte what readRows gives.
#include "formats/dumpreader.h"

#include <QTest>
#include <cstring>

using namespace shapescope;

class TestMappedRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapsOnlyWhatIsStoredAsAsked_data();
    void mapsOnlyWhatIsStoredAsAsked();
    void rangesOutsideTheTensorAreRefused();
};

namespace {

QString formats(const char* file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/formats/") + QLatin1String(file);
}

} // namespace

void TestMappedRows::mapsOnlyWhatIsStoredAsAsked_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<QString>("as");
    QTest::addColumn<bool>("mapped");
    const QString dtypes = formats("hdf5/dtypes.h5"), storage = formats("hdf5/storage.h5");
    QTest::addRow("h5 float32") << dtypes << "/float32"
                                << "float32" << true;
    QTest::addRow("h5 float64") << dtypes << "/float64"
                                << "float64" << true;
    QTest::addRow("h5 int16") << dtypes << "/int16"
                              << "int16" << true;
    QTest::addRow("h5 float32 as float64") << dtypes << "/float32"
                                           << "float64" << false;
    QTest::addRow("h5 big-endian") << dtypes << "/big_f4"
                                   << "float32" << false;
    QTest::addRow("h5 misaligned int32") << dtypes << "/int32"
                                         << "int32" << false;
    QTest::addRow("h5 enum") << dtypes << "/enum_i2"
                             << "int16" << false;
    QTest::addRow("h5 contiguous") << storage << "/contiguous"
                                   << "float64" << true;
    QTest::addRow("h5 chunked gzip") << storage << "/chunked"
                                     << "float32" << false;
    QTest::addRow("h5 chunked plain") << storage << "/plain_chunks"
                                      << "int64" << false;
    QTest::addRow("h5 compact") << storage << "/compact"
                                << "int32" << false;
    QTest::addRow("h5 userblock") << formats("hdf5/userblock.h5") << "/x"
                                  << "int16" << false;
    QTest::addRow("npy float32") << formats("npy/dtype_float32.npy") << "dtype_float32.npy"
                                 << "float32" << true;
    QTest::addRow("npy v2") << formats("npy/v2_float32.npy") << "v2_float32.npy"
                            << "float32" << true;
    QTest::addRow("npy big-endian") << formats("npy/be_float32.npy") << "be_float32.npy"
                                    << "float32" << false;
    QTest::addRow("npy fortran") << formats("npy/fortran_3x4x5.npy") << "fortran_3x4x5.npy"
                                 << "" << false;
    QTest::addRow("npy converted") << formats("npy/dtype_float32.npy") << "dtype_float32.npy"
                                   << "float64" << false;
    QTest::addRow("npy folder") << QStringLiteral(SHAPESCOPE_TEST_DATA "/dumps/folder_pair")
                                << "logits.npy"
                                << "float32" << true;
}

void TestMappedRows::mapsOnlyWhatIsStoredAsAsked()
{
    QFETCH(QString, path);
    QFETCH(QString, tensor);
    QFETCH(QString, as);
    QFETCH(bool, mapped);
    auto reader = openDump(path);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    const int index = (*reader)->indexOf(tensor);
    QVERIFY(index >= 0);
    const TensorInfo& info = (*reader)->tensors()[size_t(index)];
    const DType type = as.isEmpty() ? info.dtype : *dtypeFromName(as);
    const qint64 rows = info.rowCount();
    std::unique_ptr<MappedRows> view = (*reader)->mapRows(index, 0, rows, type);
    QCOMPARE(bool(view), mapped);
    if (!view)
        return;
    const qint64 bytes = info.elementCount() * dtypeSize(type);
    QCOMPARE(view->size(), bytes);
    std::vector<char> read(static_cast<size_t>(bytes));
    QVERIFY((*reader)->readRows(index, 0, rows, type, read.data()).ok());
    QVERIFY(std::memcmp(read.data(), view->data(), read.size()) == 0);
    // A later row range: the right offset within the file.
    if (rows > 1) {
        const auto later = (*reader)->mapRows(index, 1, rows - 1, type);
        QVERIFY(later);
        QVERIFY(std::memcmp(read.data() + bytes / rows, later->data(),
                            size_t(bytes - bytes / rows)) == 0);
    }
}

void TestMappedRows::rangesOutsideTheTensorAreRefused()
{
    auto reader = openDump(formats("hdf5/dtypes.h5"));
    QVERIFY(reader.ok());
    const int index = (*reader)->indexOf(QStringLiteral("/float32"));
    QVERIFY(!(*reader)->mapRows(index, 1, 2, DType::Float32)); // rows 1..3 of 2
    QVERIFY(!(*reader)->mapRows(index, -1, 1, DType::Float32));
    QVERIFY(!(*reader)->mapRows(index, 0, 0, DType::Float32));
    QVERIFY(!(*reader)->mapRows(99, 0, 1, DType::Float32));
    QVERIFY((*reader)->mapRows(index, 1, 1, DType::Float32));
}

QTEST_GUILESS_MAIN(TestMappedRows)
#include "tst_mappedrows.moc"
