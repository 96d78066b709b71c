// SPDX-License-Identifier: GPL-3.0-or-later
// What the window offers and links up is what the dump holds: the class-axis list offers the
// axes of the tensor the loss reads (never a fixed 0..N list), the accuracy beside a pair's
// loss agrees with the samples the per-sample plot draws as correct, clicking a sample selects
// the tensors it came from in the tree, and File > Open Folder lists and pairs the .npy files.
#include "bench/losssummarypanel.h"
#include "bench/shapebenchpage.h"
#include "dumptree/dumptreedock.h"
#include "losses/highestlossmodel.h"
#include "losses/lossplotspage.h"
#include "losses/sampleinspector.h"
#include "losssettings/losssettingsdock.h"
#include "plots/persampleplot.h"
#include "plots/qcustomplotinclude.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/analysispages.h"
#include "window/examplecatalog.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemModel>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

bool waitReady(MainWindow& window)
{
    auto* workspace = test::part<Workspace>(window, "workspace");
    return QTest::qWaitFor([&] { return workspace->state() == Workspace::State::Ready; }, kTimeout);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// The class-axis list as data: "auto" is an invalid QVariant, shown here as "auto".
QStringList axisChoices(const LossSettingsDock& dock)
{
    QStringList choices;
    for (int i = 0; i < dock.classAxisBox()->count(); ++i) {
        const QVariant data = dock.classAxisBox()->itemData(i);
        choices << (data.isValid() ? QString::number(data.toInt()) : QStringLiteral("auto"));
    }
    return choices;
}

// The number in a per-sample graph's legend name, "correct (25)", or 0 when the graph is
// not in the plot.
qint64 legendCount(const PerSamplePlot& plot, const QString& what)
{
    QCustomPlot* custom = plot.customPlot();
    for (int g = 0; g < custom->graphCount(); ++g) {
        const QString name = custom->graph(g)->name();
        if (custom->graph(g)->visible() && name.startsWith(what + QStringLiteral(" (")))
            return custom->graph(g)->dataCount();
    }
    return 0;
}

} // namespace

class TestTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    // Each file's loss settings are kept (tst_gui_settings); every test starts from none.
    void init() { QSettings().clear(); }
    void classAxisOffersTheTensorsAxes_data();
    void classAxisOffersTheTensorsAxes();
    void accuracyAgreesWithCorrectSamples_data();
    void accuracyAgreesWithCorrectSamples();
    void clickedSampleSelectsItsTensors();
    void openFolderListsTheNpyFiles();
};

void TestTrust::classAxisOffersTheTensorsAxes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("tensor"); // selected alone; "" selects the first pair
    QTest::addColumn<QStringList>("choices");
    QTest::addColumn<int>("classAxis");
    QTest::addColumn<QString>("classLabel");
    const QStringList rank2 = {QStringLiteral("auto"), QStringLiteral("0"), QStringLiteral("1"),
                               QStringLiteral("-1")};
    QTest::addRow("(N, C) logits") << "ce_basic.h5"
                                   << "" << rank2 << 1 << "C";
    QTest::addRow("(C,) unbatched logits")
        << "ce_unbatched.npz"
        << "" << QStringList{QStringLiteral("auto"), QStringLiteral("0"), QStringLiteral("-1")} << 0
        << "C";
    QTest::addRow("(B, T, V) logits")
        << "class_dim_last.h5"
        << ""
        << QStringList{QStringLiteral("auto"), QStringLiteral("0"), QStringLiteral("1"),
                       QStringLiteral("2"), QStringLiteral("-1")}
        << -1 << "";
    QTest::addRow("(N, C, d1, d2, d3) logits")
        << "ce_kdim_3d.npz"
        << "" << QStringList{QStringLiteral("auto"), QStringLiteral("0"), QStringLiteral("1"),
                             QStringLiteral("2"),    QStringLiteral("3"), QStringLiteral("4"),
                             QStringLiteral("-1")}
        << 1 << "C";
    QTest::addRow("a lone (4, 8) tensor") << "lone_tensor.npz"
                                          << "embeddings" << rank2 << -1 << "";
}

