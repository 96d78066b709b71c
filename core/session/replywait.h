// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/progress.h"
#include "workerprotocol.h"

#include <QElapsedTimer>
#include <stop_token>

namespace shapescope::worker {

class WorkerProcess;

// How often the stop tokens are looked at while a worker is silent: a closing window waits at
// most about this long before its hanging worker is killed.
inline constexpr qint64 stopPollMs = 50;

// The deadlines that bound one wait for a reply.
struct ReplyLimits
{
    int timeoutMs = 15000;    // no progress for this long: the worker stopped answering
    int cancelGraceMs = 2000; // after a cancel, how long the worker may take to stop itself
};

// Waits for the reply to one request that a worker has taken, and owns every deadline of that
// wait: the watchdog (reset by progress, an advancing heartbeat, or bytes of a large reply in
// transit; never by a heartbeat alone), the caller's cancel (the progress callback is asked
// every cancelPollMs even when the worker has nothing new to say; the caller's stop token is
// the same request), the grace a cancelled worker gets to stop itself, and the session's stop
// token, which ends the wait at once.
//
// It reads frames and sends Cancel, nothing else: what to do with the worker afterwards (keep,
// kill, describe its exit) is the caller's, from the Outcome.
class ReplyWait
{
public:
    enum class End
    {
        Reply,          // the reply frame came; payload holds it
        Closed,         // the worker closed its output (exited, crashed, was killed)
        Malformed,      // it sent something the protocol does not allow; detail says what
        Unresponsive,   // no progress for timeoutMs
        CancelIgnored,  // cancelled, and it did not stop within cancelGraceMs
        SessionStopped, // the session's stop token: the caller must not wait any longer
    };

    struct Outcome
    {
        End end = End::Reply;
        QByteArray payload;
        QString detail;
        bool cancelled = false;  // the caller asked to cancel before the wait ended
        bool heartbeats = false; // the worker sent heartbeats (it lives, but made no progress)
    };

    ReplyWait(WorkerProcess& process, quint32 requestId, FrameType replyType, ReplyLimits limits);

    // `progress` and `stop` are the caller's; `sessionStop` is the session's.
    Outcome run(const ProgressCallback& progress, const std::stop_token& stop,
                const std::stop_token& sessionStop, const QString& firstMessage);

private:
    enum class Step
    {
        Continue,
        Done,
    };
    Step handle(const Frame& frame, Outcome* outcome);
    qint64 nextWakeMs() const;
    void askToContinue(bool progressDue);

    WorkerProcess& m_process;
    const quint32 m_id;
    const FrameType m_replyType;
    const ReplyLimits m_limits;

    const ProgressCallback* m_progress = nullptr;
    const std::stop_token* m_stop = nullptr;
    QElapsedTimer m_sinceProgress;
    QElapsedTimer m_sincePoll;
    QElapsedTimer m_sinceCancel;
    quint64 m_ticks = 0;
    bool m_beating = false;
    bool m_cancelling = false;
    double m_fraction = 0;
    QString m_message;
};

} // namespace shapescope::worker
