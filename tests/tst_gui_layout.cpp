// SPDX-License-Identifier: GPL-3.0-or-later
// The window on small and large screens: nothing of the bench is cut off on the right, View >
// Reset Layout brings back the first start's layout, and Ctrl+<number> reaches every dock and tab.
#include "bench/shapebenchpage.h"
#include "diagnostics/diagnosticsdock.h"
#include "dumptree/dumptreedock.h"
#include "losssettings/losssettingsdock.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"
#include "window/recentfiles.h"
#include "window/welcomepage.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QCommandLinkButton>
#include <QDockWidget>
#include <QStackedWidget>
#include <QTabWidget>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

std::unique_ptr<MainWindow> makeWindow(QSize size)
{
    auto window = std::make_unique<MainWindow>(std::make_shared<InProcessSession>());
    window->resize(size);
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

void settleLayouts()
{
    for (int round = 0; round < 3; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
    }
}

QString describe(const QWidget* widget)
{
    return QStringLiteral("%1 \"%2\"")
        .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName());
}

// The first visible widget under `root` that sticks out on the left or right of one of its
// ancestors (which cuts it off: a scroll area's content wider than its viewport, a column
// wider than the window), or below the window; empty when everything fits.
QString firstCutOff(const QWidget* root, const QWidget* window)
{
    for (const QWidget* child : root->findChildren<QWidget*>()) {
        if (!child->isVisible())
            continue;
        bool scrolls = false; // content scrolled out of sight at the bottom is not cut off
        for (const QWidget* ancestor = child->parentWidget(); ancestor;
             ancestor = ancestor->parentWidget()) {
            scrolls = scrolls || qobject_cast<const QAbstractScrollArea*>(ancestor);
            const QRect rect(child->mapTo(ancestor, QPoint(0, 0)), child->size());
            if (rect.left() < 0 || rect.right() > ancestor->width() - 1)
                return QStringLiteral("%1 at x %2..%3 in %4 (width %5)")
                    .arg(describe(child))
                    .arg(rect.left())
                    .arg(rect.right())
                    .arg(describe(ancestor))
                    .arg(ancestor->width());
            if (ancestor == window) {
                if (!scrolls && rect.bottom() > window->height() - 1)
                    return QStringLiteral("%1 ends at y %2, below the window (height %3)")
                        .arg(describe(child))
                        .arg(rect.bottom())
                        .arg(window->height());
                break;
            }
        }
    }
    return {};
}

QString dataFile(const QString& relative)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/") + relative;
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void init() { QSettings().clear(); }
    void benchFitsTheWindow_data();
    void benchFitsTheWindow();
    void resetLayoutRestoresTheDefault();
    void goToReachesEveryPart();
    void welcomePageUntilAFileOpens();
};

void TestLayout::benchFitsTheWindow_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QSize>("size");
    for (const QSize size : {QSize(1024, 700), QSize(1440, 900)}) {
        for (const char* file :
             {"dumps/batch_32_vs_64.h5", "dumps/ce_kdim_3d.npz", "steps/guessed_pair.npz",
              "sequence/lm_label_shift.h5", "ctc/ctc_basic.npz", "dumps/run_ragged.h5",
              "dumps/seg_spatial_mismatch.h5"}) {
            if (QFileInfo::exists(dataFile(QString::fromLatin1(file))))
                QTest::addRow("%s %dx%d", file, size.width(), size.height())
                    << dataFile(QString::fromLatin1(file)) << size;
        }
    }
}

// Every widget of the bench lies inside the window and inside each widget holding it: the
// right column and the flow strip are not cut off, on a 1024 x 700 screen too.
void TestLayout::benchFitsTheWindow()
{
    QFETCH(QString, file);
    QFETCH(QSize, size);
    auto window = makeWindow(size);
    window->openFile(file);
    QVERIFY(waitReady(*window));
    settleLayouts();
    QCOMPARE(window->size(), size);
    auto* bench = test::part<ShapeBenchPage>(*window, "shapeBenchPage");
    QVERIFY(bench->isVisible());
    const QString cut = firstCutOff(bench, window.get());
    QVERIFY2(cut.isEmpty(), qPrintable(cut));
}