// The list follows the selection: a pair offers its input's axes with their names ("1 (C, 10)"),
// a lone tensor its own axes, nothing selected only "auto".
void TestTrust::classAxisOffersTheTensorsAxes()
{
    QFETCH(QString, file);
    QFETCH(QString, tensor);
    QFETCH(QStringList, choices);
    QFETCH(int, classAxis);
    QFETCH(QString, classLabel);
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    window.openFile(test::dumpPath(file));
    QVERIFY(waitReady(window));
    auto* selection = test::part<SelectionCoordinator>(window, "selection");
    auto* dock = test::part<LossSettingsDock>(window, "lossSettingsDock");
    const auto result = selection->result();
    QVERIFY(result);
    if (tensor.isEmpty()) {
        QVERIFY(!result->pairs.empty());
        selection->selectPair(0);
    } else {
        selection->selectTensor(tensor);
    }
    QCOMPARE(axisChoices(*dock), choices);
    if (classAxis >= 0) {
        QComboBox* box = dock->classAxisBox();
        const QString text = box->itemText(box->findData(classAxis));
        QVERIFY2(text.contains(QStringLiteral("(%1, ").arg(classLabel)), qPrintable(text));
    }

    // Nothing selected: no tensor to take axes from.
    selection->clear();
    QCOMPARE(axisChoices(*dock), QStringList{QStringLiteral("auto")});
    if (result->pairs.empty())
        return;
    // A chosen axis stays chosen (and says it is not an axis) rather than silently turning
    // into "auto", which would change the loss behind the user's back.
    selection->selectPair(0);
    QComboBox* box = dock->classAxisBox();
    box->setCurrentIndex(box->findData(0));
    QTRY_COMPARE_WITH_TIMEOUT(test::part<Workspace>(window, "workspace")->spec().classDim,
                              std::optional<int>(0), kTimeout);
    QVERIFY(waitReady(window));
    selection->clear();
    QCOMPARE(box->currentData(), QVariant(0));
    QVERIFY(box->currentText().contains(QStringLiteral("not an axis")));
}

void TestTrust::accuracyAgreesWithCorrectSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("example");
    const ExampleCatalog catalog;
    for (const Example& e : catalog.examples())
        QTest::addRow("%s", qPrintable(e.file)) << e.file << true;
    for (const char* file :
         {"ce_basic.h5", "nll_basic.h5", "ce_weight_smoothing.npz", "ce_probabilities.npz",
          "non_finite_input.npz", "seg_ignore_255.h5", "target_sentinel_ignored.npz",
          "run_ragged.h5", "ce_unbatched.npz", "bce_basic.h5", "labels_one_based.h5"})
        QTest::addRow("%s", file) << QString::fromLatin1(file) << false;
}

// "accuracy 0.0 %" never sits beside "correct (25)": for every pair the bench's accuracy is
// the share of counted positions whose argmax is the target, and the per-sample plot of that
// pair alone draws exactly those samples as correct; a pair without an accuracy draws none.
void TestTrust::accuracyAgreesWithCorrectSamples()
{
    QFETCH(QString, file);
    QFETCH(bool, example);
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    if (example)
        QVERIFY(window.openExample(file));
    else
        window.openFile(test::dumpPath(file));
    QVERIFY(waitReady(window));
    auto* selection = test::part<SelectionCoordinator>(window, "selection");
    LossSummaryPanel* panel = test::part<ShapeBenchPage>(window, "shapeBenchPage")->lossPanel();
    LossPlotsPage* losses = test::part<AnalysisPages>(window, "analysisPages")->losses();
    const auto result = selection->result();
    QVERIFY(result);
    QTRY_COMPARE(losses->result(), result);
    int checked = 0;
    int withLosses = 0;
    for (size_t p = 0; p < result->pairs.size(); ++p) {
        const PairResult& pair = result->pairs[p];
        selection->selectPair(int(p));
        const QString accuracy = panel->valueText(QStringLiteral("accuracy"));
        if (!pair.hasLosses) {
            QCOMPARE(accuracy, QString());
            continue;
        }
        ++withLosses;
        // What the plot judges per sample: the (N, C) pairs' argmax against the target.
        const SampleValues& v = pair.samples;
        qint64 correct = 0;
        qint64 judged = 0;
        for (size_t s = 0; s < v.predicted.size() && s < v.target.size(); ++s) {
            if (v.ignored[s] || v.target[s] < 0 || v.target[s] >= pair.layout.numClasses)
                continue;
            ++judged;
            correct += v.predicted[s] == v.target[s] ? 1 : 0;
        }
        if (pair.summary.accuracy < 0) {
            QCOMPARE(accuracy, QString());
        } else if (pair.layout.positionsPerSample() == 1 && judged > 0) {
            QCOMPARE(accuracy, QStringLiteral("%1 %").arg(100.0 * double(correct) / double(judged),
                                                          0, 'f', 1));
        }
        if (correct > 0)
            QVERIFY2(accuracy != QStringLiteral("0.0 %"), qPrintable(pair.input));
        // The plot of this pair alone, when the page has such a scope.
        const auto& scopes = losses->scopes();
        for (size_t scope = 0; scope < scopes.size(); ++scope) {
            if (scopes[scope].pairs != std::vector<int>{int(p)})
                continue;
            losses->setCurrentScope(int(scope));
            const qint64 drawnCorrect =
                legendCount(*losses->perSamplePlot(), QStringLiteral("correct"));
            if (accuracy.isEmpty()) {
                QCOMPARE(drawnCorrect, qint64(0));
                QCOMPARE(legendCount(*losses->perSamplePlot(), QStringLiteral("wrong")), qint64(0));
            } else {
                qint64 finiteCorrect = 0;
                for (size_t s = 0; s < v.predicted.size() && s < v.target.size(); ++s)
                    finiteCorrect +=
                        !v.ignored[s] && std::isfinite(v.loss[s]) && v.predicted[s] == v.target[s];
                QCOMPARE(drawnCorrect, finiteCorrect);
            }
            ++checked;
        }
    }
    // Pairs outside a run have a scope of their own, so the plot of one was looked at.
    if (withLosses > 0 && result->runs.empty())
        QVERIFY(checked > 0);
}

