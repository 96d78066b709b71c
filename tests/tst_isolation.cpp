// SPDX-License-Identifier: GPL-3.0-or-later
// The command line with isolation: every crafted CVE file (../shared/hdf5-cve, skipped when
// absent) ends with exit 0, 1 or 2 within 30 s and never by a signal; a crash or a hang in the
// reader is one clear line naming the file; isolation changes no output.
#include "tst_isolation_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace shapescope::test;

namespace {

QString dump(const QString& name)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/dumps/") + name;
}

// SHAPESCOPE_CVE_DIR in the environment overrides the folder next to the repository.
QString cveDirectory()
{
    const QString overridden = qEnvironmentVariable("SHAPESCOPE_CVE_DIR");
    return QDir::cleanPath(overridden.isEmpty() ? QStringLiteral(SHAPESCOPE_CVE_DIR) : overridden);
}

QString oneLine(const QByteArray& err)
{
    return QString::fromUtf8(err).trimmed();
}

} // namespace

class TestIsolation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void crashIsOneLineNamingTheFile_data();
    void crashIsOneLineNamingTheFile();
    void hangIsStoppedAfterTheTimeout();
    void sameOutputWithoutIsolation_data();
    void sameOutputWithoutIsolation();
    void sessionOptions_data();
    void sessionOptions();
    void workerModeRejectsGarbage();
    void cveFiles();

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_hooks;
};

void TestIsolation::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_hooks = QProcessEnvironment::systemEnvironment();
    m_hooks.insert(QStringLiteral("SHAPESCOPE_WORKER_TEST_HOOKS"), QStringLiteral("1"));
}

void TestIsolation::crashIsOneLineNamingTheFile_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addRow("check") << QStringList{"check"};
    QTest::addRow("check --json") << QStringList{"check", "--json"};
    QTest::addRow("check --metadata-only") << QStringList{"check", "--metadata-only"};
    QTest::addRow("losses") << QStringList{"losses", "--csv", "-"};
}

void TestIsolation::crashIsOneLineNamingTheFile()
{
    QFETCH(QStringList, command);
    const QString file = m_dir.filePath(QStringLiteral("run.shapescope-test-crash.h5"));
    QFile::remove(file);
    QVERIFY(QFile::copy(dump(QStringLiteral("ce_basic.h5")), file));
    const CliRun run = runCli(QStringList{command.front(), file} + command.mid(1), 30000, m_hooks);
    QVERIFY2(run.exitedNormally(), qPrintable(run.describe()));
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(oneLine(run.err),
             QStringLiteral("shapescope: %1: the reader crashed (SIGSEGV, segmentation fault) "
                            "while reading this file; the file is likely damaged or hostile")
                 .arg(file));
    // The hooks live in the worker only: in this process the file is an ordinary dump.
    if (command.front() == QLatin1String("check") && command.size() == 1) {
        const CliRun local =
            runCli(QStringList{QStringLiteral("check"), file, QStringLiteral("--no-isolation")},
                   30000, m_hooks);
        QVERIFY2(local.exitCode == 0, qPrintable(local.describe()));
    }
}

void TestIsolation::hangIsStoppedAfterTheTimeout()
{
    const QString file = m_dir.filePath(QStringLiteral("run.shapescope-test-hang.h5"));
    QFile::remove(file);
    QVERIFY(QFile::copy(dump(QStringLiteral("ce_basic.h5")), file));
    const CliRun run = runCli(
        {QStringLiteral("check"), file, QStringLiteral("--worker-timeout"), QStringLiteral("1.5")},
        30000, m_hooks);
    QVERIFY2(run.exitedNormally(), qPrintable(run.describe()));
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(oneLine(run.err),
             QStringLiteral("shapescope: %1: the reader stopped answering (no progress for 1.5 s) "
                            "and was stopped; the file is likely damaged or hostile")
                 .arg(file));
    QVERIFY2(run.ms >= 1500 && run.ms < 6000, qPrintable(QString::number(run.ms)));
}

void TestIsolation::sameOutputWithoutIsolation_data()
{
    QTest::addColumn<QStringList>("arguments");
    for (const char* name : {"ce_basic.h5", "batch_32_vs_64.h5", "bce_kdim.npz", "folder_pair",
                             "run_ragged.h5", "seg_ignore_255.h5", "target_out_of_range.h5"}) {
        const QString file = dump(QString::fromLatin1(name));
        QTest::addRow("check %s", name) << QStringList{"check", file};
        QTest::addRow("check --json %s", name) << QStringList{"check", file, "--json"};
        QTest::addRow("losses %s", name) << QStringList{"losses", file, "--csv", "-"};
    }
    QTest::addRow("missing file") << QStringList{"check", "/nonexistent/run.h5"};
    QTest::addRow("not a dump") << QStringList{
        "check", QStringLiteral(SHAPESCOPE_TEST_DATA "/gen_dumps.py")};
    QTest::addRow("weight tensor")
        << QStringList{"check", dump("weight_tensor.h5"), "--weight", "/class_weight"};
}

