// SPDX-License-Identifier: GPL-3.0-or-later
// The main window on the offscreen platform: every example and fixture opened as a user would,
// what the tree, the shape bench, the diagnostics and the status bar then show, selection
// sync, recomputation on new settings, cancel, errors, reload and watch.
#include "bench/diagnosticcard.h"
#include "bench/losssummarypanel.h"
#include "bench/runstripview.h"
#include "bench/shapebenchpage.h"
#include "bench/shapebenchview.h"
#include "common/statuscolors.h"
#include "common/theme.h"
#include "diagnostics/diagnosticsdock.h"
#include "diagnostics/diagnosticsfilter.h"
#include "diagnostics/diagnosticsmodel.h"
#include "dumptree/attributemodel.h"
#include "dumptree/dumptreedock.h"
#include "dumptree/dumptreefilter.h"
#include "dumptree/dumptreemodel.h"
#include "losses/lossplotspage.h"
#include "losssettings/losssettingsdock.h"
#include "plots/exportplotdialog.h"
#include "plots/qcustomplotinclude.h"
#include "state/selectioncoordinator.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "values/tensorvaluesmodel.h"
#include "values/tensorvaluesview.h"
#include "window/analysispages.h"
#include "window/dumpwatcher.h"
#include "window/errorbanner.h"
#include "window/examplecatalog.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "window/statusprogress.h"
#include "window/welcomepage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCommandLinkButton>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

std::unique_ptr<MainWindow>
makeWindow(std::shared_ptr<Session> session = std::make_shared<InProcessSession>())
{
    auto window = std::make_unique<MainWindow>(std::move(session));
    window->show();
    return window;
}

bool waitReady(MainWindow& window)
{
    return QTest::qWaitFor(
        [&] {
            return test::part<Workspace>(window, "workspace")->state() == Workspace::State::Ready;
        },
        kTimeout);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// The paths the dump tree shows selected, sorted.
QStringList treeSelection(MainWindow& window)
{
    return sorted(test::part<DumpTreeDock>(window, "dumpTreeDock")->selectedPaths());
}

void selectDiagnosticRow(MainWindow& window, int diagnostic)
{
    DiagnosticsDock* dock = test::part<DiagnosticsDock>(window, "diagnosticsDock");
    const QModelIndex row = dock->filter()->mapFromSource(dock->model()->index(diagnostic, 0));
    dock->view()->setCurrentIndex(row);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void startsOnTheMismatchExample();
    void opensEveryDump_data();
    void opensEveryDump();
    void modelsPassTheTester();
    void diagnosticSelectsPairAndTensors();
    void treeSelectsPair();
    void runStripShowsRaggedBatch();
    void fitsASmallScreen_data();
    void fitsASmallScreen();
    void settingsChangeRecomputes();
    void choicesRecomputeAtOnce();
    void torchSettingChangesTheQuote();
    void quickPassShowsShapesFirst();
    void cancelLeavesTheTree();
    void largeDumpKeepsWindowResponsive();
    void unreadableFileShowsBanner();
    void badFirstFileShowsEmptyState();
    void reloadKeepsSelection();
    void watchReloadsChangedDump();
    void copyFixButton();
    void filtersAndSeverityToggles();
    void shortcuts();
    void addAnalysisTab();
    void lossAndValuePagesFollowSelection();
    void dropOpensFile();
    void darkTheme();
    void recentFilesAndLayoutPersist();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    test::isolateSettings();
    test::quietOffscreenPlatform();
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::startsOnTheMismatchExample()
{
    auto window = makeWindow();
    auto* tabs = test::part<QTabWidget>(*window, "analysisTabs");
    auto* diagnostics = test::part<DiagnosticsDock>(*window, "diagnosticsDock");
    auto* status = test::part<StatusProgress>(*window, "statusProgress");
    auto* banner = test::part<ErrorBanner>(*window, "errorBanner");
    QVERIFY(window->openExample(ExampleCatalog::defaultFile()));
    QVERIFY(waitReady(*window));
    ShapeBenchPage* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    // Without a click: the red batch axis, PyTorch's message, the fix.
    QVERIFY(bench->isShowingPair());
    QCOMPARE(bench->pytorchText(),
             QStringLiteral("Expected input batch_size (32) to match target batch_size (64)."));
    QCOMPARE(bench->benchView()->bench().describeMarked(),
             (QStringList{QStringLiteral("input axis 0 (N) = 32: error"),
                          QStringLiteral("target axis 0 (N) = 64: error")}));
    QVERIFY(bench->verdictText().contains(QStringLiteral("PyTorch raises")));
    const QList<DiagnosticCard*> cards = bench->cards();
    QCOMPARE(cards.size(), 1);
    QVERIFY(cards.first()->fixText().contains(QStringLiteral("torch.flatten(x, 1)")));
    QVERIFY(cards.first()->fixView()->isReadOnly());
    QVERIFY(cards.first()->copyButton()->isVisible());
    QCOMPARE(tabs->currentWidget(), bench);
    // Tree: both tensors selected, marked, shapes with roles.
    QCOMPARE(treeSelection(*window), (QStringList{QStringLiteral("/batch_0000/labels"),
                                                  QStringLiteral("/batch_0000/logits")}));
    DumpTreeModel* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock")->model();
    const QModelIndex logits = tree->indexOfPath(QStringLiteral("/batch_0000/logits"));
    QCOMPARE(logits.siblingAtColumn(DumpTreeModel::ShapeColumn).data().toString(),
             QStringLiteral("32 (N) x 10 (C)"));
    QCOMPARE(logits.siblingAtColumn(DumpTreeModel::RoleColumn).data().toString(),
             QStringLiteral("input"));
    QCOMPARE(tree->indexOfPath(QStringLiteral("/batch_0000/labels"))
                 .siblingAtColumn(DumpTreeModel::ShapeColumn)
                 .data()
                 .toString(),
             QStringLiteral("64 (N)"));
    // Diagnostics: the one error, selected.
    QTableView* table = diagnostics->view();
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->currentIndex().siblingAtColumn(DiagnosticsModel::CodeColumn).data().toString(),
             QStringLiteral("batch-size-mismatch"));
    // Status bar and title.
    QCOMPARE(
        status->text(),
        QStringLiteral(
            "batch_mismatch.h5 (example) \u00b7 HDF5 \u00b7 1 error, 0 warnings \u00b7 1 pair"));
    QVERIFY(window->windowTitle().startsWith(QStringLiteral("batch_mismatch.h5 (example)")));
    QVERIFY(!banner->isVisible());
}

void TestMainWindow::opensEveryDump_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("example");
    QTest::addColumn<QJsonObject>("expected");
    ExampleCatalog examples;
    for (const Example& example : examples.examples())
        QTest::addRow("example %s", qPrintable(example.file))
            << example.file << true << QJsonObject();
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        QTest::addRow("%s", qPrintable(c.value(QStringLiteral("name")).toString()))
            << c.value(QStringLiteral("file")).toString() << false << c;
    }
}

