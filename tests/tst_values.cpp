// SPDX-License-Identifier: GPL-3.0-or-later
// The values view: cell text (NaN/Inf distinct, integers exact, shortest round-trip floats),
// the paged model under QAbstractItemModelTester, axis selection, stale pages, the LRU cache,
// and a 1 GiB tensor that shows its values at once.
#include "tst_plots_support.h"
#include "values/tensorvaluesmodel.h"
#include "values/tensorvaluesview.h"
#include "values/valueformat.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <cmath>
#include <limits>

using namespace shapescope;

Q_DECLARE_METATYPE(shapescope::DType)

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// value(i, j, k) of the (3, 500, 100) fixture.
float cube(int i, int j, int k)
{
    if (i == 1 && j == 2 && k == 3)
        return std::numeric_limits<float>::quiet_NaN();
    if (i == 1 && j == 300 && k == 70)
        return std::numeric_limits<float>::infinity();
    if (i == 2 && j == 499 && k == 99)
        return -std::numeric_limits<float>::infinity();
    return static_cast<float>(i * 100000 + j * 100 + k) + 0.25f;
}

} // namespace

class TestValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void formatsValues_data();
    void formatsValues();
    void pagesLoadLazily();
    void choosesAxesAndIndices();
    void transposedAxes();
    void dropsStalePages();
    void keepsAFewPages();
    void oneGibTensorShowsAtOnce();
    void scalarsAndVectors();
    void unreadableTensorsShowNothing();
    void viewSelectorsDriveTheModel();

private:
    TensorInfo tensor(const QString& path, int index = 0);

    QTemporaryDir m_dir;
    std::shared_ptr<InProcessSession> m_session = std::make_shared<InProcessSession>();
    QString m_cube;
};

void TestValues::initTestCase()
{
    QVERIFY(m_dir.isValid());
    std::vector<float> data(3 * 500 * 100);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 500; ++j)
            for (int k = 0; k < 100; ++k)
                data[static_cast<size_t>((i * 500 + j) * 100 + k)] = cube(i, j, k);
    m_cube = m_dir.filePath(QStringLiteral("cube.npy"));
    QVERIFY(test::writeNpy(m_cube, "<f4", {3, 500, 100}, data.data(),
                           qint64(data.size() * sizeof(float))));
}

TensorInfo TestValues::tensor(const QString& path, int index)
{
    const Expected<DumpSummary> dump = m_session->open(path);
    if (!dump) {
        qWarning("%s", qPrintable(dump.error()));
        return {};
    }
    return dump->tensors.at(static_cast<size_t>(index));
}

void TestValues::formatsValues_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<DType>("type");
    QTest::addColumn<QString>("text");
    QTest::addRow("NaN") << kNaN << DType::Float32 << "NaN";
    QTest::addRow("+Inf") << kInf << DType::Float64 << "+Inf";
    QTest::addRow("-Inf") << -kInf << DType::Float16 << "-Inf";
    QTest::addRow("float32 0.1 reads back as 0.1f") << double(0.1f) << DType::Float32 << "0.1";
    QTest::addRow("float64 0.1") << 0.1 << DType::Float64 << "0.1";
    QTest::addRow("float64 1/3, all digits") << 1.0 / 3.0 << DType::Float64 << "0.3333333333333333";
    QTest::addRow("float32 1/3") << double(1.0f / 3.0f) << DType::Float32 << "0.33333334";
    QTest::addRow("float32 tiny") << double(1e-8f) << DType::Float32 << "1e-08";
    QTest::addRow("float16 0.1") << 0.0999755859375 << DType::Float16 << "0.1";
    QTest::addRow("float16 65504") << 65504.0 << DType::Float16 << "6.55e+04";
    QTest::addRow("int64 2^53") << 9007199254740992.0 << DType::Int64 << "9007199254740992";
    QTest::addRow("int8 negative") << -128.0 << DType::Int8 << "-128";
    QTest::addRow("uint64 2^63") << 9223372036854775808.0 << DType::UInt64 << "9223372036854775808";
    QTest::addRow("uint8") << 255.0 << DType::UInt8 << "255";
    QTest::addRow("bool true") << 1.0 << DType::Bool << "True";
    QTest::addRow("bool false") << 0.0 << DType::Bool << "False";
    QTest::addRow("negative zero") << -0.0 << DType::Float32 << "-0";
}

