// SPDX-License-Identifier: GPL-3.0-or-later
#include "replywait.h"

#include "workerprocess.h"

#include <algorithm>

namespace shapescope::worker {

namespace {

// How often a caller's progress callback is asked whether to cancel when the worker has
// nothing new to say.
constexpr qint64 cancelPollMs = 200;

} // namespace

ReplyWait::ReplyWait(WorkerProcess& process, quint32 requestId, FrameType replyType,
                     ReplyLimits limits)
    : m_process(process), m_id(requestId), m_replyType(replyType), m_limits(limits)
{}

ReplyWait::Outcome ReplyWait::run(const ProgressCallback& progress, const std::stop_token& stop,
                                  const std::stop_token& sessionStop, const QString& firstMessage)
{
    m_progress = &progress;
    m_stop = &stop;
    m_message = firstMessage;
    m_sinceProgress.start();
    m_sincePoll.start();
    Outcome outcome;
    for (;;) {
        if (sessionStop.stop_requested()) {
            outcome.end = End::SessionStopped;
            break;
        }
        Frame frame;
        QString error;
        const WorkerProcess::Wait wait =
            m_process.waitForFrame(QDeadlineTimer(nextWakeMs()), &frame, &error);
        // Bytes of a large reply in transit are progress too.
        if (m_process.takeReceivedBytes() && m_process.receiving())
            m_sinceProgress.restart();

        if (wait == WorkerProcess::Wait::Frame && handle(frame, &outcome) == Step::Done)
            break;
        if (wait == WorkerProcess::Wait::Closed) {
            outcome.end = End::Closed;
            break;
        }
        if (wait == WorkerProcess::Wait::ProtocolError) {
            outcome.end = End::Malformed;
            outcome.detail = error;
            break;
        }
        if (m_cancelling && m_sinceCancel.elapsed() >= m_limits.cancelGraceMs) {
            outcome.end = End::CancelIgnored;
            break;
        }
        if (m_sinceProgress.elapsed() >= m_limits.timeoutMs) {
            outcome.end = End::Unresponsive;
            break;
        }
        askToContinue(m_sincePoll.elapsed() >= cancelPollMs);
    }
    outcome.cancelled = m_cancelling;
    outcome.heartbeats = m_beating;
    return outcome;
}

ReplyWait::Step ReplyWait::handle(const Frame& frame, Outcome* outcome)
{
    auto malformed = [outcome](QString what) {
        outcome->end = End::Malformed;
        outcome->detail = std::move(what);
        return Step::Done;
    };
    if (frame.requestId != m_id) {
        // Progress or a heartbeat of an earlier request may trail its reply.
        if (frame.type == FrameType::Progress || frame.type == FrameType::Heartbeat)
            return Step::Continue;
        return malformed(QStringLiteral("%1 for request %2 during request %3")
                             .arg(frameTypeName(frame.type))
                             .arg(frame.requestId)
                             .arg(m_id));
    }
    if (frame.type == FrameType::Progress) {
        const Expected<ProgressMessage> report = decodeProgress(frame.payload);
        if (!report)
            return malformed(report.error());
        m_fraction = report->fraction;
        m_message = report->message;
        m_sinceProgress.restart();
        askToContinue(true);
        return Step::Continue;
    }
    if (frame.type == FrameType::Heartbeat) {
        const Expected<HeartbeatMessage> beat = decodeHeartbeat(frame.payload);
        if (!beat)
            return malformed(beat.error());
        m_beating = true;
        if (beat->ticks != m_ticks) {
            m_ticks = beat->ticks;
            m_sinceProgress.restart();
        }
        return Step::Continue;
    }
    if (frame.type != m_replyType)
        return malformed(QStringLiteral("unexpected %1").arg(frameTypeName(frame.type)));
    outcome->end = End::Reply;
    outcome->payload = frame.payload;
    return Step::Done;
}

qint64 ReplyWait::nextWakeMs() const
{
    qint64 waitMs = std::min(stopPollMs, m_limits.timeoutMs - m_sinceProgress.elapsed());
    if (m_cancelling)
        waitMs = std::min<qint64>(waitMs, m_limits.cancelGraceMs - m_sinceCancel.elapsed());
    else if (*m_progress)
        waitMs = std::min(waitMs, cancelPollMs - m_sincePoll.elapsed());
    return std::max<qint64>(0, waitMs);
}

// The caller's stop token is looked at every time; its progress callback when `progressDue`.
void ReplyWait::askToContinue(bool progressDue)
{
    if (m_cancelling)
        return;
    bool goOn = !m_stop->stop_requested();
    if (goOn && progressDue) {
        m_sincePoll.restart();
        goOn = !*m_progress || (*m_progress)(m_fraction, m_message);
    }
    if (goOn)
        return;
    m_cancelling = true;
    m_sinceCancel.start();
    m_process.send(FrameType::Cancel, m_id, {}, QDeadlineTimer(100));
}

} // namespace shapescope::worker
