// SPDX-License-Identifier: GPL-3.0-or-later
// The window says what it computed, and over what: one damaged member does not blank the
// window (an .npz whose logits.npy fails its CRC-32 still shows the intact tensors and marks
// the damaged one with its reason), NaN samples are counted and listed, and a pair PyTorch
// would refuse shows its losses only as "computed over the N valid positions".
#include "bench/losssummarypanel.h"
#include "bench/shapebenchpage.h"
#include "diagnostics/diagnosticsdock.h"
#include "diagnostics/diagnosticsmodel.h"
#include "dumptree/dumptreedock.h"
#include "dumptree/dumptreefilter.h"
#include "dumptree/dumptreemodel.h"
#include "losses/lossplotspage.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "values/tensorvaluesmodel.h"
#include "values/tensorvaluesview.h"
#include "window/analysispages.h"
#include "window/errorbanner.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>

using namespace shapescope;

class TestHonest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void damagedMemberKeepsTheRest();
    void nanSamplesAreCountedAndListed();
    void nextNanVisitsEachNonFiniteSample();
    void refusedPairSaysWhatItComputed();
    void lossesPageSaysWhatIsHappening();
    void actionsNeedSomethingToActOn();
    void truncatedFileInPlainWords();
    void treeFilterMatchesShapes_data();
    void treeFilterMatchesShapes();
};

namespace {

std::shared_ptr<const AnalysisResult> openAndWait(MainWindow& window, const QString& path)
{
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.openFile(path);
    if (!QTest::qWaitFor([&] { return workspace->state() == Workspace::State::Ready; }, 20000))
        return nullptr;
    return workspace->result();
}

} // namespace

void TestHonest::damagedMemberKeepsTheRest()
{
    const QString path = QFINDTESTDATA("data/formats/npz/bad_crc_stored.npz");
    QVERIFY(!path.isEmpty());
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready ||
                                 workspace->state() == Workspace::State::Failed,
                             20000);
    QCOMPARE(workspace->state(), Workspace::State::Ready);
    const auto result = workspace->result();
    QVERIFY(result);
    // The pair is still made, and marked: its losses cannot be computed.
    QCOMPARE(result->pairs.size(), size_t(1));
    QCOMPARE(result->pairs.front().input, QStringLiteral("logits"));
    QVERIFY(!result->pairs.front().hasLosses);
    QVERIFY(!result->pairs.front().lossError.isEmpty());
    int damaged = 0;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.code != DiagCode::UnreadableTensor)
            continue;
        ++damaged;
        QCOMPARE(d.tensors, QStringList{QStringLiteral("logits")});
        QVERIFY2(d.message.contains(QStringLiteral("CRC-32")), qPrintable(d.message));
        QCOMPARE(d.pair, 0);
    }
    QCOMPARE(damaged, 1); // only the damaged member; the intact ones read through
    auto* diagnostics = test::part<DiagnosticsDock>(window, "diagnosticsDock");
    QAbstractItemModelTester tester(diagnostics->model());
    QVERIFY(diagnostics->model()->rowCount() >= 1);

    // The intact target's values are on screen.
    auto* pages = test::part<AnalysisPages>(window, "analysisPages");
    test::part<SelectionCoordinator>(window, "selection")->selectTensor(QStringLiteral("targets"));
    QTRY_COMPARE_WITH_TIMEOUT(pages->values()->model()->rowCount(), 4, 20000);
}

void TestHonest::nanSamplesAreCountedAndListed()
{
    // 10 samples; sample 3 has a NaN logit and sample 7 an infinite one.
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    const auto result = openAndWait(window, test::dumpPath(QStringLiteral("non_finite_input.npz")));
    QVERIFY(result);
    const LossSummary& summary = result->pairs.front().summary;
    QCOMPARE(summary.nonFinite, qint64(2));
    QCOMPARE(summary.samplesWithLoss(), qint64(10));
    // Listed first, as the samples that poison the mean.
    QVERIFY(summary.highestLoss.size() >= 2);
    QCOMPARE(summary.highestLoss[0].sample, qint64(3));
    QCOMPARE(summary.highestLoss[1].sample, qint64(7));
    LossSummaryPanel* panel = test::part<ShapeBenchPage>(window, "shapeBenchPage")->lossPanel();
    QTRY_COMPARE(panel->valueText(QStringLiteral("samples")), QStringLiteral("10, 2 NaN/inf"));
    QCOMPARE(panel->valueText(QStringLiteral("positions")), QString()); // (N, C): one each
}

