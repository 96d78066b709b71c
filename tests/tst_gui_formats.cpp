// SPDX-License-Identifier: GPL-3.0-or-later
// torch.save and safetensors dumps in the window, opened the three ways a user opens a file: the
// command-line argument (runGui hands it to openFile), File > Open's dialog, and drag-and-drop.
// The tree gets the tensors torch wrote (the generators' expected.json); a hostile file gets the
// banner naming it, and the window stays usable. Objects the reader lists but cannot read stay
// in the tree, greyed, marked "unreadable", with the reason as tooltip and attribute.
#include "dumptree/attributemodel.h"
#include "dumptree/dumptreedock.h"
#include "dumptree/dumptreefilter.h"
#include "dumptree/dumptreemodel.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/errorbanner.h"
#include "window/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QMimeData>
#include <QSet>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

enum class Via
{
    Argument,
    Dialog,
    Drop
};

QString fixture(const QString& relative)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/") + relative;
}

// The tensor paths torch (or the safetensors package) wrote, without a leading slash.
QSet<QString> expectedPaths(const QString& folder, const QString& file)
{
    const QJsonObject root =
        test::readJson(fixture(folder + QStringLiteral("/expected.json"))).object();
    QSet<QString> paths;
    for (const QJsonValue& entry : root.value(QStringLiteral("fixtures")).toArray()) {
        const QJsonObject fixtureEntry = entry.toObject();
        if (fixtureEntry.value(QStringLiteral("file")).toString() != file)
            continue;
        for (const QJsonValue& tensor : fixtureEntry.value(QStringLiteral("tensors")).toArray()) {
            QString path = tensor.toObject().value(QStringLiteral("path")).toString();
            paths.insert(path.startsWith(QLatin1Char('/')) ? path.mid(1) : path);
        }
    }
    return paths;
}

// The name filter the last file dialog started with: what a user sees before picking.
QString shownFilter;

// Accepts the next file dialog with `path`, as a user picking the file would.
void answerNextDialog(const QString& path)
{
    QTimer::singleShot(0, [path] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog) {
            answerNextDialog(path); // not shown yet: the event loop is still opening it
            return;
        }
        shownFilter = dialog->selectedNameFilter();
        dialog->selectFile(path);
        static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept checks the selection
    });
}

// File > Open, found by its standard shortcut as a keyboard user reaches it.
QAction* openAction(const MainWindow& window)
{
    for (QAction* action : window.actions()) {
        if (action->shortcut() == QKeySequence(QKeySequence::Open))
            return action;
    }
    qFatal("no action with the Open shortcut");
}

void open(MainWindow& window, const QString& path, Via via)
{
    switch (via) {
    case Via::Argument:
        window.openFile(path);
        break;
    case Via::Dialog:
        answerNextDialog(path);
        openAction(window)->trigger();
        break;
    case Via::Drop: {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        break;
    }
    }
}

bool settled(MainWindow& window)
{
    auto* workspace = test::part<Workspace>(window, "workspace");
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    return QTest::qWaitFor(
        [&] { return workspace->state() == Workspace::State::Ready || banner->isVisible(); },
        kTimeout);
}

} // namespace

Q_DECLARE_METATYPE(Via)

class TestGuiFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void opensTheDump_data();
    void opensTheDump();
    void hostileFileNamesItself_data();
    void hostileFileNamesItself();
    void unreadableShownInTree_data();
    void unreadableShownInTree();
};

void TestGuiFormats::opensTheDump_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("file");
    QTest::addColumn<Via>("via");
    const std::pair<const char*, Via> ways[] = {
        {"argument", Via::Argument}, {"dialog", Via::Dialog}, {"drop", Via::Drop}};
    for (const auto& [name, via] : ways) {
        QTest::addRow("torch.save dict, %s", name) << "torchsave"
                                                   << "dict.pt" << via;
        QTest::addRow("torch.save nested, %s", name) << "torchsave"
                                                     << "nested.pt" << via;
        QTest::addRow("safetensors, %s", name) << "safetensors"
                                               << "batch.safetensors" << via;
    }
}

void TestGuiFormats::opensTheDump()
{
    QFETCH(QString, folder);
    QFETCH(QString, file);
    QFETCH(Via, via);
    const QSet<QString> expected = expectedPaths(folder, file);
    QVERIFY(!expected.isEmpty());

    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    open(window, fixture(folder + QLatin1Char('/') + file), via);
    QVERIFY(settled(window));
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    QVERIFY2(!banner->isVisible(), qPrintable(banner->message()));
    auto* workspace = test::part<Workspace>(window, "workspace");
    QVERIFY(workspace->path().endsWith(file));
    QSet<QString> shown;
    for (const TensorInfo& tensor : workspace->result()->dump.tensors)
        shown.insert(tensor.path.startsWith(QLatin1Char('/')) ? tensor.path.mid(1) : tensor.path);
    QCOMPARE(shown, expected);
    QVERIFY(!workspace->result()->pairs.empty()); // logits beside labels in each fixture
    if (via == Via::Dialog) {
        // The dialog's first filter lists the file without the user switching to "All files".
        const QString patterns = shownFilter.section(QLatin1Char('('), 1).chopped(1);
        QVERIFY2(QDir::match(patterns.split(QLatin1Char(' ')), file), qPrintable(shownFilter));
    }
}

