// SPDX-License-Identifier: GPL-3.0-or-later
// The step's flow in the GUI: the bench's flow strip draws where the batch changes, the run
// strip marks the steps whose flow breaks, and the dump tree's role menu re-runs the analysis.
#include "analysis/analyzer.h"
#include "bench/flowstripview.h"
#include "bench/runstripview.h"
#include "dumptree/dumptreedock.h"
#include "formats/dumpreader.h"
#include "session/inprocesssession.h"
#include "state/metatypes.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "tst_gui_support.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace shapescope;

namespace {

QString stepDump(const QString& file)
{
    return QFINDTESTDATA(QStringLiteral("data/steps/") + file);
}

AnalysisResult analyzed(const QString& file)
{
    auto reader = openDump(stepDump(file));
    if (!reader)
        return {};
    Expected<AnalysisResult> result = analyzeDump(**reader, AnalysisOptions{});
    return result ? std::move(*result) : AnalysisResult{};
}

const Diagnostic* find(const AnalysisResult& result, DiagCode code)
{
    for (const Diagnostic& d : result.diagnostics) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestGuiFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void flowStripShowsDivergence_data();
    void flowStripShowsDivergence();
    void runStripMarksBrokenSteps();
    void roleMenuRerunsAnalysis();
};

void TestGuiFlow::initTestCase()
{
    test::isolateSettings();
    registerMetaTypes();
}

void TestGuiFlow::flowStripShowsDivergence_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("stage");
    QTest::addColumn<QStringList>("errorCells");
    QTest::addRow("model merged") << QStringLiteral("model_merged.h5") << int(FlowStage::Model)
                                  << QStringList{"logits"};
    QTest::addRow("loader") << QStringLiteral("loader_mismatch.npz") << int(FlowStage::Loader)
                            << QStringList{"labels"};
    QTest::addRow("fine") << QStringLiteral("text_extras.npz") << int(FlowStage::None)
                          << QStringList{};
}

void TestGuiFlow::flowStripShowsDivergence()
{
    QFETCH(QString, file);
    QFETCH(int, stage);
    QFETCH(QStringList, errorCells);
    const AnalysisResult result = analyzed(file);
    QCOMPARE(result.pairs.size(), size_t(1));
    FlowStripView strip;
    strip.setStep(&result, 0);
    QVERIFY(strip.hasStep());
    QCOMPARE(int(strip.divergesAt()), stage);
    QCOMPARE(strip.errorCells(), errorCells);
    QVERIFY(strip.sizeHint().height() > 0);
    strip.resize(strip.sizeHint());
    QImage image(strip.size(), QImage::Format_ARGB32);
    strip.render(&image);
    if (stage == int(FlowStage::Model)) {
        QVERIFY(strip.cellTexts().contains(QStringLiteral("inputs: 64 · 64x3x32x32")));
        QVERIFY(strip.cellTexts().contains(QStringLiteral("logits: 32 · 32x10")));
        QCOMPARE(strip.summary(), QStringLiteral("The batch changes in the model"));
    }
    strip.setStep(&result, -1);
    QVERIFY(!strip.hasStep());
}

void TestGuiFlow::runStripMarksBrokenSteps()
{
    const AnalysisResult result = analyzed(QStringLiteral("run_broken_step.h5"));
    QCOMPARE(result.runs.size(), size_t(1));
    RunStripView strip;
    strip.setRun(&result, 0, result.runs[0].pairs.front());
    QCOMPARE(strip.batchCount(), 4);
    QCOMPARE(strip.flowBreaks(), QList<int>{2});
}

// Demoting the guessed output to an extra through the menu leaves nothing to check: the
// analysis re-runs and says so.
void TestGuiFlow::roleMenuRerunsAnalysis()
{
    Workspace workspace(std::make_shared<InProcessSession>());
    SelectionCoordinator selection;
    DumpTreeDock dock(&selection);
    connect(&dock, &DumpTreeDock::tensorRoleChosen, &workspace, &Workspace::setTensorRole);
    QSignalSpy ready(&workspace, &Workspace::analysisReady);
    workspace.open(stepDump(QStringLiteral("guessed_pair.npz")));
    QTRY_COMPARE(ready.count(), 1);
    QVERIFY(workspace.result()->pairs.front().guessed);
    dock.setAnalysis(workspace.result().get());

    std::unique_ptr<QMenu> menu(dock.createRoleMenu(QStringLiteral("arr_0"), nullptr));
    auto* extra = menu->findChild<QAction*>(QStringLiteral("role_extra"));
    auto* byName = menu->findChild<QAction*>(QStringLiteral("role_none"));
    QVERIFY(extra && byName);
    QVERIFY(byName->isChecked());
    extra->trigger();
    QTRY_COMPARE(ready.count(), 2);
    const auto changed = workspace.result();
    QVERIFY(changed->pairs.empty());
    QVERIFY(find(*changed, DiagCode::NoPairChecked));
    QCOMPARE(workspace.spec().roles.size(), size_t(1));

    dock.setAnalysis(changed.get());
    std::unique_ptr<QMenu> again(dock.createRoleMenu(QStringLiteral("arr_0"), nullptr));
    QVERIFY(again->findChild<QAction*>(QStringLiteral("role_extra"))->isChecked());
    again->findChild<QAction*>(QStringLiteral("role_none"))->trigger();
    QTRY_COMPARE(ready.count(), 3);
    QVERIFY(workspace.spec().roles.empty());
    QVERIFY(workspace.result()->pairs.front().guessed);
}

QTEST_MAIN(TestGuiFlow)
#include "tst_gui_flow.moc"