// Next NaN walks the samples whose loss is NaN or infinite, wrapping around, and the inspector
// names the non-finite logits (its bars draw them as 0).
void TestHonest::nextNanVisitsEachNonFiniteSample()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* pages = test::part<AnalysisPages>(window, "analysisPages");
    LossPlotsPage* losses = pages->losses();
    QVERIFY(openAndWait(window, test::dumpPath(QStringLiteral("ce_basic.h5"))));
    QTRY_VERIFY(losses->result());
    QVERIFY(!losses->nextNonFiniteButton()->isEnabled()); // nothing to go to

    QVERIFY(openAndWait(window, test::dumpPath(QStringLiteral("non_finite_input.npz"))));
    QTRY_VERIFY(losses->result() && losses->nextNonFiniteButton()->isEnabled());
    auto* header = test::part<QLabel>(*losses, "inspectorHeader");
    QSignalSpy shown(losses, &LossPlotsPage::sampleActivated);
    // Sample 3 has a NaN logit, sample 7 an infinite one: the clicks alternate between them
    // (from the sample shown, which the page may already have opened), wrapping around.
    QList<qint64> visited;
    for (int click = 0; click < 3; ++click) {
        losses->nextNonFiniteButton()->click();
        QCOMPARE(shown.last().at(0).toInt(), 0);
        const qint64 sample = shown.last().at(1).toLongLong();
        visited << sample;
        const QString mark =
            sample == 3 ? QStringLiteral("NaN</b> at class") : QStringLiteral("Inf</b> at class");
        QTRY_VERIFY2_WITH_TIMEOUT(
            header->text().contains(QStringLiteral("Sample %1<").arg(sample)) &&
                header->text().contains(mark),
            qPrintable(header->text()), 20000);
    }
    QVERIFY2(
        visited == (QList<qint64>{3, 7, 3}) || visited == (QList<qint64>{7, 3, 7}),
        qPrintable(QStringLiteral("%1 %2 %3").arg(visited[0]).arg(visited[1]).arg(visited[2])));
}

void TestHonest::refusedPairSaysWhatItComputed()
{
    // 255 marks void pixels; with PyTorch's default ignore_index=-100 the call raises.
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    const auto result = openAndWait(window, test::dumpPath(QStringLiteral("seg_ignore_255.h5")));
    QVERIFY(result);
    const PairResult& pair = result->pairs.front();
    QVERIFY(pair.hasLosses);
    QVERIFY2(pair.lossCaveat.contains(QStringLiteral("PyTorch raises")),
             qPrintable(pair.lossCaveat));
    QVERIFY2(pair.lossCaveat.contains(
                 QStringLiteral("over the %1 valid positions").arg(pair.summary.positions)),
             qPrintable(pair.lossCaveat));
    LossSummaryPanel* panel = test::part<ShapeBenchPage>(window, "shapeBenchPage")->lossPanel();
    QTRY_VERIFY(panel->noteText().startsWith(pair.lossCaveat));

    // Told to ignore 255, PyTorch accepts the call: no caveat.
    LossSpec spec;
    spec.ignoreIndex = 255;
    test::part<Workspace>(window, "workspace")->setSpec(spec);
    QTRY_VERIFY_WITH_TIMEOUT(test::part<Workspace>(window, "workspace")->state() ==
                                     Workspace::State::Ready &&
                                 test::part<Workspace>(window, "workspace")->result()->spec == spec,
                             20000);
    QVERIFY(
        test::part<Workspace>(window, "workspace")->result()->pairs.front().lossCaveat.isEmpty());
    QTRY_VERIFY(!panel->noteText().contains(QStringLiteral("PyTorch raises")));
}

