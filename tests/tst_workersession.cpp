// SPDX-License-Identifier: GPL-3.0-or-later
// WorkerSession against real worker processes (the shapescope executable in worker mode): the
// same results as in this process; a crash, a SIGKILL, a hang and a frozen process each become
// a clear error naming the file, and the next call works in a fresh worker; a long computation
// that reports progress is not a hang; cancel returns promptly; limits are in force.
//
// The worker's test hooks (workerserver.h) stand in for hostile files: this test sets
// SHAPESCOPE_WORKER_TEST_HOOKS=1, which the workers inherit.
#include "formats/hdf5systemfilters.h"
#include "session/inprocesssession.h"
#include "session/wireformat.h"
#include "session/workerlimits.h"
#include "session/workersession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>
#include <atomic>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace shapescope;

namespace {

// The error of a failed Expected, for QVERIFY2's message (evaluated whether or not it failed).
template <typename T> const char* why(const Expected<T>& e)
{
    static thread_local QByteArray text;
    text = e ? QByteArray() : e.error().toUtf8();
    return text.constData();
}

QString dump(const QString& name)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/dumps/") + name;
}

WorkerOptions workerOptions(int timeoutMs = 15000)
{
    WorkerOptions options;
    options.program = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    options.timeoutMs = timeoutMs;
    options.heartbeatMs = 100;
    options.cancelGraceMs = 500;
    return options;
}

bool alive(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0;
}

// /proc/PID/limits line for `name`, e.g. "Max core file size        0    0    bytes".
QString limitLine(qint64 pid, const QString& name)
{
    QFile file(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.startsWith(name.toLatin1()))
            return QString::fromLatin1(line).simplified();
    }
    return {};
}

} // namespace

class TestWorkerSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameAsInProcess_data();
    void sameAsInProcess();
    void readErrorsAsInProcess();
    void idleWorkerReused();
    void freshWorkerAfterReadError();
    void crashNamesTheFile();
    void exitStatusReported();
    void killedMidRequest();
    void hangTimesOut();
    void frozenWorkerTimesOut();
    void longComputationIsNotAHang();
    void cancelDuringAnalysis();
    void cancelOfAStuckReader();
    void stoppingAHang_data();
    void stoppingAHang();
    void concurrentCalls();
    void notAWorker_data();
    void notAWorker();
    void leastPrivilege();
    void workersEndWithTheSession();

private:
    QTemporaryDir m_dir;
    // A copy of a dump whose name triggers a worker test hook.
    QString hooked(const QString& hook, const QString& source = QStringLiteral("ce_basic.h5"));
};

void TestWorkerSession::initTestCase()
{
    qputenv("SHAPESCOPE_WORKER_TEST_HOOKS", "1");
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHAPESCOPE_EXECUTABLE)).isExecutable());
}

QString TestWorkerSession::hooked(const QString& hook, const QString& source)
{
    const QString path = m_dir.filePath(QStringLiteral("%1.%2").arg(hook, source));
    if (!QFile::exists(path))
        QFile::copy(dump(source), path);
    return path;
}

void TestWorkerSession::sameAsInProcess_data()
{
    QTest::addColumn<QString>("file");
    for (const char* name :
         {"ce_basic.h5", "bce_kdim.npz", "folder_pair", "run_nested.h5", "seg_ignore_255.h5",
          "ce_probabilities.npz", "batch_32_vs_64.h5", "weight_tensor.h5"})
        QTest::addRow("%s", name) << dump(QString::fromLatin1(name));
}

void TestWorkerSession::sameAsInProcess()
{
    QFETCH(QString, file);
    WorkerSession isolated(workerOptions());
    InProcessSession local;

    const auto summary = isolated.open(file);
    const auto localSummary = local.open(file);
    QVERIFY2(summary, why(summary));
    QCOMPARE(wire::encode(*summary), wire::encode(*localSummary));
    const auto tensors = isolated.listTensors(file);
    QVERIFY(tensors);
    QCOMPARE(wire::encode(*tensors), wire::encode(localSummary->tensors));

    int reports = 0;
    const AnalyzeRequest request{file, AnalysisOptions{}};
    const auto result = isolated.analyze(request, [&](double, const QString&) {
        ++reports;
        return true;
    });
    const auto localResult = local.analyze(request, {});
    QVERIFY2(result, why(result));
    QCOMPARE(wire::encode(*result), wire::encode(*localResult));
    QVERIFY(reports > 0);

    const TensorInfo& tensor = summary->tensors.front();
    SliceRequest slice{file, tensor.path,
                       Slab::rows(tensor.shape, 0, std::min<qint64>(2, tensor.rowCount()))};
    const auto values = isolated.readSlice(slice);
    const auto localValues = local.readSlice(slice);
    QVERIFY2(values, why(values));
    QCOMPARE(wire::encode(*values), wire::encode(*localValues));
    QCOMPARE(isolated.workersStarted(), 1);
}

