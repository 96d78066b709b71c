// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's item models under QAbstractItemModelTester, the shape bench's layout, and the
// bench's painting at several device pixel ratios.
#include "bench/runstripview.h"
#include "bench/shapebenchlayout.h"
#include "bench/shapebenchview.h"
#include "common/textformat.h"
#include "diagnostics/diagnosticsfilter.h"
#include "diagnostics/diagnosticsmodel.h"
#include "dumptree/attributemodel.h"
#include "dumptree/dumptreefilter.h"
#include "dumptree/dumptreemodel.h"
#include "state/metatypes.h"
#include "tst_gui_support.h"
#include "window/examplecatalog.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>

using namespace shapescope;

namespace {

struct Analyzed
{
    DumpSummary dump;
    std::shared_ptr<const AnalysisResult> result;
};

Analyzed analyze(const QString& path, const LossSpec& spec = {})
{
    InProcessSession session;
    Analyzed out;
    Expected<DumpSummary> dump = session.open(path);
    if (!dump) {
        qWarning("%s", qPrintable(dump.error()));
        return out;
    }
    out.dump = *dump;
    AnalyzeRequest request{path, {}};
    request.options.spec = spec;
    Expected<AnalysisResult> result = session.analyze(request, {});
    if (result)
        out.result = std::make_shared<const AnalysisResult>(std::move(*result));
    else
        qWarning("%s", qPrintable(result.error()));
    return out;
}

// Every case of data/dumps and every embedded example, as rows of a data-driven test.
void addDumpRows()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonObject>("expected");
    static ExampleCatalog examples;
    for (const Example& example : examples.examples()) {
        const Expected<QString> path = examples.materialize(example.file);
        QVERIFY(path.ok());
        QTest::addRow("example %s", qPrintable(example.file)) << *path << QJsonObject();
    }
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        QTest::addRow("%s", qPrintable(c.value(QStringLiteral("name")).toString()))
            << test::dumpPath(c.value(QStringLiteral("file")).toString()) << c;
    }
}

} // namespace

class TestGuiModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dumpTree_data() { addDumpRows(); }
    void dumpTree();
    void dumpTreeFilter();
    void diagnostics_data() { addDumpRows(); }
    void diagnostics();
    void attributes();
    void shapeText_data();
    void shapeText();
    void benchLayout_data();
    void benchLayout();
    void benchPaints_data();
    void benchPaints();
    void runStripMarksRaggedBatch();
};

void TestGuiModels::initTestCase()
{
    test::isolateSettings();
    registerMetaTypes();
}