void TestMainWindow::opensEveryDump()
{
    QFETCH(QString, file);
    QFETCH(bool, example);
    QFETCH(QJsonObject, expected);
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* banner = test::part<ErrorBanner>(*window, "errorBanner");
    if (example) {
        QVERIFY(window->openExample(file));
    } else {
        workspace->setSpec(test::specForCase(expected.value(QStringLiteral("options")).toObject()));
        window->openFile(test::dumpPath(file));
    }
    QVERIFY2(waitReady(*window), qPrintable(banner->message()));
    QVERIFY(!banner->isVisible());
    const std::shared_ptr<const AnalysisResult> result = workspace->result();
    QVERIFY(result);

    // Tree: every tensor; the expected pairs marked input and target.
    DumpTreeModel* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock")->model();
    for (const TensorInfo& tensor : result->dump.tensors)
        QVERIFY(tree->indexOfPath(tensor.path).isValid());
    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    if (!example)
        QCOMPARE(result->pairs.size(), size_t(pairs.size()));
    for (const QJsonValue& value : pairs) {
        const QJsonObject pair = value.toObject();
        QCOMPARE(tree->indexOfPath(pair.value(QStringLiteral("input")).toString())
                     .data(DumpTreeModel::PairSideRole)
                     .toString(),
                 QStringLiteral("input"));
        QCOMPARE(tree->indexOfPath(pair.value(QStringLiteral("target")).toString())
                     .data(DumpTreeModel::PairSideRole)
                     .toString(),
                 QStringLiteral("target"));
    }

    // Diagnostics table: the expected codes.
    DiagnosticsModel* diagnostics =
        test::part<DiagnosticsDock>(*window, "diagnosticsDock")->model();
    QCOMPARE(diagnostics->rowCount(), int(result->diagnostics.size()));
    if (!example) {
        QStringList want;
        for (const QJsonValue& d : expected.value(QStringLiteral("diagnostics")).toArray())
            want << d.toObject().value(QStringLiteral("code")).toString();
        QStringList got;
        for (int row = 0; row < diagnostics->rowCount(); ++row)
            got << diagnostics->index(row, DiagnosticsModel::CodeColumn).data().toString();
        QCOMPARE(sorted(got), sorted(want));
    }

    // The bench shows the first pair with an error (else a warning, else the first pair), with
    // PyTorch's text exactly when PyTorch raises for that pair.
    ShapeBenchPage* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    SelectionCoordinator* selection = test::part<SelectionCoordinator>(*window, "selection");
    const int pair = selection->currentPair();
    QCOMPARE(pair, selection->defaultPair());
    if (result->pairs.empty()) {
        QVERIFY(!bench->isShowingPair());
        QVERIFY(bench->titleText().contains(QStringLiteral("No output/target pair")));
    } else {
        QVERIFY(bench->isShowingPair());
        const PairResult& shown = result->pairs[size_t(pair)];
        QVERIFY2(bench->titleText().contains(shown.input), qPrintable(bench->titleText()));
        QCOMPARE(bench->benchView()->bench().inputPath, shown.input);
        if (!example) {
            const QJsonValue torch = pairs[pair].toObject().value(QStringLiteral("pytorch_error"));
            QCOMPARE(bench->pytorchText(), torch.isString() ? torch.toString() : QString());
        }
        int ofPair = 0;
        bool errorOnAxes = false;
        for (const Diagnostic& d : result->diagnostics) {
            ofPair += d.pair == pair;
            errorOnAxes |= d.pair == pair && d.severity == Severity::Error && !d.axes.empty();
        }
        QCOMPARE(bench->cards().size(), ofPair);
        const BenchLayout& layout = bench->benchView()->bench();
        if (errorOnAxes)
            QVERIFY2(
                layout.describeMarked().join(QLatin1Char(',')).contains(QStringLiteral(": error")),
                qPrintable(layout.describe()));
        if (ofPair == 0) {
            QCOMPARE(layout.overall, CellMark::Ok);
            QVERIFY(bench->verdictText().startsWith(QStringLiteral("Healthy")));
        }
        if (shown.hasLosses)
            QCOMPARE(bench->lossPanel()->valueText(QStringLiteral("samples")),
                     shown.summary.nonFinite > 0 ? QStringLiteral("%1, %2 NaN/inf")
                                                       .arg(shown.summary.samplesWithLoss())
                                                       .arg(shown.summary.nonFinite)
                                                 : QString::number(shown.summary.samples));
        // Both tensors of the pair selected in the tree.
        for (const QString& path : selection->selectedTensors())
            QVERIFY(
                test::part<DumpTreeDock>(*window, "dumpTreeDock")->selectedPaths().contains(path));
    }

    // Status bar: file, format, counts.
    const QString status = test::part<StatusProgress>(*window, "statusProgress")->text();
    QVERIFY2(status.contains(QStringLiteral("%1 error").arg(result->count(Severity::Error))),
             qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("%1 warning").arg(result->count(Severity::Warning))),
             qPrintable(status));
    QVERIFY(!test::part<StatusProgress>(*window, "statusProgress")->isBusy());
}

void TestMainWindow::modelsPassTheTester()
{
    auto window = makeWindow();
    auto* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    using Tester = QAbstractItemModelTester;
    Tester treeModel(tree->model(), Tester::FailureReportingMode::QtTest);
    Tester treeFilter(tree->filter(), Tester::FailureReportingMode::QtTest);
    Tester diagnostics(test::part<DiagnosticsDock>(*window, "diagnosticsDock")->model(),
                       Tester::FailureReportingMode::QtTest);
    Tester diagnosticsFilter(test::part<DiagnosticsDock>(*window, "diagnosticsDock")->filter(),
                             Tester::FailureReportingMode::QtTest);
    Tester attributes(tree->attributes(), Tester::FailureReportingMode::QtTest);
    for (const QString& file :
         {QStringLiteral("names_variants.h5"), QStringLiteral("run_nested.h5"),
          QStringLiteral("lone_tensor.npz"), QStringLiteral("folder_pair")}) {
        window->openFile(test::dumpPath(file));
        QVERIFY(waitReady(*window));
        tree->filterEdit()->setText(QStringLiteral("logits"));
        tree->filterEdit()->clear();
        test::part<DiagnosticsDock>(*window, "diagnosticsDock")
            ->severityButton(Severity::Info)
            ->click();
        test::part<DiagnosticsDock>(*window, "diagnosticsDock")
            ->severityButton(Severity::Info)
            ->click();
    }
}