// While the losses are computed the Losses tab says so (not "No pair has losses to plot"), and
// after Cancel it says that and how to compute them.
void TestHonest::lossesPageSaysWhatIsHappening()
{
    auto session = std::make_shared<test::GatedSession>();
    MainWindow window(session);
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    auto* actions = test::part<MainActions>(window, "mainActions");
    LossPlotsPage* losses = test::part<AnalysisPages>(window, "analysisPages")->losses();
    window.openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_COMPARE_WITH_TIMEOUT(session->started.load(), 1, 20000);
    QVERIFY2(losses->summaryText().startsWith(QStringLiteral("Computing the losses")),
             qPrintable(losses->summaryText()));
    actions->cancel->trigger();
    QCOMPARE(workspace->state(), Workspace::State::Cancelled);
    QVERIFY2(losses->summaryText().contains(QStringLiteral("cancelled")),
             qPrintable(losses->summaryText()));
    QVERIFY(losses->summaryText().contains(QStringLiteral("F5")));
    session->release();
    actions->reload->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready, 20000);
    QTRY_VERIFY2(losses->summaryText().contains(QStringLiteral("samples")),
                 qPrintable(losses->summaryText()));
}

void TestHonest::actionsNeedSomethingToActOn()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* actions = test::part<MainActions>(window, "mainActions");
    QVERIFY(!actions->watch->isEnabled()); // no dump yet
    QVERIFY(!actions->copyFix->isEnabled());
    QVERIFY(openAndWait(window, test::dumpPath(QStringLiteral("ce_basic.h5"))));
    QVERIFY(actions->watch->isEnabled());
    QVERIFY(!actions->copyFix->isEnabled()); // healthy: no fix
    QVERIFY(window.openExample(QStringLiteral("sequence_btc.npz")));
    QTRY_VERIFY_WITH_TIMEOUT(actions->copyFix->isEnabled(), 20000);
}

void TestHonest::truncatedFileInPlainWords()
{
    const QString truncated = QFINDTESTDATA("data/formats/hdf5/truncated.h5");
    QVERIFY(!truncated.isEmpty());
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    QVERIFY(openAndWait(window, test::dumpPath(QStringLiteral("ce_basic.h5"))));
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    window.openFile(truncated);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 20000);
    const QString message = banner->message();
    QVERIFY2(message.contains(QStringLiteral(": the file is ")) &&
                 message.contains(QStringLiteral("KiB but its header says ")) &&
                 message.contains(QStringLiteral("it was cut short (still being written, or an "
                                                 "interrupted copy)")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("The window still shows ce_basic.h5.")),
             qPrintable(message));
    QVERIFY(!message.contains(QStringLiteral("stored_eof"))); // the raw chain waits
    QVERIFY(banner->details().contains(QStringLiteral("truncated file")));
    QVERIFY(!banner->findChild<QLabel*>(QStringLiteral("bannerDetails"))->isVisible());
    banner->detailsButton()->click();
    QVERIFY(banner->findChild<QLabel*>(QStringLiteral("bannerDetails"))->isVisible());
}

void TestHonest::treeFilterMatchesShapes_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("shown");
    QTest::addRow("16x128") << QStringLiteral("16x128") << QStringLiteral("emb.npy");
    QTest::addRow("16 x 128") << QStringLiteral("16 x 128") << QStringLiteral("emb.npy");
    QTest::addRow("(16, 128)") << QStringLiteral("(16, 128)") << QStringLiteral("emb.npy");
    QTest::addRow("[16,128]") << QStringLiteral("[16,128]") << QStringLiteral("emb.npy");
    QTest::addRow("128x16") << QStringLiteral("128x16") << QStringLiteral("tall.npy");
    QTest::addRow("name") << QStringLiteral("tall") << QStringLiteral("tall.npy");
}

void TestHonest::treeFilterMatchesShapes()
{
    QFETCH(QString, search);
    QFETCH(QString, shown);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<float> values(16 * 128, 0.0f);
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("emb.npy")), "<f4", {16, 128}, values.data(),
                           qint64(values.size() * sizeof(float))));
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("tall.npy")), "<f4", {128, 16},
                           values.data(), qint64(values.size() * sizeof(float))));
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    QVERIFY(openAndWait(window, dir.path()));
    auto* tree = test::part<DumpTreeDock>(window, "dumpTreeDock");
    tree->filterEdit()->setText(search);
    const QModelIndex file = tree->filter()->index(0, 0);
    QTRY_COMPARE(tree->filter()->rowCount(file), 1);
    QCOMPARE(tree->filter()->index(0, 0, file).data(DumpTreeModel::PathRole).toString(), shown);
}

QTEST_MAIN(TestHonest)
#include "tst_gui_honest.moc"