void TestGuiModels::dumpTree()
{
    QFETCH(QString, path);
    QFETCH(QJsonObject, expected);
    const Analyzed a =
        analyze(path, test::specForCase(expected.value(QStringLiteral("options")).toObject()));
    QVERIFY(a.result);
    DumpTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DumpTreeFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester filterTester(&filter,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDump(a.dump, QStringLiteral("dump"));
    QCOMPARE(model.rowCount(), 1); // the file
    QCOMPARE(model.tensorCount(), int(a.dump.tensors.size()));
    for (const TensorInfo& tensor : a.dump.tensors) {
        const QModelIndex index = model.indexOfPath(tensor.path);
        QVERIFY2(index.isValid(), qPrintable(tensor.path));
        QCOMPARE(model.tensorAt(index)->path, tensor.path);
        QCOMPARE(index.siblingAtColumn(DumpTreeModel::TypeColumn).data().toString(),
                 dtypeName(tensor.dtype));
        QCOMPARE(index.siblingAtColumn(DumpTreeModel::ShapeColumn).data().toString(),
                 shapeToString(tensor.shape));
    }
    model.setAnalysis(a.result.get());
    for (size_t p = 0; p < a.result->pairs.size(); ++p) {
        const PairResult& pair = a.result->pairs[p];
        const QModelIndex input = model.indexOfPath(pair.input);
        const QModelIndex target = model.indexOfPath(pair.target);
        QCOMPARE(input.data(DumpTreeModel::PairSideRole).toString(), QStringLiteral("input"));
        QCOMPARE(target.data(DumpTreeModel::PairSideRole).toString(), QStringLiteral("target"));
        QCOMPARE(input.siblingAtColumn(DumpTreeModel::RoleColumn).data().toString(),
                 QStringLiteral("input"));
        if (!pair.layout.inputRoles.empty() && pair.layout.batched)
            QVERIFY2(
                input.siblingAtColumn(DumpTreeModel::ShapeColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("(N)")),
                qPrintable(input.siblingAtColumn(DumpTreeModel::ShapeColumn).data().toString()));
    }
    // The expected pairs of the fixture, by path.
    for (const QJsonValue& value : expected.value(QStringLiteral("pairs")).toArray()) {
        const QJsonObject pair = value.toObject();
        QCOMPARE(model.indexOfPath(pair.value(QStringLiteral("input")).toString())
                     .data(DumpTreeModel::PairSideRole)
                     .toString(),
                 QStringLiteral("input"));
        QCOMPARE(model.indexOfPath(pair.value(QStringLiteral("target")).toString())
                     .data(DumpTreeModel::PairSideRole)
                     .toString(),
                 QStringLiteral("target"));
    }
    for (const QString& path : a.result->unpaired)
        QCOMPARE(
            model.indexOfPath(path).siblingAtColumn(DumpTreeModel::RoleColumn).data().toString(),
            QStringLiteral("unpaired"));
    // Errors show on the tensors they name and on the file row.
    for (const Diagnostic& d : a.result->diagnostics) {
        for (const QString& tensor : d.tensors)
            QVERIFY(model.indexOfPath(tensor).data(DumpTreeModel::SeverityRole).toInt() >=
                    int(d.severity));
    }
    filter.setSearchText(QStringLiteral("no tensor is called like this"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setSearchText(QString());
    QCOMPARE(filter.rowCount(), 1);
    model.setAnalysis(nullptr);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::dumpTreeFilter()
{
    const Analyzed a = analyze(test::dumpPath(QStringLiteral("run_nested.h5")));
    QVERIFY(a.result);
    DumpTreeModel model;
    DumpTreeFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDump(a.dump, QStringLiteral("run_nested.h5"));
    model.setAnalysis(a.result.get());
    filter.sort(DumpTreeModel::NameColumn, Qt::AscendingOrder);
    // Natural order: epoch_2 before epoch_10.
    const QModelIndex file = filter.index(0, 0);
    QCOMPARE(filter.rowCount(file), 2);
    QCOMPARE(filter.index(0, 0, file).data().toString(), QStringLiteral("epoch_2"));
    QCOMPARE(filter.index(1, 0, file).data().toString(), QStringLiteral("epoch_10"));

    // A search keeps the matches and their ancestors.
    filter.setSearchText(QStringLiteral("epoch_10/iter_3/log"));
    QCOMPARE(filter.rowCount(file), 1);
    const QModelIndex epoch = filter.index(0, 0, file);
    QCOMPARE(filter.rowCount(epoch), 1);
    const QModelIndex iter = filter.index(0, 0, epoch);
    QCOMPARE(filter.rowCount(iter), 1);
    QCOMPARE(filter.index(0, 0, iter).data(DumpTreeModel::PathRole).toString(),
             QStringLiteral("/epoch_10/iter_3/logits"));
    // Role words find tensors by their part in a pair.
    filter.setSearchText(QStringLiteral("target"));
    int targets = 0;
    std::function<void(const QModelIndex&)> count = [&](const QModelIndex& parent) {
        for (int r = 0; r < filter.rowCount(parent); ++r) {
            const QModelIndex i = filter.index(r, 0, parent);
            targets += i.data(DumpTreeModel::PairSideRole).toString() == QLatin1String("target");
            count(i);
        }
    };
    count({});
    QCOMPARE(targets, 4);
}

void TestGuiModels::diagnostics()
{
    QFETCH(QString, path);
    QFETCH(QJsonObject, expected);
    const Analyzed a =
        analyze(path, test::specForCase(expected.value(QStringLiteral("options")).toObject()));
    QVERIFY(a.result);
    DiagnosticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DiagnosticsFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester filterTester(&filter,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResult(a.result);
    QCOMPARE(model.rowCount(), int(a.result->diagnostics.size()));
    if (!expected.isEmpty()) {
        QStringList want;
        for (const QJsonValue& d : expected.value(QStringLiteral("diagnostics")).toArray())
            want << d.toObject().value(QStringLiteral("code")).toString();
        QStringList got;
        for (int row = 0; row < model.rowCount(); ++row)
            got << model.index(row, DiagnosticsModel::CodeColumn).data().toString();
        want.sort();
        got.sort();
        QCOMPARE(got, want);
    }
    // Hiding a severity hides exactly its rows.
    const int errors = model.count(Severity::Error);
    filter.setSeverityShown(Severity::Error, false);
    QCOMPARE(filter.rowCount(), model.rowCount() - errors);
    filter.setSeverityShown(Severity::Error, true);
    QCOMPARE(filter.rowCount(), model.rowCount());
    // Sorted by severity, errors first.
    filter.sort(DiagnosticsModel::SeverityColumn, Qt::DescendingOrder);
    for (int row = 1; row < filter.rowCount(); ++row)
        QVERIFY(filter.index(row - 1, 0).data(DiagnosticsModel::SeverityRole).toInt() >=
                filter.index(row, 0).data(DiagnosticsModel::SeverityRole).toInt());
    filter.setSearchText(QStringLiteral("zzz-no-such-code"));
    QCOMPARE(filter.rowCount(), 0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::attributes()
{
    AttributeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TensorInfo tensor;
    tensor.path = QStringLiteral("/logits");
    tensor.shape = {32, 10};
    tensor.storage = QStringLiteral("contiguous");
    tensor.attributes = {{QStringLiteral("epoch"), QStringLiteral("int64"), QStringLiteral("3")}};
    model.setTensor(tensor);
    QVERIFY(model.rowCount() >= 6);
    QCOMPARE(model.index(model.rowCount() - 1, AttributeModel::NameColumn).data().toString(),
             QStringLiteral("epoch"));
    QCOMPARE(model.index(model.rowCount() - 1, AttributeModel::ValueColumn).data().toString(),
             QStringLiteral("3"));
    model.setAttributes({{QStringLiteral("a"), QStringLiteral("string"), QStringLiteral("b")}});
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestGuiModels::shapeText_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<std::vector<AxisRole>>("roles");
    QTest::addColumn<QString>("text");
    using R = AxisRole;
    QTest::addRow("N, C") << Shape{32, 10} << std::vector<R>{R::Batch, R::Class}
                          << QStringLiteral("32 (N) x 10 (C)");
    QTest::addRow("N, C, d1, d2") << Shape{4, 21, 8, 8}
                                  << std::vector<R>{R::Batch, R::Class, R::Spatial, R::Spatial}
                                  << QStringLiteral("4 (N) x 21 (C) x 8 (d1) x 8 (d2)");
    QTest::addRow("target with an extra axis")
        << Shape{64, 1} << std::vector<R>{R::Batch} << QStringLiteral("64 (N) x 1");
    QTest::addRow("scalar") << Shape{} << std::vector<R>{} << QStringLiteral("scalar");
}

void TestGuiModels::shapeText()
{
    QFETCH(Shape, shape);
    QFETCH(std::vector<AxisRole>, roles);
    QFETCH(QString, text);
    QCOMPARE(text::shapeWithRoles(shape, roles), text);
}

void TestGuiModels::benchLayout_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("marked");
    QTest::addColumn<int>("overall");
    QTest::addRow("batch 32 vs 64") << QStringLiteral("batch_32_vs_64.h5")
                                    << QStringList{QStringLiteral("input axis 0 (N) = 32: error"),
                                                   QStringLiteral("target axis 0 (N) = 64: error")}
                                    << int(CellMark::Error);
    QTest::addRow("classes last") << QStringLiteral("class_dim_last.h5") << QStringList()
                                  << int(CellMark::Error);
    QTest::addRow("target column")
        << QStringLiteral("target_column.h5")
        << QStringList{QStringLiteral("target axis 1 = 1: error")} << int(CellMark::Error);
    QTest::addRow("healthy") << QStringLiteral("ce_basic.h5") << QStringList() << int(CellMark::Ok);
    QTest::addRow("softmax first")
        << QStringLiteral("softmax_before_loss.h5") << QStringList() << int(CellMark::Warning);
}

void TestGuiModels::benchLayout()
{
    QFETCH(QString, file);
    QFETCH(QStringList, marked);
    QFETCH(int, overall);
    const Analyzed a = analyze(test::dumpPath(file));
    QVERIFY(a.result);
    int diagnostic = -1;
    for (size_t i = 0; i < a.result->diagnostics.size(); ++i) {
        if (a.result->diagnostics[i].pair == 0)
            diagnostic = int(i);
    }
    const BenchLayout bench = BenchLayout::build(*a.result, 0, diagnostic);
    QVERIFY(bench.valid);
    QCOMPARE(int(bench.overall), overall);
    if (!marked.isEmpty())
        QCOMPARE(bench.describeMarked(), marked);
    // Every axis of both tensors has exactly one cell.
    int inputCells = 0;
    int targetCells = 0;
    for (const BenchColumn& column : bench.columns) {
        inputCells += column.input.present;
        targetCells += column.target.present;
    }
    QCOMPARE(size_t(inputCells), a.result->dump.tensors[0].path == bench.inputPath
                                     ? a.result->dump.tensors[0].shape.size()
                                     : a.result->dump.tensors[1].shape.size());
    Q_UNUSED(targetCells);
    if (overall == int(CellMark::Ok))
        QCOMPARE(bench.count(CellMark::Ok), inputCells + targetCells);
    if (file == QLatin1String("class_dim_last.h5")) {
        // (N, T, V) with class-index targets (N, T): the target has no vocabulary cell, and the
        // middle axis is time, both named by core's axisLabels.
        const auto classes =
            std::find_if(bench.columns.begin(), bench.columns.end(),
                         [](const BenchColumn& c) { return c.input.role == QLatin1String("V"); });
        QVERIFY(classes != bench.columns.end());
        QCOMPARE(classes->title, QStringLiteral("vocabulary V"));
        QVERIFY(!classes->target.present);
        const auto time =
            std::find_if(bench.columns.begin(), bench.columns.end(),
                         [](const BenchColumn& c) { return c.input.role == QLatin1String("T"); });
        QVERIFY(time != bench.columns.end());
        QCOMPARE(time->title, QStringLiteral("time T"));
        QVERIFY(time->target.present);
        QVERIFY(!classes->missingNote.isEmpty());
        QVERIFY(bench.count(CellMark::Error) >= 1);
    }
}

void TestGuiModels::benchPaints_data()
{
    QTest::addColumn<qreal>("ratio");
    QTest::addRow("1x") << qreal(1);
    QTest::addRow("2x") << qreal(2);
}

void TestGuiModels::benchPaints()
{
    QFETCH(qreal, ratio);
    const Analyzed a = analyze(test::dumpPath(QStringLiteral("batch_32_vs_64.h5")));
    QVERIFY(a.result);
    ShapeBenchView view;
    view.setBench(BenchLayout::build(*a.result, 0, 0));
    const QSize size = view.sizeHint();
    QVERIFY(size.width() > 100 && size.height() > 50);
    view.resize(size);
    QImage image(size * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::white);
    view.render(&image);
    // The mismatched batch cells are painted in the error colour somewhere.
    bool reddish = false;
    for (int y = 0; y < image.height() && !reddish; y += 2) {
        for (int x = 0; x < image.width() && !reddish; x += 2) {
            const QColor c = image.pixelColor(x, y);
            reddish = c.red() > 150 && c.green() < 90 && c.blue() < 90;
        }
    }
    QVERIFY(reddish);
    QVERIFY(view.accessibleDescription().contains(QStringLiteral("32 != 64")));
}

void TestGuiModels::runStripMarksRaggedBatch()
{
    const Analyzed a = analyze(test::dumpPath(QStringLiteral("run_ragged.h5")));
    QVERIFY(a.result);
    QCOMPARE(a.result->runs.size(), size_t(1));
    RunStripView strip;
    strip.setRun(a.result.get(), 0, 3);
    QCOMPARE(strip.batchCount(), 4);
    QCOMPARE(strip.raggedBatches(), QList<int>{3});
    QCOMPARE(strip.typicalSize(), qint64(32));
    strip.setRun(a.result.get(), 7, 0); // no such run
    QCOMPARE(strip.batchCount(), 0);
}

QTEST_MAIN(TestGuiModels)
#include "tst_gui_models.moc"
