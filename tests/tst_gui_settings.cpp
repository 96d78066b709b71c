// SPDX-License-Identifier: GPL-3.0-or-later
// The loss settings the window applies are the ones it shows: a reset re-runs the analysis,
// a reload applies an edit still settling, and each file gets its own settings back (or
// PyTorch's defaults), with a visible note when they are not the defaults.
#include "dumptree/dumptreedock.h"
#include "losssettings/losssettingsdock.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"
#include "window/settingsnote.h"
#include "window/shortcutsdialog.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>

using namespace shapescope;

namespace {

constexpr int kTimeout = 20000;

std::unique_ptr<MainWindow> makeWindow()
{
    auto window = std::make_unique<MainWindow>(std::make_shared<InProcessSession>());
    window->show();
    return window;
}

// Ready with a result computed for `spec`.
bool readyWith(MainWindow& window, const LossSpec& spec)
{
    auto* workspace = test::part<Workspace>(window, "workspace");
    return QTest::qWaitFor(
        [&] {
            return workspace->state() == Workspace::State::Ready && workspace->result() &&
                   workspace->result()->spec == spec;
        },
        kTimeout);
}

void typeInto(QAbstractSpinBox* box, const QString& text)
{
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, text);
}

LossSpec ignoring(qint64 index)
{
    LossSpec spec = guessingSpec(); // the dock's kind stays "Guess from the dump"
    spec.ignoreIndex = index;
    return spec;
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void init() { QSettings().clear(); }
    void resetRecomputes_data();
    void resetRecomputes();
    void reloadAppliesASettlingEdit();
    void settingsBelongToTheirFile();
    void rolesSurviveAFormEdit();
    void keyboard();
};

void TestSettings::resetRecomputes_data()
{
    QTest::addColumn<bool>("thenReload");
    QTest::addRow("dock button") << false;
    QTest::addRow("F5 after reset") << true;
}

void TestSettings::resetRecomputes()
{
    QFETCH(bool, thenReload);
    auto window = makeWindow();
    auto* dock = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    window->openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QVERIFY(readyWith(*window, guessingSpec()));
    typeInto(dock->smoothingBox(), QStringLiteral("0.1"));
    LossSpec smoothed = guessingSpec();
    smoothed.labelSmoothing = 0.1;
    QVERIFY(readyWith(*window, smoothed));

    QSignalSpy specs(dock, &LossSettingsDock::specChanged);
    test::part<QPushButton>(*dock, "resetLossSettings")->click();
    QCOMPARE(specs.count(), 1);
    QCOMPARE(dock->smoothingBox()->value(), 0.0);
    QVERIFY(readyWith(*window, guessingSpec()));
    QCOMPARE(workspace->spec(), guessingSpec());
    if (thenReload) {
        test::part<MainActions>(*window, "mainActions")->reload->trigger();
        QVERIFY(readyWith(*window, guessingSpec()));
    }
    // Nothing of the old settings reaches the next file.
    window->openFile(test::dumpPath(QStringLiteral("nll_basic.h5")));
    QVERIFY(readyWith(*window, guessingSpec()));
}

void TestSettings::reloadAppliesASettlingEdit()
{
    auto window = makeWindow();
    auto* dock = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    window->openFile(test::dumpPath(QStringLiteral("seg_ignore_255.h5")));
    QVERIFY(readyWith(*window, guessingSpec()));
    typeInto(dock->ignoreIndexBox(), QStringLiteral("255"));
    // F5 at once, before typing settles: the reload uses what the form shows.
    test::part<MainActions>(*window, "mainActions")->reload->trigger();
    QVERIFY(readyWith(*window, ignoring(255)));
    QCOMPARE(test::part<Workspace>(*window, "workspace")->result()->count(Severity::Error), 0);
}

