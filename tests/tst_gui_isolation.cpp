// SPDX-License-Identifier: GPL-3.0-or-later
// The main window reading through worker processes (WorkerSession), as `shapescope` runs it:
// a file that crashes or hangs the reader shows a banner naming it, the window keeps answering,
// and the next file opens in a fresh worker. Crashes come from the CVE collection when it is
// present, and always from the worker's test hooks (a file named *.shapescope-test-crash.h5).
#include "dumptree/dumptreedock.h"
#include "dumptree/dumptreemodel.h"
#include "session/workersession.h"
#include "state/workspace.h"
#include "tst_gui_support.h"
#include "window/errorbanner.h"
#include "window/mainwindow.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <csignal>

using namespace shapescope;

namespace {

constexpr int kTimeout = 30000;

QString cveDirectory()
{
    const QString overridden = qEnvironmentVariable("SHAPESCOPE_CVE_DIR");
    return QDir::cleanPath(overridden.isEmpty() ? QStringLiteral(SHAPESCOPE_CVE_DIR) : overridden);
}

std::shared_ptr<WorkerSession> workerSession(int timeoutMs = 15000)
{
    WorkerOptions options;
    options.program = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    options.timeoutMs = timeoutMs;
    return std::make_shared<WorkerSession>(options);
}

// True when the event loop ran a zero-delay timer within `ms`: the window still answers.
bool eventLoopAnswers(int ms)
{
    bool ran = false;
    QTimer::singleShot(0, [&] { ran = true; });
    return QTest::qWaitFor([&] { return ran; }, ms);
}

} // namespace

class TestGuiIsolation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void crashingFileThenGoodFile_data();
    void crashingFileThenGoodFile();
    void hangingFileIsStopped();
    void closingDuringAHangReturnsAtOnce();

private:
    QTemporaryDir m_dir;
};

void TestGuiIsolation::initTestCase()
{
    test::isolateSettings();
    test::quietOffscreenPlatform();
    QVERIFY(m_dir.isValid());
    // The hooks act in the worker processes this test starts, never in this process.
    qputenv("SHAPESCOPE_WORKER_TEST_HOOKS", "1");
}

void TestGuiIsolation::crashingFileThenGoodFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("signal");
    const QString hooked = m_dir.filePath(QStringLiteral("dump.shapescope-test-crash.h5"));
    QFile::remove(hooked);
    QVERIFY(QFile::copy(test::dumpPath(QStringLiteral("ce_basic.h5")), hooked));
    QTest::addRow("test hook") << hooked << QStringLiteral("SIGSEGV");
    // Debian 12's libhdf5 1.10.8 dies on these (a null read, an abort in an assertion). Under
    // AddressSanitizer the null read is caught and reported, and the worker aborts
    // (ASAN_OPTIONS=abort_on_error=1 in the asan preset).
#ifdef SHAPESCOPE_SANITIZED
    const QString nullRead = QStringLiteral("SIGABRT");
#else
    const QString nullRead = QStringLiteral("SIGSEGV");
#endif
    const QDir cves(cveDirectory());
    if (cves.exists(QStringLiteral("cve-2018-11205.h5")))
        QTest::addRow("cve-2018-11205")
            << cves.filePath(QStringLiteral("cve-2018-11205.h5")) << nullRead;
    if (cves.exists(QStringLiteral("cve-2018-13871.h5")))
        QTest::addRow("cve-2018-13871")
            << cves.filePath(QStringLiteral("cve-2018-13871.h5"))
            // an assertion's abort, or a null read once the SWMR fallback reopens the file
            << QStringLiteral("(SIGABRT|SIGSEGV)");
}

