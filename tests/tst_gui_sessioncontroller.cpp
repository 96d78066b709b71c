// SPDX-License-Identifier: GPL-3.0-or-later
// SessionController and Workspace: work off the GUI thread, typed results, stale results
// dropped, cancel, errors naming the file.
#include "state/metatypes.h"
#include "state/sessioncontroller.h"
#include "state/workspace.h"
#include "tst_gui_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace shapescope;

class TestSessionController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensThenAnalyzes();
    void failedOpenNamesTheFile();
    void resultsNeverArriveInsideTheCall();
    void newJobSupersedesRunningOne();
    void cancelStopsTheWorkerAndDropsItsResult();
    void cancelWhileOpeningKeepsPreviousDump();
    void workspaceRecomputesOnSpecChange();
    void workspaceDropsMissingOverride();
    void destroyWhileRunning();
};

void TestSessionController::initTestCase()
{
    test::isolateSettings();
    registerMetaTypes();
}

void TestSessionController::opensThenAnalyzes()
{
    SessionController controller(std::make_shared<InProcessSession>());
    QSignalSpy opened(&controller, &SessionController::opened);
    QSignalSpy ready(&controller, &SessionController::analysisReady);
    QSignalSpy busy(&controller, &SessionController::busyChanged);
    const QString path = test::dumpPath(QStringLiteral("batch_32_vs_64.h5"));
    const quint64 openJob = controller.open(path);
    QVERIFY(controller.isBusy());
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.first().at(0).toULongLong(), openJob);
    const auto summary = opened.first().at(1).value<DumpSummary>();
    QCOMPARE(summary.tensors.size(), size_t(2));
    QVERIFY(!controller.isBusy());

    const quint64 analyzeJob = controller.analyze({path, {}});
    QVERIFY(analyzeJob > openJob);
    QTRY_COMPARE(ready.count(), 1);
    const auto result = ready.first().at(1).value<std::shared_ptr<const AnalysisResult>>();
    QVERIFY(result);
    QCOMPARE(result->diagnostics.size(), size_t(1));
    QCOMPARE(result->diagnostics.front().code, DiagCode::BatchSizeMismatch);
    QCOMPARE(busy.count(), 4); // true/false per job
}

void TestSessionController::failedOpenNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("garbage.h5"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a dump at all");
    file.close();
    SessionController controller(std::make_shared<InProcessSession>());
    QSignalSpy failed(&controller, &SessionController::failed);
    controller.open(path);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(1).toString(), path);
    QVERIFY2(failed.first().at(2).toString().contains(path),
             qPrintable(failed.first().at(2).toString()));
}

// Work that finishes before its continuation is attached would be delivered inside open()
// unless posted; callers rely on open() returning first.
class InstantSession final : public Session
{
public:
    Expected<DumpSummary> open(const QString& path, std::stop_token) override
    {
        return DumpSummary{path};
    }
    Expected<AnalysisResult> analyze(const AnalyzeRequest&, const ProgressCallback&) override
    {
        return AnalysisResult{};
    }
    Expected<SliceResult> readSlice(const SliceRequest&, std::stop_token) override
    {
        return SliceResult{};
    }
    void stop() override {} // every call returns at once anyway
};

void TestSessionController::resultsNeverArriveInsideTheCall()
{
    SessionController controller(std::make_shared<InstantSession>());
    QSignalSpy opened(&controller, &SessionController::opened);
    QSignalSpy ready(&controller, &SessionController::analysisReady);
    for (int i = 0; i < 30; ++i) {
        controller.open(QStringLiteral("x"));
        QCOMPARE(opened.count(), i);
        QVERIFY(controller.isBusy());
        QVERIFY(QTest::qWaitFor([&] { return opened.count() == i + 1; }));
        QThread::msleep(1); // let the pool finish first next time round
        controller.analyze({QStringLiteral("x"), {}});
        QCOMPARE(ready.count(), i);
        QVERIFY(QTest::qWaitFor([&] { return ready.count() == i + 1; }));
    }
}