void TestGuiFormats::hostileFileNamesItself_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addRow("pickle calling posix.system") << "torchsave/posix_system.pt";
    QTest::addRow("unknown pickle global") << "torchsave/unknown_global.pt";
    QTest::addRow("truncated archive") << "torchsave/truncated.pt";
    QTest::addRow("safetensors header not JSON") << "safetensors/bad_json.safetensors";
    QTest::addRow("safetensors offsets past the end") << "safetensors/out_of_file.safetensors";
}

void TestGuiFormats::hostileFileNamesItself()
{
    QFETCH(QString, relative);
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    open(window, fixture(relative), Via::Drop);
    QVERIFY(settled(window));
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    QVERIFY(banner->isVisible());
    const QString name = relative.section(QLatin1Char('/'), -1);
    QVERIFY2(banner->message().contains(name), qPrintable(banner->message()));

    // Still usable: a good dump opens next.
    open(window, fixture(QStringLiteral("torchsave/dict.pt")), Via::Drop);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible() &&
                                 test::part<Workspace>(window, "workspace")->state() ==
                                     Workspace::State::Ready,
                             kTimeout);
}

void TestGuiFormats::unreadableShownInTree_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("listedAsTensor"); // in DumpSummary::tensors, not skipped
    QTest::addRow("npz unicode member") << "unreadable/mixed.npz"
                                        << "names"
                                        << "<U4"
                                        << "(unicode strings) is not supported" << false;
    QTest::addRow("npz object member") << "unreadable/mixed.npz"
                                       << "objects"
                                       << "|O"
                                       << "ShapeScope never loads pickles" << false;
    QTest::addRow("npy folder unicode file") << "unreadable/mixed_npy"
                                             << "names.npy"
                                             << "<U4"
                                             << "unicode strings" << false;
    QTest::addRow("safetensors FP8") << "safetensors/fp8.safetensors"
                                     << "scales"
                                     << "F8_E4M3"
                                     << "FP8" << false;
    QTest::addRow("torch.save complex64") << "torchsave/dtypes.pt"
                                          << "/complex64"
                                          << "torch.complex64"
                                          << "complex" << false;
    // In this process no filter plugin is registered: the dataset is listed, not read.
    QTest::addRow("HDF5 LZF without its plugin") << "unreadable/lzf.h5"
                                                 << "/logits"
                                                 << "float32"
                                                 << "LZF compression filter (id 32000)" << true;
}

void TestGuiFormats::unreadableShownInTree()
{
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QString, type);
    QFETCH(QString, reason);
    QFETCH(bool, listedAsTensor);
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* dock = test::part<DumpTreeDock>(window, "dumpTreeDock");
    QAbstractItemModelTester tester(dock->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    open(window, fixture(file), Via::Argument);
    QVERIFY(settled(window));
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    QVERIFY2(!banner->isVisible(), qPrintable(banner->message()));

    const QModelIndex index = dock->model()->indexOfPath(path);
    QVERIFY2(index.isValid(), qPrintable(path));
    QCOMPARE(index.data(DumpTreeModel::KindRole).toInt(),
             int(listedAsTensor ? DumpTreeModel::NodeKind::Tensor
                                : DumpTreeModel::NodeKind::Unreadable));
    QVERIFY2(index.data(DumpTreeModel::UnreadableRole).toString().contains(reason),
             qPrintable(index.data(DumpTreeModel::UnreadableRole).toString()));
    QVERIFY(index.data(Qt::ToolTipRole).toString().contains(reason));
    QCOMPARE(index.siblingAtColumn(DumpTreeModel::TypeColumn).data().toString(), type);
    QCOMPARE(index.siblingAtColumn(DumpTreeModel::RoleColumn).data().toString(),
             QStringLiteral("unreadable"));
    const QColor grey = QApplication::palette().color(QPalette::PlaceholderText);
    for (int column = 0; column < DumpTreeModel::ColumnCount; ++column)
        QCOMPARE(index.siblingAtColumn(column).data(Qt::ForegroundRole).value<QColor>(), grey);
    // A readable tensor beside it is not greyed.
    const QModelIndex logits = dock->model()->indexOfPath(
        file.endsWith(u"_npy") ? QStringLiteral("logits.npy") : QStringLiteral("logits"));
    if (logits.isValid() && !listedAsTensor) {
        QVERIFY(logits.data(DumpTreeModel::UnreadableRole).toString().isEmpty());
        QVERIFY(!logits.data(Qt::ForegroundRole).isValid());
    }

    // Shown in the view (not filtered away), and its attributes say why.
    const QModelIndex shown = dock->filter()->mapFromSource(index);
    QVERIFY(shown.isValid());
    dock->view()->setCurrentIndex(shown);
    auto* attributes = test::part<QTableView>(window, "attributesView")->model();
    bool said = false;
    for (int row = 0; row < attributes->rowCount(); ++row) {
        said = said || (attributes->index(row, AttributeModel::NameColumn).data().toString() ==
                            u"unreadable" &&
                        attributes->index(row, AttributeModel::ValueColumn)
                            .data()
                            .toString()
                            .contains(reason));
    }
    QVERIFY(said);
}

QTEST_MAIN(TestGuiFormats)
#include "tst_gui_formats.moc"