void TestGuiIsolation::crashingFileThenGoodFile()
{
    QFETCH(QString, file);
    QFETCH(QString, signal);
    const std::shared_ptr<WorkerSession> session = workerSession();
    MainWindow window(session);
    auto* workspace = test::part<Workspace>(window, "workspace");
    auto* tree = test::part<DumpTreeDock>(window, "dumpTreeDock");
    window.show();
    window.openFile(test::dumpPath(QStringLiteral("nll_basic.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(workspace->state() == Workspace::State::Ready, kTimeout);
    const int workersBefore = session->workersStarted();

    window.openFile(file);
    QTRY_VERIFY_WITH_TIMEOUT(test::part<ErrorBanner>(window, "errorBanner")->isVisible(), kTimeout);
    const QString shown = test::part<ErrorBanner>(window, "errorBanner")->title() +
                          QLatin1Char(' ') +
                          test::part<ErrorBanner>(window, "errorBanner")->message();
    QVERIFY2(shown.contains(QFileInfo(file).fileName()), qPrintable(shown));
    QVERIFY2(shown.contains(QRegularExpression(QStringLiteral("the reader crashed \\(") + signal)),
             qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("damaged or hostile")), qPrintable(shown));
    QVERIFY(eventLoopAnswers(1000));
    QVERIFY(window.isVisible());
    // A crash while opening keeps the dump open before; a crash in the analysis (the metadata
    // was read) leaves the file's tensors listed, the analysis marked failed.
    const Workspace::State state = workspace->state();
    if (workspace->path() == file)
        QCOMPARE(state, Workspace::State::Failed);
    else
        QVERIFY(state == Workspace::State::Ready &&
                workspace->path().endsWith(QLatin1String("nll_basic.h5")));

    // A good file opens afterwards, in a fresh worker, and the banner goes.
    window.openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(workspace->path().endsWith(QLatin1String("ce_basic.h5")) &&
                                 workspace->state() == Workspace::State::Ready,
                             kTimeout);
    QVERIFY(!test::part<ErrorBanner>(window, "errorBanner")->isVisible());
    QVERIFY(tree->model()->indexOfPath(QStringLiteral("/logits")).isValid());
    QVERIFY2(session->workersStarted() > workersBefore,
             qPrintable(QString::number(session->workersStarted())));
}

void TestGuiIsolation::hangingFileIsStopped()
{
    const QString file = m_dir.filePath(QStringLiteral("dump.shapescope-test-hang.h5"));
    QFile::remove(file);
    QVERIFY(QFile::copy(test::dumpPath(QStringLiteral("ce_basic.h5")), file));
    MainWindow window(workerSession(1500));
    auto* banner = test::part<ErrorBanner>(window, "errorBanner");
    auto* workspace = test::part<Workspace>(window, "workspace");
    window.show();
    window.openFile(file);
    // While the worker hangs the window answers; after the timeout it says what happened.
    QVERIFY(eventLoopAnswers(1000));
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kTimeout);
    const QString shown = banner->title() + QLatin1Char(' ') + banner->message();
    QVERIFY2(shown.contains(QStringLiteral("the reader stopped answering")), qPrintable(shown));
    window.openFile(test::dumpPath(QStringLiteral("ce_basic.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(workspace->path().endsWith(QLatin1String("ce_basic.h5")) &&
                                 workspace->state() == Workspace::State::Ready,
                             kTimeout);
}

void TestGuiIsolation::closingDuringAHangReturnsAtOnce()
{
    const QString file = m_dir.filePath(QStringLiteral("close.shapescope-test-hang.h5"));
    QFile::remove(file);
    QVERIFY(QFile::copy(test::dumpPath(QStringLiteral("ce_basic.h5")), file));
    // The watchdog would take 15 s; closing must not wait for it.
    const std::shared_ptr<WorkerSession> session = workerSession(15000);
    auto window = std::make_unique<MainWindow>(session);
    window->show();
    window->openFile(file);
    QTRY_VERIFY_WITH_TIMEOUT(session->workerProcessIds().size() == 1, kTimeout);
    const qint64 pid = session->workerProcessIds().front();
    QVERIFY(test::part<Workspace>(*window, "workspace")->isBusy());

    QElapsedTimer timer;
    timer.start();
    window->close();
    window.reset();
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(elapsed < 1000, qPrintable(QString::number(elapsed)));
    QVERIFY(session->workerProcessIds().empty());
    QVERIFY(::kill(pid_t(pid), 0) != 0); // killed and reaped, not left behind
}

QTEST_MAIN(TestGuiIsolation)
#include "tst_gui_isolation.moc"