void TestSettings::settingsBelongToTheirFile()
{
    const QString seg = test::dumpPath(QStringLiteral("seg_ignore_255.h5"));
    const QString other = test::dumpPath(QStringLiteral("ce_basic.h5"));
    auto window = makeWindow();
    auto* dock = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    auto* note = test::part<SettingsNote>(*window, "settingsNote");
    window->openFile(seg);
    QVERIFY(readyWith(*window, guessingSpec()));
    QVERIFY(note->isHidden());
    typeInto(dock->ignoreIndexBox(), QStringLiteral("255"));
    QVERIFY(readyWith(*window, ignoring(255)));
    QVERIFY(note->isHidden()); // chosen just now, not restored

    // Another file starts from the defaults: no false "target out of bounds" from 255.
    window->openFile(other);
    QVERIFY(readyWith(*window, guessingSpec()));
    QCOMPARE(dock->ignoreIndexBox()->value(), -100);
    QVERIFY(note->isHidden());
    QCOMPARE(workspace->result()->count(Severity::Error), 0);

    // Reopened, the file gets its settings back, and the window says so.
    window->openFile(seg);
    QVERIFY(readyWith(*window, ignoring(255)));
    QCOMPARE(dock->ignoreIndexBox()->value(), 255);
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("ignore_index=255")));
    QCOMPARE(workspace->result()->count(Severity::Error), 0);

    // Also after a restart.
    window.reset();
    window = makeWindow();
    note = test::part<SettingsNote>(*window, "settingsNote");
    dock = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    window->openFile(seg);
    QVERIFY(readyWith(*window, ignoring(255)));
    QVERIFY(note->isVisible());

    // One click back to the defaults, which re-runs the analysis.
    note->resetButton()->click();
    QVERIFY(readyWith(*window, guessingSpec()));
    QVERIFY(note->isHidden());
    QCOMPARE(dock->ignoreIndexBox()->value(), -100);
    QCOMPARE(test::part<Workspace>(*window, "workspace")->result()->count(Severity::Error), 1);
}

// A role chosen in the dump tree is part of the one spec: the next edit in the loss settings
// keeps it (the dock's spec used to lack the roles and dropped them).
void TestSettings::rolesSurviveAFormEdit()
{
    auto window = makeWindow();
    auto* dock = test::part<LossSettingsDock>(*window, "lossSettingsDock");
    auto* workspace = test::part<Workspace>(*window, "workspace");
    window->openFile(test::dumpPath(QStringLiteral("seg_ignore_255.h5")));
    QVERIFY(readyWith(*window, guessingSpec()));
    const QString target =
        workspace->summary().tensors.at(size_t(workspace->result()->pairs.at(0).targetTensor)).path;
    LossSpec withRole = guessingSpec();
    withRole.roles.push_back({target, TensorRole::Target});
    Q_EMIT test::part<DumpTreeDock>(*window, "dumpTreeDock")
        ->tensorRoleChosen(target, TensorRole::Target);
    QVERIFY(readyWith(*window, withRole));

    typeInto(dock->ignoreIndexBox(), QStringLiteral("255"));
    withRole.ignoreIndex = 255;
    QVERIFY(readyWith(*window, withRole));
    QCOMPARE(workspace->spec(), withRole);
    // And a choice in a combo box (applied at once) keeps it too.
    dock->ignoreIndexBox()->setValue(-100);
    dock->applyPending();
    withRole.ignoreIndex = -100;
    QVERIFY(readyWith(*window, withRole));
}

// Tab leaves every read-only table (it used to cycle cell by cell in the attributes table), and
// Help lists the shortcuts, read from the actions.
void TestSettings::keyboard()
{
    auto window = makeWindow();
    window->openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QVERIFY(readyWith(*window, guessingSpec()));
    const QList<QTableView*> tables = window->findChildren<QTableView*>();
    QVERIFY(tables.size() >= 4);
    for (QTableView* table : tables)
        QVERIFY2(!table->tabKeyNavigation(), qPrintable(table->objectName()));
    test::part<MainActions>(*window, "mainActions")->keyboardShortcuts->trigger();
    auto* dialog = test::part<ShortcutsDialog>(*window, "shortcutsDialog");
    QStringList names;
    for (int row = 0; row < dialog->table()->rowCount(); ++row)
        names << dialog->table()->item(row, 0)->text() + QLatin1Char('=') +
                     dialog->table()->item(row, 1)->text();
    QVERIFY2(names.contains(QStringLiteral("Reload=F5")), qPrintable(names.join(u',')));
    QVERIFY2(names.contains(QStringLiteral("Next Diagnostic=F8")), qPrintable(names.join(u',')));
    dialog->close();
}

QTEST_MAIN(TestSettings)
#include "tst_gui_settings.moc"