void TestMainWindow::diagnosticSelectsPairAndTensors()
{
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    window->openFile(test::dumpPath(QStringLiteral("run_short_last_batch.h5")));
    QVERIFY(waitReady(*window));
    const auto result = workspace->result();
    // Pick the ragged-batch warning in the table.
    int ragged = -1;
    for (size_t i = 0; i < result->diagnostics.size(); ++i) {
        if (result->diagnostics[i].code == DiagCode::RaggedBatch)
            ragged = int(i);
    }
    QVERIFY(ragged >= 0);
    const Diagnostic& d = result->diagnostics[size_t(ragged)];
    selectDiagnosticRow(*window, ragged);
    QCOMPARE(selection->currentDiagnostic(), ragged);
    QCOMPARE(selection->currentPair(), d.pair);
    QCOMPARE(treeSelection(*window), sorted(d.tensors));
    QVERIFY(bench->titleText().contains(result->pairs[size_t(d.pair)].input));
    QCOMPARE(bench->cards().first()->diagnosticIndex(), ragged);

    // Names-variants: an info about an unpaired tensor selects that tensor alone.
    window->openFile(test::dumpPath(QStringLiteral("names_variants.h5")));
    QVERIFY(waitReady(*window));
    const auto names = workspace->result();
    QCOMPARE(names->diagnostics.size(), size_t(1));
    selectDiagnosticRow(*window, 0);
    QCOMPARE(treeSelection(*window), names->diagnostics.front().tensors);
    QCOMPARE(selection->currentPair(), -1);
    QVERIFY(bench->titleText().contains(QStringLiteral("in no pair")));
    QCOMPARE(bench->cards().size(), 1);
}

void TestMainWindow::treeSelectsPair()
{
    auto window = makeWindow();
    auto* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    auto* actions = test::part<MainActions>(*window, "mainActions");
    QVERIFY(window->openExample(QStringLiteral("ragged_run.h5")));
    QVERIFY(waitReady(*window));
    DumpTreeDock* dock = tree;
    const QModelIndex target = dock->filter()->mapFromSource(
        dock->model()->indexOfPath(QStringLiteral("/batch_0003/labels")));
    dock->view()->setCurrentIndex(target);
    QCOMPARE(selection->currentPair(), 3);
    QCOMPARE(selection->selectedTensors(), QStringList{QStringLiteral("/batch_0003/labels")});
    QVERIFY(bench->titleText().startsWith(QStringLiteral("Pair 4 of 8")));
    QVERIFY(bench->verdictText().startsWith(QStringLiteral("Healthy")));
    // The diagnostics table has nothing selected: batch 3 has no diagnostic.
    QVERIFY(!test::part<DiagnosticsDock>(*window, "diagnosticsDock")
                 ->view()
                 ->selectionModel()
                 ->hasSelection());
    // Keyboard: next pair.
    actions->nextPair->trigger();
    QCOMPARE(selection->currentPair(), 4);
    QCOMPARE(treeSelection(*window), (QStringList{QStringLiteral("/batch_0004/labels"),
                                                  QStringLiteral("/batch_0004/logits")}));
}

void TestMainWindow::runStripShowsRaggedBatch()
{
    auto window = makeWindow();
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    QVERIFY(window->openExample(QStringLiteral("ragged_run.h5")));
    QVERIFY(waitReady(*window));
    RunStripView* strip = bench->runStrip();
    QVERIFY(strip->isVisible());
    QCOMPARE(strip->batchCount(), 8);
    QCOMPARE(strip->raggedBatches(), QList<int>{7});
    // The ragged batch's warning is what shows first.
    QCOMPARE(selection->currentPair(), 7);
    // Clicking a bar selects its pair.
    QSignalSpy clicked(strip, &RunStripView::pairClicked);
    QTest::mouseClick(
        strip, Qt::LeftButton, {},
        QPoint(strip->width() / 40 + 4, strip->height() - strip->fontMetrics().height() * 2));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(selection->currentPair(), clicked.first().at(0).toInt());
}

void TestMainWindow::fitsASmallScreen_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QSize>("screen");
    // Whether the tree shows its columns unscrolled. At 1024 wide, not for the examples with
    // 3-D and 4-D inputs: "3 (N) x 21 (C) x 40 (d1) x 40 (d2)" alone takes half the dock.
    QTest::addColumn<bool>("treeFits");
    for (const QSize screen : {QSize(1024, 700), QSize(1440, 900)}) {
        for (const QString& example :
             {QStringLiteral("batch_mismatch.h5"), QStringLiteral("ragged_run.h5"),
              QStringLiteral("sequence_btc.npz"), QStringLiteral("segmentation_void.h5"),
              QStringLiteral("softmax_before_loss.h5")}) {
            const bool kdim = example.startsWith(QLatin1String("sequence")) ||
                              example.startsWith(QLatin1String("segmentation"));
            QTest::addRow("%s %dx%d", qPrintable(example), screen.width(), screen.height())
                << example << screen << (screen.width() > 1024 || !kdim);
        }
    }
}