void TestSessionController::newJobSupersedesRunningOne()
{
    auto session = std::make_shared<test::GatedSession>();
    SessionController controller(session);
    QSignalSpy ready(&controller, &SessionController::analysisReady);
    QSignalSpy cancelled(&controller, &SessionController::cancelled);
    const QString path = test::dumpPath(QStringLiteral("seg_sentinel_255.h5"));
    controller.analyze({path, {}});
    QTRY_COMPARE(session->started.load(), 1);
    AnalyzeRequest second{path, {}};
    second.options.spec.ignoreIndex = 255;
    const quint64 secondJob = controller.analyze(second);
    // The first job was asked to stop; it must not report, even though it returns.
    QTRY_COMPARE(session->finished.load(), 1);
    QTRY_COMPARE(session->started.load(), 2);
    session->release();
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(ready.first().at(0).toULongLong(), secondJob);
    const auto result = ready.first().at(1).value<std::shared_ptr<const AnalysisResult>>();
    QCOMPARE(result->spec.ignoreIndex, 255);
    QCOMPARE(cancelled.count(), 0);
    QTest::qWait(100);
    QCOMPARE(ready.count(), 1);
}

void TestSessionController::cancelStopsTheWorkerAndDropsItsResult()
{
    auto session = std::make_shared<test::GatedSession>();
    SessionController controller(session);
    QSignalSpy ready(&controller, &SessionController::analysisReady);
    QSignalSpy cancelled(&controller, &SessionController::cancelled);
    QSignalSpy progress(&controller, &SessionController::progress);
    const quint64 job = controller.analyze({test::dumpPath(QStringLiteral("ce_basic.h5")), {}});
    QTRY_COMPARE(session->started.load(), 1);
    QTest::qWait(350);
    // Progress is sampled, not forwarded per report: the gate reports every 5 ms.
    QVERIFY2(progress.count() <= 6, qPrintable(QString::number(progress.count())));
    controller.cancel();
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.first().at(0).toULongLong(), job);
    QVERIFY(!controller.isBusy());
    QTRY_COMPARE(session->finished.load(), 1);
    QTest::qWait(50);
    QCOMPARE(ready.count(), 0);
}

void TestSessionController::cancelWhileOpeningKeepsPreviousDump()
{
    Workspace workspace(std::make_shared<InProcessSession>());
    QSignalSpy ready(&workspace, &Workspace::analysisReady);
    workspace.open(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(workspace.state(), Workspace::State::Ready);
    workspace.open(test::dumpPath(QStringLiteral("nll_basic.h5")));
    QCOMPARE(workspace.state(), Workspace::State::Opening);
    workspace.cancel();
    QCOMPARE(workspace.state(), Workspace::State::Ready);
    QVERIFY(workspace.path().endsWith(QLatin1String("ce_basic.h5")));
    QTest::qWait(100);
    QVERIFY(workspace.path().endsWith(QLatin1String("ce_basic.h5")));
    QCOMPARE(ready.count(), 1);
}

void TestSessionController::workspaceRecomputesOnSpecChange()
{
    Workspace workspace(std::make_shared<InProcessSession>());
    QSignalSpy ready(&workspace, &Workspace::analysisReady);
    workspace.open(test::dumpPath(QStringLiteral("seg_sentinel_255.h5")));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(workspace.result()->count(Severity::Error), 1);
    LossSpec spec = workspace.spec();
    spec.ignoreIndex = 255;
    workspace.setSpec(spec);
    QCOMPARE(workspace.state(), Workspace::State::Analyzing);
    QTRY_COMPARE(ready.count(), 2);
    QCOMPARE(workspace.result()->count(Severity::Error), 0);
    QCOMPARE(workspace.result()->spec.ignoreIndex, 255);
}

void TestSessionController::workspaceDropsMissingOverride()
{
    Workspace workspace(std::make_shared<InProcessSession>());
    QSignalSpy ready(&workspace, &Workspace::analysisReady);
    LossSpec spec;
    spec.inputPath = QStringLiteral("a");
    spec.targetPath = QStringLiteral("b");
    workspace.setSpec(spec);
    workspace.open(test::dumpPath(QStringLiteral("override_pair.npz")));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(workspace.spec().inputPath, QStringLiteral("a"));
    QCOMPARE(workspace.result()->pairs.size(), size_t(1));
    // Another dump has no tensor "a": the override would only make the analysis fail.
    workspace.open(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_COMPARE(ready.count(), 2);
    QVERIFY(workspace.spec().inputPath.isEmpty());
    QCOMPARE(workspace.result()->pairs.front().input, QStringLiteral("/logits"));
}

void TestSessionController::destroyWhileRunning()
{
    auto session = std::make_shared<test::GatedSession>();
    {
        SessionController controller(session);
        controller.analyze({test::dumpPath(QStringLiteral("ce_basic.h5")), {}});
        QTRY_COMPARE(session->started.load(), 1);
    } // the destructor stops the job and waits for its thread
    QCOMPARE(session->finished.load(), 1);
}

QTEST_MAIN(TestSessionController)
#include "tst_gui_sessioncontroller.moc"