void TestValues::formatsValues()
{
    QFETCH(double, value);
    QFETCH(DType, type);
    QFETCH(QString, text);
    QCOMPARE(formatValue(value, type), text);
    QCOMPARE(isSpecialValue(value), !std::isfinite(value));
}

void TestValues::pagesLoadLazily()
{
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    model.setTensor(m_cube, tensor(m_cube));
    QCOMPARE(model.rowAxis(), 1);
    QCOMPARE(model.columnAxis(), 2);
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.columnCount(), 100);
    QCOMPARE(model.headerData(7, Qt::Vertical).toString(), QStringLiteral("7"));
    const qint64 before = model.pagesRequested();
    const QModelIndex first = model.index(5, 6);
    // Not here yet: a placeholder, greyed, and one page asked for.
    QSignalSpy loaded(&model, &TensorValuesModel::pageLoaded);
    QCOMPARE(first.data().toString(), TensorValuesModel::placeholder());
    QTRY_VERIFY(first.data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(first.data().toString(), formatValue(cube(0, 5, 6), DType::Float32));
    QCOMPARE(first.data(TensorValuesModel::ValueRole).toDouble(), double(cube(0, 5, 6)));
    QVERIFY(model.pagesRequested() - before <= 2); // the tester may touch another page
    QVERIFY(loaded.size() >= 1);
    // The page holds its neighbours: no new request for them.
    const qint64 afterFirst = model.pagesRequested();
    QCOMPARE(model.index(255, 63).data().toString(), formatValue(cube(0, 255, 63), DType::Float32));
    QCOMPARE(model.pagesRequested(), afterFirst);
    // Far away: the page at rows 256.., columns 64..
    const QModelIndex far = model.index(300, 70);
    far.data();
    QTRY_VERIFY(far.data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(far.data().toString(), formatValue(cube(0, 300, 70), DType::Float32));
    QCOMPARE(far.data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
             Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    QVERIFY(far.data(Qt::ToolTipRole).toString().contains(QLatin1String("[0, 300, 70]")));
}

void TestValues::choosesAxesAndIndices()
{
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    model.setTensor(m_cube, tensor(m_cube));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setFixedIndex(0, 1));
    QVERIFY(!model.setFixedIndex(1, 0)); // a row or column axis has no index
    QVERIFY(!model.setFixedIndex(0, 3)); // outside the axis
    QVERIFY(changed.size() >= 1);        // same shape, other values: the view keeps its place
    const QModelIndex nan = model.index(2, 3);
    nan.data();
    QTRY_VERIFY(nan.data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(nan.data().toString(), QStringLiteral("NaN"));
    QCOMPARE(nan.data(Qt::ForegroundRole).value<QColor>(), QColor(0xD5, 0x5E, 0x00));
    QVERIFY(nan.data(Qt::FontRole).value<QFont>().bold());
    const QModelIndex inf = model.index(300, 70);
    inf.data();
    QTRY_VERIFY(inf.data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(inf.data().toString(), QStringLiteral("+Inf"));
    QVERIFY(!model.index(300, 71).data(Qt::ForegroundRole).isValid() ||
            !model.index(300, 71).data(TensorValuesModel::LoadedRole).toBool());
    // Rows along axis 0, columns along axis 2, axis 1 held at 499.
    QVERIFY(model.setAxes(0, 2));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 100);
    QVERIFY(model.setFixedIndex(1, 499));
    const QModelIndex minusInf = model.index(2, 99);
    minusInf.data();
    QTRY_VERIFY(minusInf.data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(minusInf.data().toString(), QStringLiteral("-Inf"));
    QCOMPARE(model.elementIndex(2, 99), (Shape{2, 499, 99}));
    QVERIFY(!model.setAxes(0, 0));
    QVERIFY(!model.setAxes(0, 3));
}

void TestValues::transposedAxes()
{
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    model.setTensor(m_cube, tensor(m_cube));
    QVERIFY(model.setAxes(2, 1)); // rows are axis 2 (100), columns axis 1 (500)
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.columnCount(), 500);
    for (const auto& [row, column] : {std::pair{3, 2}, std::pair{70, 300}, std::pair{99, 499}}) {
        const QModelIndex index = model.index(row, column);
        index.data();
        QTRY_VERIFY(index.data(TensorValuesModel::LoadedRole).toBool());
        QCOMPARE(index.data(TensorValuesModel::ValueRole).toDouble(), double(cube(0, column, row)));
    }
}

void TestValues::dropsStalePages()
{
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    model.setTensor(m_cube, tensor(m_cube));
    // Ask for pages, then change the slice before they arrive: the old answers must not land.
    for (int row = 0; row < 500; row += 256)
        for (int column = 0; column < 100; column += 64)
            model.index(row, column).data();
    model.setFixedIndex(0, 2);
    QSignalSpy idle(&model, &TensorValuesModel::idle);
    const QModelIndex cell = model.index(10, 10);
    cell.data();
    QTRY_VERIFY(cell.data(TensorValuesModel::LoadedRole).toBool());
    QTRY_COMPARE(model.pendingPages(), 0);
    for (int row : {0, 10, 255, 256, 499})
        for (int column : {0, 10, 63, 64, 99}) {
            const QModelIndex index = model.index(row, column);
            if (index.data(TensorValuesModel::LoadedRole).toBool())
                QCOMPARE(index.data(TensorValuesModel::ValueRole).toDouble(),
                         double(cube(2, row, column)));
        }
}

void TestValues::keepsAFewPages()
{
    TensorValuesModel model;
    model.setSession(m_session);
    model.setTensor(m_cube, tensor(m_cube));
    model.setCacheCapacity(2);
    for (const auto& [row, column] :
         {std::pair{0, 0}, std::pair{0, 64}, std::pair{256, 0}, std::pair{256, 64}}) {
        const QModelIndex index = model.index(row, column);
        index.data();
        QTRY_VERIFY(index.data(TensorValuesModel::LoadedRole).toBool());
    }
    QCOMPARE(model.cachedPages(), 2);
    // The first page was evicted: asking again reads it again.
    const qint64 requested = model.pagesRequested();
    model.index(0, 0).data();
    QCOMPARE(model.pagesRequested(), requested + 1);
}

void TestValues::oneGibTensorShowsAtOnce()
{
    // A sparse 1 GiB float32 file: 16384 x 16384 zeros but for the values written below.
    const QString path = m_dir.filePath(QStringLiteral("huge.npy"));
    QVERIFY(test::writeNpy(path, "<f4", {16384, 16384}, nullptr, 0));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 header = file.size();
    QVERIFY(file.resize(header + (qint64(1) << 30)));
    const float marker = 42.5f;
    QVERIFY(file.seek(header + (qint64(12345) * 16384 + 15000) * 4));
    QVERIFY(file.write(reinterpret_cast<const char*>(&marker), 4) == 4);
    file.close();

    TensorValuesModel model;
    model.setSession(m_session);
    QElapsedTimer timer;
    timer.start();
    model.setTensor(path, tensor(path));
    QCOMPARE(model.rowCount(), 16384);
    QCOMPARE(model.columnCount(), 16384);
    const QModelIndex index = model.index(12345, 15000);
    QCOMPARE(index.data().toString(), TensorValuesModel::placeholder());
    QTRY_VERIFY_WITH_TIMEOUT(index.data(TensorValuesModel::LoadedRole).toBool(), 5000);
    const qint64 ms = timer.elapsed();
    QCOMPARE(index.data().toString(), QStringLiteral("42.5"));
    QCOMPARE(model.index(12345, 15001).data().toString(), QStringLiteral("0"));
    qInfo("1 GiB tensor: the page at (12345, 15000) shown after %lld ms, %lld page(s) read", ms,
          model.pagesRequested());
    QVERIFY(model.pagesRequested() <= 2);
    QVERIFY2(ms < 1000, "a page of a 1 GiB tensor must arrive at once");

    // The view scrolls there without touching anything else.
    TensorValuesView view;
    view.setSession(m_session);
    view.showTensor(path, tensor(path));
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.table()->scrollTo(view.model()->index(16000, 16000));
    const QModelIndex corner = view.model()->index(16000, 16000);
    QTRY_VERIFY_WITH_TIMEOUT(corner.data(TensorValuesModel::LoadedRole).toBool(), 5000);
    QVERIFY(view.model()->pagesRequested() < 10);
}

void TestValues::scalarsAndVectors()
{
    const QString path = m_dir.filePath(QStringLiteral("vector.npy"));
    const std::vector<qint64> data{9007199254740991, -3, 0, 7};
    QVERIFY(test::writeNpy(path, "<i8", {4}, data.data(), 32));
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    model.setTensor(path, tensor(path));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), 1);
    QCOMPARE(model.columnAxis(), -1);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("value"));
    model.index(0, 0).data();
    QTRY_VERIFY(model.index(0, 0).data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("9007199254740991"));
    QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("-3"));

    const QString scalarPath = m_dir.filePath(QStringLiteral("scalar.npy"));
    const double pi = 3.141592653589793;
    QVERIFY(test::writeNpy(scalarPath, "<f8", {}, &pi, 8));
    model.setTensor(scalarPath, tensor(scalarPath));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), 1);
    model.index(0, 0).data();
    QTRY_VERIFY(model.index(0, 0).data(TensorValuesModel::LoadedRole).toBool());
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("3.141592653589793"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestValues::unreadableTensorsShowNothing()
{
    TensorValuesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_session);
    TensorInfo info = tensor(m_cube);
    info.unreadableReason = QStringLiteral("needs the missing filter blosc");
    model.setTensor(m_cube, info);
    QCOMPARE(model.rowCount(), 0);
    // A read that fails (the file went away) says why, and the cell shows "?".
    TensorInfo gone = tensor(m_cube);
    const QString missing = m_dir.filePath(QStringLiteral("missing.npy"));
    model.setTensor(missing, gone);
    QSignalSpy failed(&model, &TensorValuesModel::readFailed);
    model.index(0, 0).data();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("?"));
}