namespace {

// Why `text` does not show whole in `widget`, whose room for text is `room`; empty if it does.
QString clipped(const QWidget* widget, const QString& text, int room)
{
    const int needed = widget->fontMetrics().horizontalAdvance(text);
    if (needed <= room)
        return {};
    return QStringLiteral("%1 \"%2\" shows %3 of the %4 px of \"%5\"")
        .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
        .arg(room)
        .arg(needed)
        .arg(text);
}

// The dump tree's role, shape, type and size columns lie inside the viewport, each as wide as
// its content: nothing to scroll to sideways.
QString treeColumnsClipped(MainWindow& window)
{
    QTreeView* tree = test::part<DumpTreeDock>(window, "dumpTreeDock")->view();
    const QAbstractItemView* view = tree; // sizeHintForColumn is public there
    for (int column : {int(DumpTreeModel::RoleColumn), int(DumpTreeModel::ShapeColumn),
                       int(DumpTreeModel::TypeColumn), int(DumpTreeModel::SizeColumn)}) {
        const int right =
            tree->header()->sectionViewportPosition(column) + tree->header()->sectionSize(column);
        if (right > tree->viewport()->width() ||
            tree->columnWidth(column) < view->sizeHintForColumn(column))
            return QStringLiteral("tree column %1 ends at %2 of %3 px, %4 wide for %5 px of text")
                .arg(column)
                .arg(right)
                .arg(tree->viewport()->width())
                .arg(tree->columnWidth(column))
                .arg(view->sizeHintForColumn(column));
    }
    return {};
}

// The pair title is cut only when it has no more room, the pair selector shows its choice.
QString pairHeaderClipped(MainWindow& window)
{
    auto* title = test::part<QLabel>(window, "benchTitle");
    auto* chooser = test::part<QComboBox>(window, "pairChooser");
    if (title->isVisible() && !title->toolTip().isEmpty()) {
        // Elided (the tooltip holds the whole title): then the header's stretch, the room
        // nobody asked for, is gone.
        const QLayout* layout = title->parentWidget()->layout();
        for (int i = 0; i < layout->count(); ++i) {
            const QSpacerItem* spacer = layout->itemAt(i)->spacerItem();
            if (spacer && (spacer->expandingDirections() & Qt::Horizontal) &&
                spacer->geometry().width() > 2)
                return QStringLiteral("the pair title is elided with %1 px to spare")
                    .arg(spacer->geometry().width());
        }
    }
    if (chooser->isVisible() && chooser->width() < chooser->minimumSizeHint().width())
        return QStringLiteral("the pair selector is %1 px, under its minimum %2")
            .arg(chooser->width())
            .arg(chooser->minimumSizeHint().width());
    return {};
}

QString lossesPageClipped(MainWindow& window)
{
    LossPlotsPage* losses = test::part<LossPlotsPage>(window, "lossPlotsPage");
    QTableView* highest = losses->highestLossView();
    QHeaderView* columns = highest->horizontalHeader();
    for (int column = 0; column < columns->count(); ++column) {
        const QString label = highest->model()->headerData(column, Qt::Horizontal).toString();
        if (QString cut = clipped(columns, label, columns->sectionSize(column) - 6); !cut.isEmpty())
            return QStringLiteral("highest-loss header: ") + cut;
    }
    LossPlot* plot = losses->currentPlot();
    auto* title = qobject_cast<QCPTextElement*>(plot->customPlot()->plotLayout()->element(0, 0));
    if (title && title->visible()) {
        const QFontMetrics metrics(title->font());
        for (const QString& line : title->text().split(QLatin1Char('\n'))) {
            if (metrics.horizontalAdvance(line) > plot->customPlot()->width())
                return QStringLiteral("plot title \"%1\" is wider than the plot (%2 px)")
                    .arg(line)
                    .arg(plot->customPlot()->width());
        }
    }
    return {};
}

QString valuesPageClipped(MainWindow& window)
{
    auto* values = test::part<TensorValuesView>(window, "valuesPage");
    for (QComboBox* box : {values->rowAxisBox(), values->columnAxisBox()}) {
        if (!box->isVisible())
            continue;
        // The text's room: the box less its arrow, which the style draws in about a line.
        const QString cut =
            clipped(box, box->currentText(), box->width() - box->fontMetrics().height() * 2);
        if (!cut.isEmpty())
            return cut;
    }
    return {};
}

} // namespace

// Whatever a page shows (long paths, many pairs, the inspector's hint), the window stays on a
// 1024 x 700 or 1440 x 900 screen: no child insists on more width, which would push columns off
// the screen. What a user reads first shows whole there: the tree's columns, the pair title and
// selector, the highest-loss list's headers, the plot titles, the values axis selectors and the
// export dialog's path.
void TestMainWindow::fitsASmallScreen()
{
    QFETCH(QString, example);
    QFETCH(QSize, screen);
    QFETCH(bool, treeFits);
    auto window = makeWindow();
    window->applyDefaultLayout(screen);
    QVERIFY(window->openExample(example));
    QVERIFY(waitReady(*window));
    QTabWidget* tabs = test::part<QTabWidget>(*window, "analysisTabs");
    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        // Layouts grow the window when they are activated, on posted LayoutRequest events.
        for (int round = 0; round < 3; ++round) {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QCoreApplication::processEvents();
        }
        QString widest;
        int widestWidth = 0;
        for (QWidget* child : window->findChildren<QWidget*>()) {
            const int width = child->minimumSizeHint().width();
            if (child->isVisible() && width > widestWidth) {
                widestWidth = width;
                widest = QStringLiteral("%1 %2 (%3)")
                             .arg(QString::fromLatin1(child->metaObject()->className()),
                                  child->objectName())
                             .arg(width);
            }
        }
        QVERIFY2(window->width() <= screen.width() && window->height() <= screen.height(),
                 qPrintable(QStringLiteral("%1 tab: the window grew to %2 x %3; widest child %4")
                                .arg(tabs->tabText(tab))
                                .arg(window->width())
                                .arg(window->height())
                                .arg(widest)));
        QString cut = treeFits ? treeColumnsClipped(*window) : QString();
        if (cut.isEmpty() && tab == 0)
            cut = pairHeaderClipped(*window);
        if (cut.isEmpty() && tab == 1)
            cut = lossesPageClipped(*window);
        if (cut.isEmpty() && tab == 2)
            cut = valuesPageClipped(*window);
        QVERIFY2(cut.isEmpty(), qPrintable(tabs->tabText(tab) + QStringLiteral(" tab: ") + cut));
    }

    ExportPlotDialog dialog(window.get());
    const QString path = QDir::homePath() + QStringLiteral("/experiments/segmentation/") +
                         QStringLiteral("run-2024-05-01/ragged_run-per-sample.png");
    dialog.setPath(path);
    dialog.show();
    auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("path"));
    QVERIFY(field);
    QVERIFY2(dialog.width() <= screen.width(), qPrintable(QString::number(dialog.width())));
    const QString cut = clipped(field, path, field->width() - field->fontMetrics().height());
    QVERIFY2(cut.isEmpty(), qPrintable(cut));
}

