// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the shapescope command line many times, a few processes at a time, and sorts the
// outcomes: what the isolation tests need to walk a folder of hostile files quickly.

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <QThreadPool>
#include <QtConcurrent>

namespace shapescope::test {

struct CliRun
{
    QStringList arguments;
    bool finished = false; // within the time limit
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    qint64 ms = 0;
    QByteArray out;
    QByteArray err;

    bool exitedNormally() const { return finished && status == QProcess::NormalExit; }
    // The one-line messages WorkerSession gives for a contained crash or hang.
    bool readerCrashed() const { return err.contains(": the reader crashed ("); }
    bool readerStopped() const { return err.contains(": the reader stopped answering"); }
    QString describe() const
    {
        return QStringLiteral("%1: %2 %3 after %4 ms; stderr: %5")
            .arg(arguments.join(QLatin1Char(' ')), !finished ? QStringLiteral("did not finish")
                                                   : status == QProcess::CrashExit
                                                       ? QStringLiteral("CRASHED (signal)")
                                                       : QStringLiteral("exit"))
            .arg(exitCode)
            .arg(ms)
            .arg(QString::fromUtf8(err.left(4000)));
    }
};

inline CliRun
runCli(const QStringList& arguments, int timeoutMs,
       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    CliRun run;
    run.arguments = arguments;
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    run.finished = process.waitForFinished(timeoutMs);
    run.ms = timer.elapsed();
    if (!run.finished) {
        process.kill();
        process.waitForFinished();
    }
    run.status = process.exitStatus();
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Runs every argument list, `parallel` processes at a time, each with `timeoutMs`.
inline QList<CliRun>
runAll(const QList<QStringList>& argumentLists, int parallel, int timeoutMs,
       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QThreadPool pool;
    pool.setMaxThreadCount(parallel);
    return QtConcurrent::blockingMapped(&pool, argumentLists, [&](const QStringList& arguments) {
        return runCli(arguments, timeoutMs, environment);
    });
}

} // namespace shapescope::test
