// SPDX-License-Identifier: GPL-3.0-or-later
// File > Compare With...: the Compare tab puts a second dump beside the window's, tensors
// matched by path; rows whose tensors differ are highlighted, changed "B" cells marked, as
// numpy and torch 1.13 say for tests/data/compare (gen_compare.py).

#include "compare/comparemodel.h"
#include "compare/comparepage.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"
#include "window/runpages.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace shapescope;

namespace {

constexpr int kTimeout = 30000;

QJsonObject expected()
{
    QFile file(QFINDTESTDATA("data/compare/expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Whether numpy saw the tensor differ between the two dumps: on one side only, another shape
// or dtype, or elements that differ.
bool tensorDiffers(const QJsonObject& row)
{
    const QJsonValue a = row.value("a"), b = row.value("b");
    if (a.isNull() || b.isNull())
        return true;
    if (a["shape"] != b["shape"] || a["dtype"] != b["dtype"])
        return true;
    return row.value("differing").toInteger() != 0;
}

struct Opened
{
    std::unique_ptr<MainWindow> window;
    ComparePage* page = nullptr;
};

Opened openAndCompare(const QString& a, const QString& b)
{
    Opened opened{std::make_unique<MainWindow>(std::make_shared<InProcessSession>()), nullptr};
    MainWindow& window = *opened.window;
    window.show();
    window.openFile(a);
    opened.page = test::part<ComparePage>(window, "comparePage");
    const bool ready = QTest::qWaitFor(
        [&] {
            return test::part<Workspace>(window, "workspace")->state() == Workspace::State::Ready;
        },
        kTimeout);
    if (ready)
        test::part<RunPages>(window, "runPages")->compareWith(b);
    return opened;
}

} // namespace

class TestGuiCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void highlightsTheDifferences();
    void identicalDumpsHighlightNothing();
    void actionNeedsADump();
};

void TestGuiCompare::initTestCase()
{
    test::isolateSettings();
    test::quietOffscreenPlatform();
}

void TestGuiCompare::highlightsTheDifferences()
{
    Opened opened = openAndCompare(QFINDTESTDATA("data/compare/before.h5"),
                                   QFINDTESTDATA("data/compare/after.h5"));
    ComparePage* page = opened.page;
    QAbstractItemModelTester tester(page->table()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(page, &ComparePage::comparisonReady);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, kTimeout);
    QCOMPARE(test::part<QTabWidget>(*opened.window, "analysisTabs")->currentWidget(), page);

    const QJsonObject tensors = expected().value("tensors").toObject();
    QAbstractItemModel* model = page->table()->model();
    QCOMPARE(model->rowCount(), int(tensors.size()));
    int highlighted = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString path = model->index(row, CompareModel::TensorColumn).data().toString();
        QVERIFY2(tensors.contains(path), qPrintable(path));
        const bool differs = tensorDiffers(tensors.value(path).toObject());
        const QModelIndex first = model->index(row, 0);
        QVERIFY2(first.data(Qt::BackgroundRole).isValid() == differs, qPrintable(path));
        QCOMPARE(first.data(CompareModel::TensorDiffersRole).toBool(), differs);
        highlighted += differs;
    }
    QVERIFY(highlighted > 0 && highlighted < model->rowCount());

    // The logits are the same in both dumps, but their loss is not: torch raises on A's
    // one-based labels and computes a mean on B's. The row is plain, its "Loss B" cell marked.
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, CompareModel::TensorColumn).data().toString() != "/logits")
            continue;
        QVERIFY(!model->index(row, 0).data(CompareModel::TensorDiffersRole).toBool());
        const QModelIndex loss = model->index(row, CompareModel::LossColumn);
        QVERIFY(loss.data(CompareModel::CellDiffersRole).toBool());
        const QStringList sides = loss.data().toString().split(QString::fromUtf8(" \u2192 "));
        QCOMPARE(sides.size(), 2);
        QCOMPARE(sides[0], "raises");
        const QJsonValue torchMean =
            expected().value("pair").toObject().value("b").toObject().value("mean");
        QVERIFY2(test::closeToTorch(sides[1].toDouble(), torchMean.toDouble()),
                 qPrintable(loss.data().toString()));
        // A same-shape column of the row reads once, unmarked.
        QVERIFY(!model->index(row, CompareModel::ShapeColumn)
                     .data()
                     .toString()
                     .contains(QString::fromUtf8("\u2192")));
        QVERIFY(!model->index(row, CompareModel::ShapeColumn)
                     .data(CompareModel::CellDiffersRole)
                     .toBool());
    }

    // "Only differences" keeps every row that differs in anything: here all of them.
    test::part<QCheckBox>(*opened.window, "compareOnlyDifferences")->setChecked(true);
    QCOMPARE(model->rowCount(), int(tensors.size()));
}

void TestGuiCompare::identicalDumpsHighlightNothing()
{
    const QString before = QFINDTESTDATA("data/compare/before.h5");
    Opened opened = openAndCompare(before, before);
    ComparePage* page = opened.page;
    QSignalSpy ready(page, &ComparePage::comparisonReady);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() > 0, kTimeout);
    QAbstractItemModel* model = page->table()->model();
    QVERIFY(model->rowCount() > 0);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(!model->index(row, 0).data(Qt::BackgroundRole).isValid());
    QVERIFY(test::part<QLabel>(*opened.window, "compareSummary")->text().contains("identical"));
    test::part<QCheckBox>(*opened.window, "compareOnlyDifferences")->setChecked(true);
    QCOMPARE(model->rowCount(), 0);
}

void TestGuiCompare::actionNeedsADump()
{
    MainWindow window(std::make_shared<InProcessSession>());
    auto* actions = test::part<MainActions>(window, "mainActions");
    QVERIFY(!actions->compareWith->isEnabled());
    window.openFile(QFINDTESTDATA("data/compare/before.h5"));
    QTRY_VERIFY_WITH_TIMEOUT(actions->compareWith->isEnabled(), kTimeout);
}

QTEST_MAIN(TestGuiCompare)
#include "tst_gui_compare.moc"