void TestMainWindow::settingsChangeRecomputes()
{
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* lossSettings = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    auto* diagnostics = test::part<DiagnosticsDock>(*window, "diagnosticsDock");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    auto* status = test::part<StatusProgress>(*window, "statusProgress");
    QVERIFY(window->openExample(QStringLiteral("segmentation_void.h5")));
    QVERIFY(waitReady(*window));
    QCOMPARE(workspace->result()->count(Severity::Error), 1);
    QSignalSpy ready(workspace, &Workspace::analysisReady);
    QSignalSpy specs(lossSettings, &LossSettingsDock::specChanged);
    QSpinBox* ignore = lossSettings->ignoreIndexBox();
    ignore->setFocus();
    ignore->selectAll();
    QTest::keyClicks(ignore, QStringLiteral("255"));
    // Typing settles first: nothing is recomputed per keystroke.
    QCOMPARE(specs.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(specs.count(), 1, kTimeout);
    QCOMPARE(specs.first().at(0).value<LossSpec>().ignoreIndex, 255);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    const auto result = workspace->result();
    QCOMPARE(result->spec.ignoreIndex, 255);
    QCOMPARE(result->count(Severity::Error), 0);
    QCOMPARE(diagnostics->model()->rowCount(), 0);
    // The same pair stays on the bench, now healthy, with ignored pixels counted.
    QCOMPARE(selection->currentPair(), 0);
    QVERIFY(test::part<ShapeBenchPage>(*window, "shapeBenchPage")
                ->verdictText()
                .startsWith(QStringLiteral("Healthy")));
    QCOMPARE(test::part<ShapeBenchPage>(*window, "shapeBenchPage")
                 ->lossPanel()
                 ->valueText(QStringLiteral("ignored")),
             QStringLiteral("1168 (24.3%)")); // 1168 of 3 x 40 x 40 pixels are void
    QVERIFY(status->text().contains(QStringLiteral("0 errors")));
}

void TestMainWindow::choicesRecomputeAtOnce()
{
    auto window = makeWindow();
    auto* lossSettings = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    window->openFile(test::dumpPath(QStringLiteral("nll_on_logits.h5")));
    QVERIFY(waitReady(*window));
    QSignalSpy specs(lossSettings, &LossSettingsDock::specChanged);
    QSignalSpy ready(workspace, &Workspace::analysisReady);
    QComboBox* kind = lossSettings->kindBox();
    kind->setCurrentIndex(kind->findData(int(LossKind::Nll)));
    QCOMPARE(specs.count(), 1); // no debounce for a choice
    QCOMPARE(workspace->state(), Workspace::State::Analyzing);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    QCOMPARE(workspace->result()->spec.kind, LossKind::Nll);
    // A pairing override from the dock.
    window->openFile(test::dumpPath(QStringLiteral("override_pair.npz")));
    QVERIFY(waitReady(*window));
    LossSettingsDock* dock = lossSettings;
    dock->inputBox()->setCurrentIndex(dock->inputBox()->findData(QStringLiteral("a")));
    QVERIFY(!dock->currentSpec()); // the target is still "auto"
    dock->targetBox()->setCurrentIndex(dock->targetBox()->findData(QStringLiteral("b")));
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready &&
                                 workspace->result()->spec.inputPath == QLatin1String("a"),
                             kTimeout);
    QCOMPARE(workspace->result()->pairs.size(), size_t(1));
    QCOMPARE(workspace->result()->pairs.front().target, QStringLiteral("b"));
}

// The PyTorch setting re-runs the analysis, and the bench quotes that release's own text (the
// texts the generator captured from torch 1.13 and 2.15 on the same dump).
void TestMainWindow::torchSettingChangesTheQuote()
{
    QJsonObject measured;
    for (const QJsonValue& c : test::dumpCases()) {
        if (c.toObject().value(QStringLiteral("name")).toString() ==
            QLatin1String("target_float_indices"))
            measured = c.toObject()
                           .value(QStringLiteral("pairs"))[0]
                           .toObject()
                           .value(QStringLiteral("torch"))
                           .toObject();
    }
    const auto text = [&](const char* version) {
        return measured.value(QLatin1String(version))
            .toObject()
            .value(QStringLiteral("pytorch_error"))
            .toString();
    };
    QVERIFY(!text("1.13").isEmpty() && text("1.13") != text("2.15"));

    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* torch = test::part<QComboBox>(*window, "torchVersionBox");
    window->openFile(test::dumpPath(QStringLiteral("target_float_indices.npz")));
    QVERIFY(waitReady(*window));
    auto* quote = window->findChild<QLabel*>(QStringLiteral("pytorchError"));
    QVERIFY(quote);
    QCOMPARE(workspace->result()->torch.source, TorchSource::Default);
    QTRY_COMPARE(quote->text(), text("2.15"));

    QSignalSpy ready(workspace, &Workspace::analysisReady);
    torch->setCurrentIndex(torch->findData(QStringLiteral("1.13")));
    QCOMPARE(workspace->state(), Workspace::State::Analyzing);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    const auto result = workspace->result();
    QCOMPARE(result->torch.version.toString(), QStringLiteral("1.13"));
    QCOMPARE(result->torch.source, TorchSource::Settings);
    QTRY_COMPARE(quote->text(), text("1.13"));

    // Where the releases disagree on the verdict, the card says so.
    window->openFile(test::dumpPath(QStringLiteral("ce_unbatched_one_element_target.npz")));
    QVERIFY(waitReady(*window));
    QCOMPARE(workspace->result()->torch.version.toString(), QStringLiteral("1.13"));
    const QList<DiagnosticCard*> cards =
        test::part<ShapeBenchPage>(*window, "shapeBenchPage")->cards();
    QCOMPARE(cards.size(), 1);
    auto* note = cards.first()->findChild<QLabel*>(QStringLiteral("diagnosticVersionNote"));
    QVERIFY(note && note->isVisibleTo(cards.first()));
    QVERIFY2(note->text().contains(QStringLiteral("accepts this; the Loss settings say 1.13")),
             qPrintable(note->text()));

    torch->setCurrentIndex(0); // Automatic: the newest again
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready &&
                                 workspace->result()->torch.source == TorchSource::Default,
                             kTimeout);
}