void TestValues::viewSelectorsDriveTheModel()
{
    TensorValuesView view;
    view.setSession(m_session);
    view.showTensor(m_cube, tensor(m_cube));
    QVERIFY(view.rowAxisBox()->isVisibleTo(&view));
    QCOMPARE(view.rowAxisBox()->count(), 3);
    QVERIFY(view.indexBox(0));
    QVERIFY(!view.indexBox(1));
    QCOMPARE(view.indexBox(0)->maximum(), 2);
    view.indexBox(0)->setValue(1);
    QCOMPARE(view.model()->fixedIndex(0), qint64(1));
    // Choosing the column axis for the rows swaps the two.
    view.rowAxisBox()->setCurrentIndex(2);
    Q_EMIT view.rowAxisBox()->activated(2);
    QCOMPARE(view.model()->rowAxis(), 2);
    QCOMPARE(view.model()->columnAxis(), 1);
    QVERIFY(view.indexBox(0));
    view.columnAxisBox()->setCurrentIndex(0);
    Q_EMIT view.columnAxisBox()->activated(0);
    QCOMPARE(view.model()->columnAxis(), 0);
    QVERIFY(view.indexBox(1));
    QVERIFY(!view.indexBox(0));
}

SHAPESCOPE_GUI_TEST_MAIN(TestValues)
#include "tst_values.moc"
