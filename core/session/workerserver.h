// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inprocesssession.h"
#include "workerprotocol.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace shapescope::worker {

// The worker process's side of the protocol (workerprotocol.h): reads requests from `in`,
// runs each on an InProcessSession in a thread of its own while the main thread goes on
// reading (so a Cancel is seen during a long analysis), and writes progress, heartbeats and
// the reply to `out`. Ends when its input ends or on Shutdown; it never returns to a caller
// that could run static destructors over a library a hostile file may have corrupted, so
// run() ends the process itself.
//
// Test hooks, honoured only when SHAPESCOPE_WORKER_TEST_HOOKS=1 is in the environment: a
// request whose path contains
//   "shapescope-test-crash"      dies of SIGSEGV;
//   "shapescope-test-exit"       exits with status 3;
//   "shapescope-test-hang"       stops making progress forever (heartbeats go on);
//   "shapescope-test-freeze"     stops the whole process (SIGSTOP: no heartbeats either);
//   "shapescope-test-slow-<ms>"  reports progress for <ms> ms (honouring cancel), then runs
//                                the request on the file as named.
class WorkerServer
{
public:
    WorkerServer(int in, int out);
    [[noreturn]] void run();

private:
    void handle(const Frame& frame);
    void startRequest(Frame frame);
    void work(const Frame& frame);
    QByteArray execute(const Frame& frame);
    bool runTestHooks(const QString& path, FrameType type);
    bool send(FrameType type, quint32 requestId, const QByteArray& payload);
    bool reportProgress(quint32 requestId, double fraction, const QString& message);
    void heartbeats();
    [[noreturn]] void finish(int status);

    int m_in;
    int m_out;
    bool m_hooks = false;
    bool m_greeted = false;
    WorkerConfig m_config;
    InProcessSession m_session;

    std::mutex m_writeMutex; // one frame at a time on `out`; also guards m_busy's transitions
    std::atomic<bool> m_busy{false};
    std::atomic<quint32> m_current{0};
    std::atomic<bool> m_cancel{false};
    std::atomic<quint64> m_ticks{0};
    std::atomic<int> m_heartbeatMs{1000};
    std::thread m_worker;

    std::mutex m_progressMutex;
    qint64 m_lastProgressMs = -1;
    QString m_lastProgressMessage;

    std::mutex m_beatMutex;
    std::condition_variable m_beat;
    std::thread m_heartbeat;
};

// `shapescope worker`: moves the protocol off file descriptors 0 and 1 (so a stray printf in
// a library cannot corrupt a frame), applies the startup limits, and serves until the client
// goes. Refuses to run on a terminal.
[[noreturn]] void runWorkerProcess();

} // namespace shapescope::worker