void TestMainWindow::quickPassShowsShapesFirst()
{
    // A large dump first gets pairs and shape checks only, then losses and value checks.
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    workspace->setQuickPassBytes(0); // every dump counts as large
    QStringList seen;
    connect(workspace, &Workspace::analysisReady, window.get(), [&] {
        seen << QStringLiteral("%1 %2 %3")
                    .arg(workspace->isPreliminary() ? QStringLiteral("quick")
                                                    : QStringLiteral("full"))
                    .arg(workspace->result()->count(Severity::Error))
                    .arg(bench->verdictText());
    });
    QVERIFY(window->openExample(QStringLiteral("segmentation_void.h5")));
    QVERIFY(waitReady(*window));
    QCOMPARE(
        seen,
        (QStringList{QStringLiteral("quick 0 PyTorch accepts these shapes; values not checked yet"),
                     QStringLiteral("full 1 PyTorch raises an error for this pair")}));
    // The value error found by the full pass is what is selected.
    QCOMPARE(bench->pytorchText(), QStringLiteral("Target 255 is out of bounds."));
    QVERIFY(selection->currentDiagnostic() >= 0);
    // The shape error is there from the quick pass on.
    seen.clear();
    QVERIFY(window->openExample(QStringLiteral("batch_mismatch.h5")));
    QVERIFY(waitReady(*window));
    QCOMPARE(seen.size(), 2);
    QVERIFY(seen.first().startsWith(QStringLiteral("quick 1 PyTorch raises")));
}

void TestMainWindow::cancelLeavesTheTree()
{
    // A large dump (32 MiB of logits) analyzed through a session that holds the analysis at its
    // first progress report until cancelled: deterministic, however fast the machine.
    const QString folder = m_dir.filePath(QStringLiteral("large"));
    QVERIFY(QDir().mkpath(folder));
    const qint64 rows = qint64(1) << 20;
    const qint64 classes = 8;
    std::vector<float> logits(size_t(rows * classes), 0.5f);
    std::vector<qint64> labels(size_t(rows), 3);
    QVERIFY(test::writeNpy(folder + QStringLiteral("/logits.npy"), "<f4", {rows, classes},
                           logits.data(), qint64(logits.size() * sizeof(float))));
    QVERIFY(test::writeNpy(folder + QStringLiteral("/labels.npy"), "<i8", {rows}, labels.data(),
                           qint64(labels.size() * sizeof(qint64))));
    auto session = std::make_shared<test::GatedSession>();
    auto window = makeWindow(session);
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    auto* diagnostics = test::part<DiagnosticsDock>(*window, "diagnosticsDock");
    window->openFile(folder);
    QTRY_COMPARE_WITH_TIMEOUT(session->started.load(), 1, kTimeout);
    QCOMPARE(workspace->state(), Workspace::State::Analyzing);
    StatusProgress* status = test::part<StatusProgress>(*window, "statusProgress");
    QVERIFY(status->isBusy());
    QVERIFY(status->cancelButton()->isVisible());
    QVERIFY(actions->cancel->isEnabled());
    // The tree is there before the analysis ends.
    QVERIFY(test::part<DumpTreeDock>(*window, "dumpTreeDock")
                ->model()
                ->indexOfPath(QStringLiteral("logits.npy"))
                .isValid());
    // The window answers while the analysis runs.
    QElapsedTimer clock;
    clock.start();
    QTest::qWait(50);
    QVERIFY(clock.elapsed() < 1000);

    status->cancelButton()->click();
    QCOMPARE(workspace->state(), Workspace::State::Cancelled);
    QVERIFY(!status->isBusy());
    QVERIFY(status->text().contains(QStringLiteral("cancelled")));
    QVERIFY(!status->cancelButton()->isVisible());
    QVERIFY(bench->placeholderText().contains(QStringLiteral("cancelled")));
    QVERIFY(test::part<DumpTreeDock>(*window, "dumpTreeDock")
                ->model()
                ->indexOfPath(QStringLiteral("labels.npy"))
                .isValid());
    // The worker stopped, and its late result never showed.
    QTRY_COMPARE_WITH_TIMEOUT(session->finished.load(), 1, kTimeout);
    QTest::qWait(100);
    QVERIFY(!workspace->result());
    QCOMPARE(diagnostics->model()->rowCount(), 0);

    // Esc cancels too; F5 starts over.
    actions->reload->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(session->started.load(), 2, kTimeout);
    actions->cancel->trigger();
    QCOMPARE(workspace->state(), Workspace::State::Cancelled);
    session->release();
    actions->reload->trigger();
    QVERIFY(waitReady(*window));
    QCOMPARE(workspace->result()->pairs.size(), size_t(1));
    QCOMPARE(workspace->result()->pairs.front().summary.samples, rows);
}

