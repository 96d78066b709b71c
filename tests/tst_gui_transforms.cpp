// SPDX-License-Identifier: GPL-3.0-or-later
// Trying a fix on the data in the window: a card's "Apply to the Dump" re-runs the analysis
// with the fix's transforms, the strip above the bench shows them with the verdict before and
// after, copies them as code, undoes one, and clears; a newly opened file starts without any.
#include "bench/diagnosticcard.h"
#include "bench/shapebenchpage.h"
#include "bench/transformstrip.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QPushButton>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

QString fixture(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/transforms/") + file;
}

bool ready(MainWindow& window)
{
    return QTest::qWaitFor(
        [&] {
            return test::part<Workspace>(window, "workspace")->state() == Workspace::State::Ready;
        },
        kTimeout);
}

int errorCount(const Workspace& workspace)
{
    return workspace.result() ? workspace.result()->count(Severity::Error) : -1;
}

// The first card that offers to apply its fix.
DiagnosticCard* applicableCard(MainWindow& window)
{
    for (DiagnosticCard* card : test::part<ShapeBenchPage>(window, "shapeBenchPage")->cards()) {
        if (card->isVisible() && card->applyButton()->isVisible())
            return card;
    }
    return nullptr;
}

} // namespace

class TestGuiTransforms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void applyUndoClear();
    void applyLossOption();
    void newFileStartsClean();
};

void TestGuiTransforms::applyUndoClear()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.resize(1024, 700);
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.openFile(fixture(QStringLiteral("class_last.h5")));
    QVERIFY(ready(window));
    QVERIFY(errorCount(*workspace) > 0); // torch raises on the dump as saved
    auto* strip = test::part<ShapeBenchPage>(window, "shapeBenchPage")->transformStrip();
    QVERIFY(!strip->isVisible());

    DiagnosticCard* card = applicableCard(window);
    QVERIFY(card);
    card->applyButton()->click();
    QVERIFY(ready(window));
    QCOMPARE(workspace->transforms(),
             QStringList{QStringLiteral("logits=logits.permute(0, 2, 1)")});
    QTRY_COMPARE_WITH_TIMEOUT(errorCount(*workspace), 0, kTimeout);
    QVERIFY(workspace->result()->pairs.front().hasLosses);
    QVERIFY(strip->isVisible());
    QVERIFY2(strip->verdictText().contains(
                 QLatin1String("was: Expected target size [4, 5], got [4, 6]")),
             qPrintable(strip->verdictText()));
    QVERIFY2(strip->verdictText().contains(QLatin1String("now: accepted, mean loss")),
             qPrintable(strip->verdictText()));
    QVERIFY(!applicableCard(window)); // nothing left to apply

    strip->findChild<QPushButton*>(QStringLiteral("copyTransforms"))->click();
    QCOMPARE(QApplication::clipboard()->text(),
             QStringLiteral("logits = logits.permute(0, 2, 1)\n"));

    // Undo: the button of the transform itself.
    QPushButton* undo = nullptr;
    for (QPushButton* button : strip->findChildren<QPushButton*>()) {
        if (button->text().startsWith(QLatin1String("logits = ")))
            undo = button;
    }
    QVERIFY(undo);
    undo->click();
    QVERIFY(ready(window));
    QVERIFY(workspace->transforms().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(errorCount(*workspace) > 0, kTimeout);
    QVERIFY(!strip->isVisible());

    // Apply again, then Clear.
    applicableCard(window)->applyButton()->click();
    QVERIFY(ready(window));
    QTRY_COMPARE_WITH_TIMEOUT(errorCount(*workspace), 0, kTimeout);
    strip->findChild<QPushButton*>(QStringLiteral("clearTransforms"))->click();
    QVERIFY(ready(window));
    QTRY_VERIFY_WITH_TIMEOUT(errorCount(*workspace) > 0, kTimeout);
}

// A fix that changes the loss (ignore_index for VOC's void label) applies the same way, and
// copies as the loss it amounts to.
void TestGuiTransforms::applyLossOption()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.resize(1024, 700);
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.openFile(QStringLiteral(SHAPESCOPE_TEST_DATA "/losstransforms/void_label.h5"));
    QVERIFY(ready(window));
    QVERIFY(errorCount(*workspace) > 0);
    DiagnosticCard* card = applicableCard(window);
    QVERIFY(card);
    card->applyButton()->click();
    QVERIFY(ready(window));
    QCOMPARE(workspace->transforms(), QStringList{QStringLiteral("ignore_index=255")});
    QTRY_COMPARE_WITH_TIMEOUT(errorCount(*workspace), 0, kTimeout);
    QCOMPARE(workspace->result()->spec.ignoreIndex, 255);
    auto* strip = test::part<ShapeBenchPage>(window, "shapeBenchPage")->transformStrip();
    QVERIFY2(strip->verdictText().contains(QLatin1String("was: Target 255 is out of bounds.")),
             qPrintable(strip->verdictText()));
    strip->findChild<QPushButton*>(QStringLiteral("copyTransforms"))->click();
    QCOMPARE(QApplication::clipboard()->text(),
             QStringLiteral("criterion = nn.CrossEntropyLoss(ignore_index=255)\n"));
}

void TestGuiTransforms::newFileStartsClean()
{
    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.openFile(fixture(QStringLiteral("one_based.npz")));
    QVERIFY(ready(window));
    DiagnosticCard* card = applicableCard(window);
    QVERIFY(card);
    card->applyButton()->click();
    QVERIFY(ready(window));
    QTRY_COMPARE_WITH_TIMEOUT(errorCount(*workspace), 0, kTimeout);
    QCOMPARE(workspace->transforms(), QStringList{QStringLiteral("labels=labels - 1")});

    window.openFile(fixture(QStringLiteral("class_last.h5")));
    QVERIFY(ready(window));
    QVERIFY(workspace->transforms().isEmpty());
    QVERIFY(workspace->result()->transforms.isEmpty());
}

QTEST_MAIN(TestGuiTransforms)
#include "tst_gui_transforms.moc"