// A sample clicked anywhere on the Losses tab (a point of the per-sample plot, a row of the
// highest losses, the inspector's plots) selects its pair, and the tree its two tensors.
void TestTrust::clickedSampleSelectsItsTensors()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    window.openFile(test::dumpPath(QStringLiteral("run_ragged.h5")));
    QVERIFY(waitReady(window));
    auto* selection = test::part<SelectionCoordinator>(window, "selection");
    auto* tree = test::part<DumpTreeDock>(window, "dumpTreeDock");
    LossPlotsPage* losses = test::part<AnalysisPages>(window, "analysisPages")->losses();
    const auto result = selection->result();
    QVERIFY(result && result->pairs.size() >= 3);
    QTRY_COMPARE(losses->result(), result);
    auto pairTensors = [&](int pair) {
        return sorted({result->pairs[size_t(pair)].input, result->pairs[size_t(pair)].target});
    };
    auto treeShows = [&] { return sorted(tree->selectedPaths()); };

    // A row of the highest losses: the list spans the run, so its rows name several pairs.
    selection->selectPair(0);
    losses->setCurrentScope(0);
    QTableView* highest = losses->highestLossView();
    QAbstractItemModelTester tester(highest->model());
    int row = -1;
    for (int r = 0; r < highest->model()->rowCount() && row < 0; ++r) {
        if (highest->model()->index(r, 0).data(HighestLossModel::PairRole).toInt() != 0)
            row = r;
    }
    QVERIFY(row >= 0);
    const int rowPair = highest->model()->index(row, 0).data(HighestLossModel::PairRole).toInt();
    highest->scrollTo(highest->model()->index(row, 1));
    QTest::mouseClick(highest->viewport(), Qt::LeftButton, {},
                      highest->visualRect(highest->model()->index(row, 1)).center());
    QCOMPARE(selection->currentPair(), rowPair);
    QCOMPARE(treeShows(), pairTensors(rowPair));

    // A point of the per-sample plot: the page reports it as the plot's click does.
    const int plotPair = rowPair == 1 ? 2 : 1;
    Q_EMIT losses->perSamplePlot()->sampleActivated(plotPair, 0);
    QCOMPARE(selection->currentPair(), plotPair);
    QCOMPARE(treeShows(), pairTensors(plotPair));

    // The inspector shows the last sample opened; the user picks a lone tensor in the tree,
    // then clicks the inspector's bars: the inspector's pair comes back in the tree.
    selection->selectTensor(result->pairs.front().input);
    QCOMPARE(treeShows(), QStringList{result->pairs.front().input});
    SampleInspector* inspector = losses->inspector();
    QTRY_COMPARE(inspector->pair(), plotPair);
    QCustomPlot* bars = inspector->barPlot();
    QTest::mouseClick(bars, Qt::LeftButton, {}, bars->rect().center());
    QCOMPARE(selection->currentPair(), plotPair);
    QCOMPARE(treeShows(), pairTensors(plotPair));
}

// File > Open Folder: the dialog lists the .npy files (not folders alone), and the tree shows
// them, paired.
void TestTrust::openFolderListsTheNpyFiles()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    const QString folder = test::dumpPath(QStringLiteral("folder_pair"));
    bool showedFiles = false;
    QTimer::singleShot(0, &window, [&] {
        std::function<void()> answer = [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog) {
                QTimer::singleShot(10, &window, answer);
                return;
            }
            showedFiles = !dialog->testOption(QFileDialog::ShowDirsOnly);
            dialog->setDirectory(folder);
            dialog->selectFile(folder);
            static_cast<QDialog*>(dialog)->accept();
        };
        answer();
    });
    test::part<MainActions>(window, "mainActions")->openFolder->trigger();
    QVERIFY(waitReady(window));
    QVERIFY(showedFiles);
    auto* tree = test::part<DumpTreeDock>(window, "dumpTreeDock");
    QStringList files;
    const QAbstractItemModel* model = tree->view()->model();
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < model->rowCount(parent); ++r) {
            const QModelIndex index = model->index(r, 0, parent);
            if (model->rowCount(index) == 0)
                files << index.data().toString();
            walk(index);
        }
    };
    walk({});
    QCOMPARE(sorted(files),
             (QStringList{QStringLiteral("labels.npy"), QStringLiteral("logits.npy")}));
    const auto result = test::part<Workspace>(window, "workspace")->result();
    QCOMPARE(result->pairs.size(), size_t(1));
    QVERIFY(result->pairs.front().hasLosses);
    QCOMPARE(QFileInfo(result->pairs.front().input).baseName(), QStringLiteral("logits"));
    QCOMPARE(QFileInfo(result->pairs.front().target).baseName(), QStringLiteral("labels"));
}

QTEST_MAIN(TestTrust)
#include "tst_gui_trust.moc"