void TestWorkerSession::readErrorsAsInProcess()
{
    WorkerSession isolated(workerOptions());
    InProcessSession local;
    for (const QString& file :
         {QStringLiteral("/nonexistent/run.h5"),
          QStringLiteral(SHAPESCOPE_TEST_DATA "/formats/hdf5/truncated.h5"),
          QStringLiteral(SHAPESCOPE_TEST_DATA "/formats/npy/bad_magic.npy")}) {
        const auto got = isolated.open(file);
        const auto want = local.open(file);
        QVERIFY(!got && !want);
        QCOMPARE(got.error(), want.error());
    }
    const auto slice = isolated.readSlice(
        SliceRequest{dump(QStringLiteral("ce_basic.h5")), QStringLiteral("/nothing"), Slab{}});
    QVERIFY(!slice);
    QVERIFY(slice.error().contains(QLatin1String("/nothing")));
}

void TestWorkerSession::idleWorkerReused()
{
    WorkerSession session(workerOptions());
    QVERIFY(session.open(dump(QStringLiteral("ce_basic.h5"))));
    const std::vector<qint64> first = session.workerProcessIds();
    QCOMPARE(first.size(), size_t(1));
    QVERIFY(session.analyze({dump(QStringLiteral("nll_basic.h5")), {}}, {}));
    QCOMPARE(session.workerProcessIds(), first);
    QCOMPARE(session.workersStarted(), 1);
}

void TestWorkerSession::freshWorkerAfterReadError()
{
    // A reader that failed on a file may have left its library in a bad state.
    WorkerSession session(workerOptions());
    QVERIFY(!session.open(QStringLiteral(SHAPESCOPE_TEST_DATA "/formats/hdf5/garbage.h5")));
    QVERIFY(session.open(dump(QStringLiteral("ce_basic.h5"))));
    QCOMPARE(session.workersStarted(), 2);
}

void TestWorkerSession::crashNamesTheFile()
{
    WorkerSession session(workerOptions());
    QVERIFY(session.open(dump(QStringLiteral("ce_basic.h5"))));
    const qint64 before = session.workerProcessIds().front();
    const QString file = hooked(QStringLiteral("shapescope-test-crash"));
    for (int call = 0; call < 3; ++call) {
        const auto result = call == 0 ? session.open(file).ok()
                            : call == 1
                                ? session.analyze({file, {}}, {}).ok()
                                : session.readSlice({file, QStringLiteral("/logits"), {}}).ok();
        QVERIFY(!result);
    }
    const auto result = session.analyze({file, {}}, {});
    QVERIFY(!result);
    QVERIFY2(result.error().startsWith(file + QStringLiteral(": the reader crashed (SIGSEGV")),
             qPrintable(result.error()));
    QVERIFY(result.error().contains(QLatin1String("damaged or hostile")));
    QVERIFY(!result.error().contains(QLatin1Char('\n')));
    QVERIFY(!alive(before));
    // The caller is unaffected and the next file opens in a fresh worker.
    const auto next = session.analyze({dump(QStringLiteral("ce_basic.h5")), {}}, {});
    QVERIFY2(next, why(next));
    QCOMPARE(session.workersStarted(), 5);
}

void TestWorkerSession::exitStatusReported()
{
    WorkerSession session(workerOptions());
    const QString file = hooked(QStringLiteral("shapescope-test-exit"));
    const auto result = session.open(file);
    QVERIFY(!result);
    QVERIFY2(result.error().contains(QLatin1String("crashed (exit status 3)")),
             qPrintable(result.error()));
}