void TestLayout::resetLayoutRestoresTheDefault()
{
    auto window = std::make_unique<MainWindow>(std::make_shared<InProcessSession>());
    window->show();
    settleLayouts();
    QList<QDockWidget*> docks = window->findChildren<QDockWidget*>();
    QCOMPARE(docks.size(), 3);
    struct Place
    {
        Qt::DockWidgetArea area;
        bool visible;
        bool floating;
        QSize size;
    };
    auto places = [&] {
        std::vector<Place> result;
        for (QDockWidget* dock : docks)
            result.push_back({window->dockWidgetArea(dock), dock->isVisible(), dock->isFloating(),
                              dock->size()});
        return result;
    };
    // The offscreen screen is smaller than the window's minimum size, which the first layout
    // meets by growing: the default is what the reset gives on this screen.
    test::part<MainActions>(*window, "mainActions")->resetLayout->trigger();
    settleLayouts();
    const std::vector<Place> before = places();
    const QSize windowSize = window->size();

    auto* diagnostics = test::part<DiagnosticsDock>(*window, "diagnosticsDock");
    auto* loss = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    diagnostics->hide();
    window->addDockWidget(Qt::RightDockWidgetArea, loss);
    window->resize(windowSize - QSize(100, 60));
    settleLayouts();
    QCOMPARE(window->dockWidgetArea(loss), Qt::RightDockWidgetArea);

    test::part<MainActions>(*window, "mainActions")->resetLayout->trigger();
    settleLayouts();
    // The window's own size is left to the screen: offscreen's is smaller than the window's
    // minimum, so only the docks are compared.
    const std::vector<Place> after = places();
    for (size_t i = 0; i < after.size(); ++i) {
        const QString name = docks[qsizetype(i)]->objectName();
        QVERIFY2(after[i].area == before[i].area, qPrintable(name));
        QVERIFY2(after[i].visible && before[i].visible, qPrintable(name));
        QVERIFY2(!after[i].floating, qPrintable(name));
        // Sizes come back within a few pixels (splitter handles round).
        QVERIFY2(std::abs(after[i].size.width() - before[i].size.width()) <= 4 &&
                     std::abs(after[i].size.height() - before[i].size.height()) <= 4,
                 qPrintable(QStringLiteral("%1: %2x%3, was %4x%5")
                                .arg(name)
                                .arg(after[i].size.width())
                                .arg(after[i].size.height())
                                .arg(before[i].size.width())
                                .arg(before[i].size.height())));
    }
}

// Ctrl+1..8 reach the three docks and the five tabs, even a dock the user closed, and Help
// lists them (it reads the actions).
void TestLayout::goToReachesEveryPart()
{
    auto window = makeWindow(QSize(1024, 700));
    QApplication::setActiveWindow(window.get());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    window->openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QVERIFY(waitReady(*window));
    auto* actions = test::part<MainActions>(*window, "mainActions");
    auto* tabs = test::part<QTabWidget>(*window, "analysisTabs");
    const QList<QWidget*> parts{test::part<DumpTreeDock>(*window, "dumpTreeDock"),
                                test::part<LossSettingsDock>(*window, "lossSettingsDock"),
                                test::part<DiagnosticsDock>(*window, "diagnosticsDock"),
                                tabs->widget(0),
                                tabs->widget(1),
                                tabs->widget(2),
                                tabs->widget(3),
                                tabs->widget(4)};
    QCOMPARE(actions->goTo.size(), parts.size());
    test::part<DiagnosticsDock>(*window, "diagnosticsDock")->hide();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QKeySequence keys(QStringLiteral("Ctrl+%1").arg(i + 1));
        QCOMPARE(actions->goTo[i]->shortcut(), keys);
        QTest::keySequence(window.get(), keys);
        QTRY_VERIFY2(
            parts[i]->isVisible() && parts[i]->isAncestorOf(QApplication::focusWidget()),
            qPrintable(QStringLiteral("%1: focus on %2")
                           .arg(keys.toString(), QApplication::focusWidget()
                                                     ? describe(QApplication::focusWidget())
                                                     : QStringLiteral("nothing"))));
    }
}

// Without a file the window shows the welcome page (open, drop, recent files, examples) and
// no example; a recent file opens from it, and the tabs replace it.
void TestLayout::welcomePageUntilAFileOpens()
{
    const QString path = test::dumpPath(QStringLiteral("ce_basic.h5"));
    auto window = makeWindow(QSize(1024, 700));
    auto* welcome = test::part<WelcomePage>(*window, "welcomePage");
    auto* stack = window->findChild<QStackedWidget*>();
    QCOMPARE(stack->currentWidget(), static_cast<QWidget*>(welcome));
    QVERIFY(welcome->isVisible());
    QVERIFY(!test::part<Workspace>(*window, "workspace")->hasDump());
    QVERIFY(test::part<QWidget>(*welcome, "welcomeDropHint")->isVisible());
    auto* recent = test::part<QWidget>(*welcome, "welcomeRecent");
    QVERIFY(recent->isHidden()); // no recent files yet

    test::part<RecentFiles>(*window, "recentFiles")->add(path);
    QVERIFY(recent->isVisible());
    const QList<QCommandLinkButton*> buttons = recent->findChildren<QCommandLinkButton*>();
    QCOMPARE(buttons.size(), 1);
    QCOMPARE(buttons.first()->text(), QStringLiteral("ce_basic.h5"));
    settleLayouts();
    const QString cut = firstCutOff(welcome, window.get());
    QVERIFY2(cut.isEmpty(), qPrintable(cut));

    buttons.first()->click();
    QVERIFY(waitReady(*window));
    QCOMPARE(test::part<Workspace>(*window, "workspace")->path(),
             QFileInfo(path).absoluteFilePath());
    QCOMPARE(stack->currentWidget(),
             static_cast<QWidget*>(test::part<QTabWidget>(*window, "analysisTabs")));
    QVERIFY(!welcome->isVisible());
}

QTEST_MAIN(TestLayout)
#include "tst_gui_layout.moc"
