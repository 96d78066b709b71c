// SPDX-License-Identifier: GPL-3.0-or-later
// Watching a run while it writes: a Python writer (h5py) appends a batch every 200 ms to the
// dump the window shows. The writer must never fail to open the file (no lock held by the
// viewer), and each batch must be on screen within 1 s of being written.
#include "dumptree/dumptreedock.h"
#include "dumptree/dumptreemodel.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/dumpwatcher.h"
#include "window/mainactions.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <map>

using namespace shapescope;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

bool hasH5py()
{
    QProcess probe;
    probe.start(kPython, {QStringLiteral("-c"), QStringLiteral("import h5py, numpy")});
    return probe.waitForFinished(30000) && probe.exitStatus() == QProcess::NormalExit &&
           probe.exitCode() == 0;
}

QString batchPath(int step)
{
    return QStringLiteral("/batch_%1/logits").arg(step, 4, 10, QLatin1Char('0'));
}

} // namespace

class TestWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        test::quietOffscreenPlatform();
    }
    void showsEachBatchOfAWritingRun();
};

void TestWatch::showsEachBatchOfAWritingRun()
{
    if (!hasH5py())
        QSKIP("needs /usr/bin/python3 with h5py and numpy");
    constexpr int kBatches = 12;
    constexpr qint64 kLatencyMs = 1000;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("run.h5"));
    const QString writerScript = QFINDTESTDATA("data/watch/append_batches.py");
    QVERIFY(!writerScript.isEmpty());

    // The first batch exists before the window opens the file.
    QProcess first;
    first.start(kPython, {writerScript, path, QStringLiteral("0"), QStringLiteral("1"),
                          QStringLiteral("0")});
    QVERIFY(first.waitForFinished(30000));
    QCOMPARE(first.exitCode(), 0);

    MainWindow window(std::make_shared<InProcessSession>());
    window.show();
    auto* workspace = test::part<Workspace>(window, "workspace");
    auto* tree = test::part<DumpTreeDock>(window, "dumpTreeDock");
    test::part<MainActions>(window, "mainActions")->watch->setChecked(true);
    window.openFile(path);
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready, 20000);
    QVERIFY(tree->model()->indexOfPath(batchPath(0)).isValid());

    QElapsedTimer clock;
    clock.start();
    std::map<int, qint64> written; // batch -> when the writer reported it on disk
    std::map<int, qint64> shown;   // batch -> when the tree first showed it
    QProcess writer;
    writer.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&writer, &QProcess::readyReadStandardOutput, this, [&] {
        while (writer.canReadLine()) {
            const int step = writer.readLine().trimmed().toInt();
            written.emplace(step, clock.elapsed());
        }
    });
    connect(workspace, &Workspace::dumpOpened, this, [&] {
        for (int step = 0; step <= kBatches; ++step) {
            if (tree->model()->indexOfPath(batchPath(step)).isValid())
                shown.emplace(step, clock.elapsed());
        }
    });
    writer.start(kPython, {writerScript, path, QStringLiteral("1"), QString::number(kBatches),
                           QStringLiteral("0.2")});
    QVERIFY(writer.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(writer.state() == QProcess::NotRunning, 60000);
    QVERIFY2(writer.exitStatus() == QProcess::NormalExit && writer.exitCode() == 0,
             writer.readAllStandardError().constData());
    QCOMPARE(int(written.size()), kBatches);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count(kBatches) == 1, 5000);
    for (const auto& [step, at] : written) {
        QVERIFY2(shown.count(step), qPrintable(QStringLiteral("batch %1 never shown").arg(step)));
        const qint64 latency = shown.at(step) - at;
        QVERIFY2(latency <= kLatencyMs,
                 qPrintable(QStringLiteral("batch %1 shown after %2 ms").arg(step).arg(latency)));
    }
}

QTEST_MAIN(TestWatch)
#include "tst_gui_watch.moc"