void TestWorkerSession::killedMidRequest()
{
    WorkerSession session(workerOptions());
    const QString file = hooked(QStringLiteral("shapescope-test-slow-20000"));
    std::atomic<bool> started{false};
    QElapsedTimer timer;
    timer.start();
    QFuture<Expected<AnalysisResult>> pending = QtConcurrent::run([&] {
        return session.analyze({file, {}}, [&](double, const QString&) {
            started = true;
            return true;
        });
    });
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 10000);
    const std::vector<qint64> pids = session.workerProcessIds();
    QCOMPARE(pids.size(), size_t(1));
    QVERIFY(::kill(pid_t(pids.front()), SIGKILL) == 0);
    const Expected<AnalysisResult> result = pending.result();
    QVERIFY(!result);
    QVERIFY2(result.error().startsWith(file + QStringLiteral(": the reader crashed (SIGKILL")),
             qPrintable(result.error()));
    QVERIFY(timer.elapsed() < 10000);
    QVERIFY(session.workerProcessIds().empty());
    const auto next = session.analyze({dump(QStringLiteral("ce_basic.h5")), {}}, {});
    QVERIFY2(next, why(next));
    QVERIFY(session.workerProcessIds().front() != pids.front());
}

void TestWorkerSession::hangTimesOut()
{
    WorkerSession session(workerOptions(1000));
    const QString file = hooked(QStringLiteral("shapescope-test-hang"));
    QElapsedTimer timer;
    timer.start();
    const auto result = session.analyze({file, {}}, {});
    const qint64 elapsed = timer.elapsed();
    QVERIFY(!result);
    QVERIFY2(result.error() == file + QStringLiteral(": the reader stopped answering (no progress "
                                                     "for 1 s) and was stopped; the file is likely "
                                                     "damaged or hostile"),
             qPrintable(result.error()));
    // Heartbeats went on all along; they do not count as progress.
    QVERIFY2(elapsed >= 1000 && elapsed < 4000, qPrintable(QString::number(elapsed)));
    QVERIFY(session.workerProcessIds().empty());
    QVERIFY(session.open(dump(QStringLiteral("ce_basic.h5"))));
}

void TestWorkerSession::frozenWorkerTimesOut()
{
    WorkerSession session(workerOptions(1000));
    const QString file = hooked(QStringLiteral("shapescope-test-freeze"));
    QElapsedTimer timer;
    timer.start();
    const auto result = session.readSlice({file, QStringLiteral("/logits"), {}});
    QVERIFY(!result);
    QVERIFY2(result.error().contains(QLatin1String("stopped answering")),
             qPrintable(result.error()));
    QVERIFY(timer.elapsed() < 4000);
    QVERIFY(session.open(dump(QStringLiteral("ce_basic.h5"))));
}

void TestWorkerSession::longComputationIsNotAHang()
{
    // Three seconds of work with a one-second limit: progress keeps the worker alive.
    WorkerSession session(workerOptions(1000));
    const QString file = hooked(QStringLiteral("shapescope-test-slow-3000"));
    const auto result = session.analyze({file, {}}, {});
    QVERIFY2(result, why(result));
    QCOMPARE(result->pairs.size(), size_t(1));
    QVERIFY(result->pairs.front().hasLosses);
}

void TestWorkerSession::cancelDuringAnalysis()
{
    WorkerSession session(workerOptions());
    const QString file = hooked(QStringLiteral("shapescope-test-slow-60000"));
    QElapsedTimer timer;
    timer.start();
    qint64 cancelledAt = -1;
    const auto result = session.analyze({file, {}}, [&](double, const QString&) {
        if (timer.elapsed() < 500)
            return true;
        if (cancelledAt < 0)
            cancelledAt = timer.elapsed();
        return false;
    });
    QVERIFY(!result);
    QVERIFY2(result.isCancelled(), qPrintable(result.error()));
    const qint64 latency = timer.elapsed() - cancelledAt;
    QVERIFY2(latency < 400, qPrintable(QString::number(latency)));
    // The worker stopped by itself, so it is kept.
    QCOMPARE(session.workerProcessIds().size(), size_t(1));
    QVERIFY(session.analyze({dump(QStringLiteral("ce_basic.h5")), {}}, {}));
    QCOMPARE(session.workersStarted(), 1);
}

void TestWorkerSession::cancelOfAStuckReader()
{
    // No progress comes from a reader stuck in a library; the caller is still asked, and a
    // worker that does not stop within the grace period is killed.
    WorkerSession session(workerOptions());
    const QString file = hooked(QStringLiteral("shapescope-test-hang"));
    QElapsedTimer timer;
    timer.start();
    const auto result =
        session.analyze({file, {}}, [&](double, const QString&) { return timer.elapsed() < 300; });
    QVERIFY(!result);
    QVERIFY2(result.isCancelled(), qPrintable(result.error()));
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(session.workerProcessIds().empty());
}