void TestMainWindow::largeDumpKeepsWindowResponsive()
{
    // Opt-in (minutes in a debug build): SHAPESCOPE_BIG_DUMP names a large dump, e.g. a folder
    // with a 1 GiB logits.npy.
    const QString path = qEnvironmentVariable("SHAPESCOPE_BIG_DUMP");
    if (path.isEmpty())
        QSKIP("set SHAPESCOPE_BIG_DUMP to a large dump to run this");
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    QElapsedTimer clock;
    qint64 firstResult = -1;
    connect(workspace, &Workspace::analysisReady, window.get(), [&] {
        if (firstResult < 0)
            firstResult = clock.elapsed();
    });
    // The longest the event loop went without serving a 10 ms timer.
    qint64 last = 0;
    qint64 longestGap = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, window.get(), [&] {
        longestGap = std::max(longestGap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    tick.start(10);
    window->openFile(path);
    QVERIFY(QTest::qWaitFor([&] { return workspace->state() == Workspace::State::Ready; },
                            30 * 60 * 1000));
    qInfo("shapes after %lld ms, losses after %lld ms, longest event-loop gap %lld ms", firstResult,
          clock.elapsed(), longestGap);
    QVERIFY(firstResult < 5000); // the quick pass: pairs and shape checks at once
    QVERIFY2(longestGap < 250, qPrintable(QString::number(longestGap)));
}

void TestMainWindow::unreadableFileShowsBanner()
{
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    QVERIFY(window->openExample(QStringLiteral("softmax_before_loss.h5")));
    QVERIFY(waitReady(*window));
    const QString bad = m_dir.filePath(QStringLiteral("broken.h5"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("\x89HDF\r\n\x1a\n", 8) +
               QByteArray(200, '\xff')); // a signature, then junk
    file.close();
    window->openFile(bad);
    QTRY_VERIFY_WITH_TIMEOUT(test::part<ErrorBanner>(*window, "errorBanner")->isVisible(),
                             kTimeout);
    QVERIFY2(test::part<ErrorBanner>(*window, "errorBanner")
                 ->title()
                 .contains(QStringLiteral("broken.h5")),
             qPrintable(test::part<ErrorBanner>(*window, "errorBanner")->title()));
    QVERIFY(!test::part<ErrorBanner>(*window, "errorBanner")->message().isEmpty());
    // The previous dump stays usable.
    QCOMPARE(workspace->state(), Workspace::State::Ready);
    QVERIFY(workspace->displayName().startsWith(QStringLiteral("softmax_before_loss.h5")));
    QVERIFY(tree->model()->indexOfPath(QStringLiteral("/output")).isValid());
    QVERIFY(bench->isShowingPair());
    // And a good file opens afterwards, taking the banner away.
    window->openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(workspace->path().endsWith(QLatin1String("ce_basic.h5")) &&
                                 workspace->state() == Workspace::State::Ready,
                             kTimeout);
    QVERIFY(!test::part<ErrorBanner>(*window, "errorBanner")->isVisible());
    QVERIFY(tree->model()->indexOfPath(QStringLiteral("/logits")).isValid());
    QVERIFY(!tree->model()->indexOfPath(QStringLiteral("/output")).isValid());
}

void TestMainWindow::badFirstFileShowsEmptyState()
{
    auto window = makeWindow();
    auto* banner = test::part<ErrorBanner>(*window, "errorBanner");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* status = test::part<StatusProgress>(*window, "statusProgress");
    auto* tabs = test::part<QTabWidget>(*window, "analysisTabs");
    const QString missing = m_dir.filePath(QStringLiteral("no-such-dump.h5"));
    window->openFile(missing);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kTimeout);
    QVERIFY(banner->message().contains(missing));
    QCOMPARE(workspace->state(), Workspace::State::Empty);
    auto* stack = window->findChild<QStackedWidget*>();
    QVERIFY(stack);
    QTRY_COMPARE(stack->currentWidget(),
                 static_cast<QWidget*>(test::part<WelcomePage>(*window, "welcomePage")));
    QVERIFY(status->text().contains(QStringLiteral("No dump open")));
    // The welcome page's examples open.
    auto* button =
        test::part<WelcomePage>(*window, "welcomePage")->findChild<QCommandLinkButton*>();
    QVERIFY(button);
    button->click();
    QVERIFY(waitReady(*window));
    QCOMPARE(stack->currentWidget(), static_cast<QWidget*>(tabs));
    QVERIFY(!banner->isVisible());
}

void TestMainWindow::reloadKeepsSelection()
{
    auto window = makeWindow();
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    QVERIFY(window->openExample(QStringLiteral("ragged_run.h5")));
    QVERIFY(waitReady(*window));
    selection->selectPair(3);
    QSignalSpy opened(workspace, &Workspace::dumpOpened);
    QSignalSpy ready(workspace, &Workspace::analysisReady);
    actions->reload->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().at(1).value<Workspace::OpenReason>(), Workspace::OpenReason::Reload);
    QCOMPARE(selection->currentPair(), 3);
    QCOMPARE(treeSelection(*window), (QStringList{QStringLiteral("/batch_0003/labels"),
                                                  QStringLiteral("/batch_0003/logits")}));
    QVERIFY(bench->titleText().startsWith(QStringLiteral("Pair 4 of 8")));

    // A selected diagnostic is found again too.
    selection->selectPair(7);
    selectDiagnosticRow(*window, 0);
    actions->reload->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, kTimeout);
    QCOMPARE(selection->currentDiagnostic(), 0);
    QCOMPARE(selection->currentPair(), 7);
}

void TestMainWindow::watchReloadsChangedDump()
{
    const QString path = m_dir.filePath(QStringLiteral("watched.h5"));
    QFile::remove(path);
    QVERIFY(QFile::copy(test::dumpPath(QStringLiteral("ce_basic.h5")), path));
    auto window = makeWindow();
    auto* watcher = test::part<DumpWatcher>(*window, "dumpWatcher");
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    watcher->setSettleInterval(150);
    actions->watch->setChecked(true);
    window->openFile(path);
    QVERIFY(waitReady(*window));
    QVERIFY(tree->model()->indexOfPath(QStringLiteral("/logits")).isValid());
    QSignalSpy opened(workspace, &Workspace::dumpOpened);
    // A training run overwrites the dump: here with another dump's bytes.
    QTest::qWait(1100); // a new modification time, on file systems with 1 s resolution
    QFile::remove(path);
    QVERIFY(QFile::copy(test::dumpPath(QStringLiteral("batch_32_vs_64.h5")), path));
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() >= 1, kTimeout);
    QVERIFY(waitReady(*window));
    QVERIFY(tree->model()->indexOfPath(QStringLiteral("/labels")).isValid());
    QCOMPARE(workspace->result()->count(Severity::Error), 1);
}

void TestMainWindow::copyFixButton()
{
    auto window = makeWindow();
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    auto* actions = test::part<MainActions>(*window, "mainActions");
    QVERIFY(window->openExample(QStringLiteral("sequence_btc.npz")));
    QVERIFY(waitReady(*window));
    DiagnosticCard* card = bench->cards().first();
    QApplication::clipboard()->clear();
    card->copyButton()->click();
    QCOMPARE(QApplication::clipboard()->text(), card->fixText());
    QVERIFY(card->fixText().contains(QStringLiteral("permute(0, 2, 1)")));
    // The fix is selectable text as well.
    QVERIFY(card->fixView()->textInteractionFlags() & Qt::TextSelectableByMouse);
    QApplication::clipboard()->clear();
    actions->copyFix->trigger();
    QCOMPARE(QApplication::clipboard()->text(), card->fixText());
}

void TestMainWindow::filtersAndSeverityToggles()
{
    auto window = makeWindow();
    auto* actions = test::part<MainActions>(*window, "mainActions");
    window->openFile(test::dumpPath(QStringLiteral("run_short_last_batch.h5")));
    QVERIFY(waitReady(*window));
    DiagnosticsDock* diagnostics = test::part<DiagnosticsDock>(*window, "diagnosticsDock");
    QCOMPARE(diagnostics->view()->model()->rowCount(), 2);
    QVERIFY(
        diagnostics->severityButton(Severity::Error)->text().startsWith(QStringLiteral("1 error")));
    diagnostics->severityButton(Severity::Error)->click();
    QCOMPARE(diagnostics->view()->model()->rowCount(), 1);
    diagnostics->severityButton(Severity::Error)->click();
    diagnostics->searchEdit()->setText(QStringLiteral("ragged"));
    QCOMPARE(diagnostics->view()->model()->rowCount(), 1);
    diagnostics->searchEdit()->clear();

    DumpTreeDock* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    actions->focusFilter->trigger();
    QTRY_VERIFY(tree->filterEdit()->hasFocus());
    QTest::keyClicks(tree->filterEdit(), QStringLiteral("step_2"));
    const QModelIndex file = tree->filter()->index(0, 0);
    QCOMPARE(tree->filter()->rowCount(file), 1);
    QCOMPARE(tree->filter()->index(0, 0, file).data(DumpTreeModel::PathRole).toString(),
             QStringLiteral("/step_2"));
}