void TestIsolation::sameOutputWithoutIsolation()
{
    QFETCH(QStringList, arguments);
    const CliRun isolated = runCli(arguments, 60000);
    const CliRun local = runCli(arguments + QStringList{QStringLiteral("--no-isolation")}, 60000);
    QVERIFY2(isolated.exitedNormally(), qPrintable(isolated.describe()));
    QCOMPARE(isolated.exitCode, local.exitCode);
    QCOMPARE(isolated.out, local.out);
    QCOMPARE(isolated.err, local.err);
}

void TestIsolation::sessionOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("timeout zero") << QStringList{"--worker-timeout", "0"} << 2
                                  << "--worker-timeout needs a positive number of seconds";
    QTest::addRow("timeout text") << QStringList{"--worker-timeout", "soon"} << 2
                                  << "--worker-timeout needs a positive number of seconds";
    QTest::addRow("timeout fraction") << QStringList{"--worker-timeout", "0.5"} << 0 << "";
    QTest::addRow("plugins") << QStringList{"--hdf5-plugins"} << 0 << "";
    QTest::addRow("plugins in process")
        << QStringList{"--hdf5-plugins", "--no-isolation"} << 0 << "";
}

void TestIsolation::sessionOptions()
{
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CliRun run = runCli(
        QStringList{QStringLiteral("check"), dump(QStringLiteral("ce_basic.h5"))} + options, 30000);
    QVERIFY2(run.exitedNormally(), qPrintable(run.describe()));
    QCOMPARE(run.exitCode, exitCode);
    if (!message.isEmpty())
        QCOMPARE(oneLine(run.err), QStringLiteral("shapescope: ") + message);
}

void TestIsolation::workerModeRejectsGarbage()
{
    // What a worker reads is frames from its own client; anything else ends it at once.
    QProcess worker;
    worker.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), {QStringLiteral("worker")});
    QVERIFY(worker.waitForStarted());
    worker.write("this is not a frame, and it is longer than a frame header\n");
    QVERIFY(worker.waitForFinished(10000));
    QCOMPARE(worker.exitStatus(), QProcess::NormalExit);
    QCOMPARE(worker.exitCode(), 4);
    QVERIFY(worker.readAllStandardOutput().isEmpty());
    QVERIFY(worker.readAllStandardError().contains("bad frame magic"));

    QProcess idle;
    idle.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), {QStringLiteral("worker")});
    QVERIFY(idle.waitForStarted());
    idle.closeWriteChannel();
    QVERIFY(idle.waitForFinished(10000));
    QCOMPARE(idle.exitCode(), 0);
}

void TestIsolation::cveFiles()
{
    const QDir dir(cveDirectory());
    if (!dir.exists())
        QSKIP(qPrintable(QStringLiteral("%1 is absent").arg(dir.path())));
    const QStringList names = dir.entryList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name);
    QVERIFY(!names.isEmpty());
    QList<QStringList> commands;
    for (const QString& name : names)
        commands << QStringList{QStringLiteral("check"), dir.filePath(name)};
    QElapsedTimer timer;
    timer.start();
    const QList<CliRun> runs = runAll(commands, 4, 30000);
    const qint64 total = timer.elapsed();

    int exits[3] = {0, 0, 0}, crashed = 0, stopped = 0;
    qint64 slowest = 0;
    QString slowestFile;
    QStringList failures;
    for (const CliRun& run : runs) {
        const QString file = run.arguments.at(1);
        if (run.ms > slowest) {
            slowest = run.ms;
            slowestFile = QFileInfo(file).fileName();
        }
        if (!run.exitedNormally() || run.exitCode < 0 || run.exitCode > 2) {
            failures << run.describe();
            continue;
        }
        ++exits[run.exitCode];
        if (run.exitCode == 2) {
            const QString message = oneLine(run.err);
            if (!message.startsWith(QStringLiteral("shapescope: ") + file + QStringLiteral(": ")) ||
                message.contains(QLatin1Char('\n')))
                failures << QStringLiteral("unclear message: ") + run.describe();
        }
        crashed += run.readerCrashed() ? 1 : 0;
        stopped += run.readerStopped() ? 1 : 0;
        if (run.readerCrashed() || run.readerStopped())
            qInfo("%s", qPrintable(oneLine(run.err)));
    }
    qInfo("%lld CVE files in %.1f s (4 at a time): exit 0: %d, exit 1: %d, exit 2: %d; reader "
          "crashes contained: %d, hangs contained: %d; slowest %.1f s (%s)",
          qlonglong(runs.size()), double(total) / 1000, exits[0], exits[1], exits[2], crashed,
          stopped, double(slowest) / 1000, qPrintable(slowestFile));
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestIsolation)
#include "tst_isolation.moc"