void TestWorkerSession::stoppingAHang_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("how");
    QTest::addColumn<qint64>("withinMs");
    // stop() and the destructor kill at once; a caller's stop token asks first and kills the
    // worker after cancelGraceMs (500 here).
    for (const char* call : {"open", "readSlice", "analyze"}) {
        QTest::addRow("%s, session stopped", call) << call << "stop" << qint64(1000);
        QTest::addRow("%s, session destroyed", call) << call << "destroy" << qint64(1000);
    }
    QTest::addRow("open, stop token") << "open"
                                      << "token" << qint64(1500);
    QTest::addRow("readSlice, stop token") << "readSlice"
                                           << "token" << qint64(1500);
}

void TestWorkerSession::stoppingAHang()
{
    QFETCH(QString, call);
    QFETCH(QString, how);
    QFETCH(qint64, withinMs);
    // The watchdog alone would take 15 s.
    auto session = std::make_unique<WorkerSession>(workerOptions(15000));
    WorkerSession* raw = session.get();
    const QString file = hooked(QStringLiteral("shapescope-test-hang"));
    std::stop_source stop;
    QFuture<Error> pending = QtConcurrent::run([raw, file, call, token = stop.get_token()] {
        auto failure = [](const auto& result) { return result ? Error{} : result.failure(); };
        if (call == QLatin1String("open"))
            return failure(raw->open(file, token));
        if (call == QLatin1String("readSlice"))
            return failure(raw->readSlice({file, QStringLiteral("/logits"), {}}, token));
        return failure(raw->analyze({file, {}}, {}));
    });
    // The worker has the request (and hangs in it).
    QTRY_COMPARE(raw->workerProcessIds().size(), size_t(1));
    const qint64 pid = raw->workerProcessIds().front();

    QElapsedTimer timer;
    timer.start();
    if (how == QLatin1String("stop"))
        raw->stop();
    else if (how == QLatin1String("token"))
        stop.request_stop();
    else
        session.reset(); // returns once the call has left
    const Error error = pending.result();
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(error.isCancelled(), qPrintable(error.message));
    QVERIFY2(elapsed < withinMs, qPrintable(QString::number(elapsed)));
    QVERIFY(!alive(pid));
    if (how == QLatin1String("stop")) {
        // Stopped for good: later calls do not start a worker.
        QVERIFY(raw->open(dump(QStringLiteral("ce_basic.h5"))).isCancelled());
        QCOMPARE(raw->workersStarted(), 1);
    } else if (session) {
        QVERIFY(session->open(dump(QStringLiteral("ce_basic.h5"))));
    }
}

void TestWorkerSession::concurrentCalls()
{
    WorkerSession session(workerOptions());
    InProcessSession local;
    const QStringList files = {
        dump(QStringLiteral("ce_basic.h5")),    dump(QStringLiteral("bce_kdim.npz")),
        dump(QStringLiteral("run_nested.h5")),  dump(QStringLiteral("folder_pair")),
        dump(QStringLiteral("ce_kdim_3d.npz")), dump(QStringLiteral("nll_basic.h5"))};
    QHash<QString, QByteArray> expected;
    for (const QString& file : files)
        expected[file] = wire::encode(*local.analyze({file, {}}, {}));
    QList<int> jobs;
    for (int i = 0; i < 24; ++i)
        jobs << i;
    QThreadPool pool;
    pool.setMaxThreadCount(6);
    const QList<bool> same = QtConcurrent::blockingMapped(&pool, jobs, [&](int i) {
        const QString file = files[i % files.size()];
        const auto result = session.analyze({file, {}}, {});
        return result && wire::encode(*result) == expected[file];
    });
    QVERIFY(!same.contains(false));
    // Idle workers beyond maxIdleWorkers are ended, so more than maxWorkers may have been
    // started over the run; never more than maxWorkers served calls at once.
    QVERIFY2(session.peakBusyWorkers() >= 1 &&
                 session.peakBusyWorkers() <= session.options().maxWorkers,
             qPrintable(QString::number(session.peakBusyWorkers())));
    QVERIFY(session.workersStarted() <= int(jobs.size()));
    QVERIFY(int(session.workerProcessIds().size()) <= session.options().maxIdleWorkers);
}