void TestMainWindow::shortcuts()
{
    auto window = makeWindow();
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* tree = test::part<DumpTreeDock>(*window, "dumpTreeDock");
    MainActions* a = actions;
    const QList<QPair<QAction*, QKeySequence>> expected{
        {a->open, QKeySequence(QStringLiteral("Ctrl+O"))},
        {a->openFolder, QKeySequence(QStringLiteral("Ctrl+Shift+O"))},
        {a->reload, QKeySequence(QStringLiteral("F5"))},
        {a->quit, QKeySequence(QStringLiteral("Ctrl+Q"))},
        {a->focusFilter, QKeySequence(QStringLiteral("Ctrl+F"))},
        {a->cancel, QKeySequence(QStringLiteral("Esc"))},
        {a->nextDiagnostic, QKeySequence(QStringLiteral("F8"))},
        {a->copyFix, QKeySequence(QStringLiteral("Ctrl+Shift+C"))},
    };
    for (const auto& [action, keys] : expected)
        QCOMPARE(action->shortcut(), keys);
    // Every action a user triggers has a shortcut, the theme choices aside.
    for (QAction* action : {a->open, a->openFolder, a->reload, a->watch, a->exportPlot,
                            a->exportLosses, a->exportMarkdown, a->exportJson, a->exportText,
                            a->quit, a->cancel, a->focusFilter, a->previousPair, a->nextPair,
                            a->previousDiagnostic, a->nextDiagnostic, a->copyFix, a->compareWith})
        QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
    QVERIFY(!tree->toggleViewAction()->shortcut().isEmpty());
}

void TestMainWindow::addAnalysisTab()
{
    auto window = makeWindow();
    auto* tabs = test::part<QTabWidget>(*window, "analysisTabs");
    // The bench first, then the pages the window brings: losses, values, steps and compare.
    QCOMPARE(tabs->count(), 5);
    QCOMPARE(tabs->widget(0),
             static_cast<QWidget*>(test::part<ShapeBenchPage>(*window, "shapeBenchPage")));
    QCOMPARE(tabs->tabText(1), QStringLiteral("Losses"));
    QCOMPARE(tabs->tabText(2), QStringLiteral("Values"));
    QCOMPARE(tabs->tabText(3), QStringLiteral("Steps"));
    QCOMPARE(tabs->tabText(4), QStringLiteral("Compare"));
    auto* page = new QLabel(QStringLiteral("more"));
    const int index = window->addAnalysisTab(page, QStringLiteral("More"));
    QCOMPARE(index, 5);
    QCOMPARE(tabs->tabText(5), QStringLiteral("More"));
}

void TestMainWindow::lossAndValuePagesFollowSelection()
{
    auto window = makeWindow();
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* selection = test::part<SelectionCoordinator>(*window, "selection");
    AnalysisPages* pages = test::part<AnalysisPages>(*window, "analysisPages");
    QVERIFY(!actions->exportPlot->isEnabled());
    window->openFile(test::dumpPath(QStringLiteral("run_ragged.h5")));
    QVERIFY(waitReady(*window));
    QTRY_VERIFY(pages->losses()->hasResult());
    QVERIFY(actions->exportPlot->isEnabled());
    QVERIFY(actions->exportLosses->isEnabled());
    QVERIFY(actions->exportMarkdown->isEnabled());
    // The ragged batch is selected by default (its warning); the run's plots show its pairs.
    QCOMPARE(selection->currentPair(), 3);
    const int scope = pages->losses()->currentScope();
    QVERIFY(scope >= 0);
    QCOMPARE(pages->losses()->scopes()[size_t(scope)].run, 0);
    QCOMPARE(pages->losses()->scopes()[size_t(scope)].pairs.size(), size_t(4));
    // Selecting a tensor shows its values.
    selection->selectTensor(QStringLiteral("/batch_0001/logits"));
    QTRY_COMPARE(pages->values()->model()->rowCount(), 32);
    QCOMPARE(pages->values()->model()->columnCount(), 10);
}

void TestMainWindow::dropOpensFile()
{
    auto window = makeWindow();
    auto* workspace = test::part<Workspace>(*window, "workspace");
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(test::dumpPath(QStringLiteral("nll_basic.h5")))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &drop);
    QVERIFY(waitReady(*window));
    QVERIFY(workspace->path().endsWith(QLatin1String("nll_basic.h5")));
}

void TestMainWindow::darkTheme()
{
    applyTheme(Theme::Dark);
    auto window = makeWindow();
    QVERIFY(StatusColors::isDark(window->palette()));
    QVERIFY(window->openExample(ExampleCatalog::defaultFile()));
    QVERIFY(waitReady(*window));
    // The bench paints with the palette: the window background is dark, the cells still red.
    const QImage shot =
        test::part<ShapeBenchPage>(*window, "shapeBenchPage")->benchView()->grab().toImage();
    QVERIFY(QColor(shot.pixel(2, 2)).lightness() < 100);
    const StatusColors colors = StatusColors::from(window->palette());
    QVERIFY(colors.error.lightness() > 100); // readable on dark
    applyTheme(Theme::System);
    QVERIFY(!StatusColors::isDark(QApplication::palette()));
}

void TestMainWindow::recentFilesAndLayoutPersist()
{
    const QString path = test::dumpPath(QStringLiteral("ce_basic.h5"));
    {
        auto window = makeWindow();
        window->openFile(path);
        QVERIFY(waitReady(*window));
        QVERIFY(window->openExample(QStringLiteral("ragged_run.h5")));
        QVERIFY(waitReady(*window));
        test::part<DiagnosticsDock>(*window, "diagnosticsDock")->hide();
        window->close();
    }
    auto window = makeWindow();
    // Examples are temporary copies: not recent files.
    QCOMPARE(test::part<RecentFiles>(*window, "recentFiles")->files(),
             QStringList{QFileInfo(path).absoluteFilePath()});
    QVERIFY(test::part<DiagnosticsDock>(*window, "diagnosticsDock")->isHidden());
    test::part<MainActions>(*window, "mainActions")->resetLayout->trigger();
    QVERIFY(!test::part<DiagnosticsDock>(*window, "diagnosticsDock")->isHidden());
}

QTEST_MAIN(TestMainWindow)
#include "tst_gui_mainwindow.moc"
