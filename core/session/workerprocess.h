// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "workerprotocol.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QStringList>
#include <memory>
#include <sys/types.h>

namespace shapescope::worker {

// One worker process as the client sees it: started with posix_spawn, its standard input and
// output one end of a socket pair (so a write to a dead worker fails with EPIPE instead of
// raising SIGPIPE in the GUI), its standard error drained into a bounded tail. Every wait is
// poll() with a deadline, so it works in any thread, without an event loop, and one object may
// be used by one thread after another (QProcess cannot: its notifiers belong to one thread).
// Not thread-safe: one caller at a time.
class WorkerProcess
{
public:
    // `environment` entries ("NAME=value") are added to this process's environment.
    static Expected<std::unique_ptr<WorkerProcess>>
    start(const QString& program, const QStringList& arguments, const QStringList& environment);
    ~WorkerProcess(); // ends the worker (input closed, then SIGKILL) and reaps it

    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    qint64 pid() const { return m_pid; }

    // False when the worker is gone or the deadline passed before the frame was written.
    bool send(FrameType type, quint32 requestId, const QByteArray& payload,
              QDeadlineTimer deadline);

    enum class Wait
    {
        Frame,         // *frame holds the next frame
        Timeout,       // nothing complete before the deadline
        Closed,        // the worker closed its output: it exited or is exiting
        ProtocolError, // its output is not a frame stream; *error says why
    };
    Wait waitForFrame(QDeadlineTimer deadline, Frame* frame, QString* error);
    // Part of a frame has arrived and the rest is on its way (a large reply in transit).
    bool receiving() const { return m_decoder.pendingBytes() > 0; }
    // Whether anything arrived since the last call (for the watchdog: bytes are a sign of life
    // only while a large frame is in transit).
    bool takeReceivedBytes();
    // Nothing unexpected is pending and the worker has not exited: safe to hand a new request.
    bool idleAndAlive();

    // SIGKILL and reap.
    void kill();
    // After Wait::Closed: waits up to `waitMs` for the exit status and describes it:
    // "SIGSEGV, segmentation fault", "exit status 3". Kills it if it does not exit in time.
    QString exitDescription(int waitMs);
    // The last few KiB the worker wrote to its standard error.
    QByteArray stderrTail() const { return m_stderrTail; }

private:
    WorkerProcess() = default;
    void drainStderr();
    bool reap(int waitMs);

    pid_t m_pid = -1;
    int m_socket = -1;
    int m_stderr = -1;
    bool m_reaped = false;
    int m_status = 0;
    bool m_received = false;
    FrameDecoder m_decoder;
    QByteArray m_stderrTail;
};

// "SIGSEGV, segmentation fault", "exit status 3", from a waitpid() status.
QString describeWaitStatus(int status);

} // namespace shapescope::worker