void TestWorkerSession::notAWorker_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("missing") << "/nonexistent/shapescope" << QStringList{"worker"}
                             << "cannot start the reader process";
    QTest::addRow("exits") << "/bin/false" << QStringList{} << "exited at once (exit status 1)";
    QTest::addRow("echoes") << "/bin/cat" << QStringList{} << "does not speak the worker protocol";
    QTest::addRow("prints") << "/bin/sh"
                            << QStringList{"-c", "echo this is not the worker protocol; sleep 5"}
                            << "does not speak the worker protocol";
}

void TestWorkerSession::notAWorker()
{
    QFETCH(QString, program);
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    WorkerOptions options = workerOptions(2000);
    options.program = program;
    options.arguments = arguments;
    WorkerSession session(options);
    const auto result = session.open(dump(QStringLiteral("ce_basic.h5")));
    QVERIFY(!result);
    QVERIFY2(result.error().contains(mentions), qPrintable(result.error()));
    QVERIFY(result.error().startsWith(dump(QStringLiteral("ce_basic.h5"))));
}

void TestWorkerSession::leastPrivilege()
{
    WorkerOptions options = workerOptions();
    options.addressSpaceBytes = qint64(64) << 30;
    WorkerSession session(options);
    // libhdf5's plugin search stays off in the worker; LZF comes only from the system's
    // plugin directory (tst_hdf5filters).
    const auto storage =
        session.open(QStringLiteral(SHAPESCOPE_TEST_DATA "/formats/hdf5/storage.h5"));
    QVERIFY2(storage, why(storage));
    bool lzfSeen = false;
    for (const TensorInfo& t : storage->tensors) {
        if (t.path == QLatin1String("/lzf")) {
            lzfSeen = true;
            QCOMPARE(t.readable(), QFileInfo::exists(systemFilterDirectory() +
                                                     QStringLiteral("/liblzf_filter.so")));
        }
    }
    QVERIFY(lzfSeen);
    const qint64 pid = session.workerProcessIds().front();
    QCOMPARE(limitLine(pid, QStringLiteral("Max core file size")),
             QStringLiteral("Max core file size 0 0 bytes"));
    QCOMPARE(limitLine(pid, QStringLiteral("Max file size")),
             QStringLiteral("Max file size 0 0 bytes"));
    if (addressSpaceLimitSupported()) {
        QCOMPARE(limitLine(pid, QStringLiteral("Max address space")),
                 QStringLiteral("Max address space %1 %1 bytes").arg(qint64(64) << 30));
    }
    // The CPU budget is set per request.
    QVERIFY(
        limitLine(pid, QStringLiteral("Max cpu time")).startsWith(QLatin1String("Max cpu time 3")));
    QFile oom(QStringLiteral("/proc/%1/oom_score_adj").arg(pid));
    QVERIFY(oom.open(QIODevice::ReadOnly));
    QCOMPARE(oom.readAll().trimmed(), QByteArray("1000"));
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    QVERIFY(status.open(QIODevice::ReadOnly));
    QVERIFY(status.readAll().contains("NoNewPrivs:\t1"));
    QFile environment(QStringLiteral("/proc/%1/environ").arg(pid));
    QVERIFY(environment.open(QIODevice::ReadOnly));
    if (qEnvironmentVariableIsEmpty("HDF5_PLUGIN_PRELOAD"))
        QVERIFY(environment.readAll().split('\0').contains("HDF5_PLUGIN_PRELOAD=::"));
}

void TestWorkerSession::workersEndWithTheSession()
{
    std::vector<qint64> pids;
    {
        WorkerSession session(workerOptions());
        const QString file = hooked(QStringLiteral("shapescope-test-slow-300"));
        QList<int> jobs{0, 1, 2};
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        const QList<bool> ok = QtConcurrent::blockingMapped(&pool, jobs, [&](int) {
            return session.analyze({file, {}}, {}).ok();
        });
        QVERIFY(!ok.contains(false));
        pids = session.workerProcessIds();
        QVERIFY(!pids.empty());
    }
    for (qint64 pid : pids)
        QVERIFY(!alive(pid));
}

QTEST_GUILESS_MAIN(TestWorkerSession)
#include "tst_workersession.moc"
