// SPDX-License-Identifier: GPL-3.0-or-later
#include "workersession.h"

#include "wireformat.h"
#include "workerlimits.h"
#include "workerprocess.h"
#include "workerprotocol.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>

namespace shapescope {

using namespace worker;

namespace {

Q_LOGGING_CATEGORY(lcWorker, "shapescope.worker", QtWarningMsg)

// A worker gets at least this long to start and answer Hello (a sanitizer build is slow).
constexpr int minimumStartMs = 10000;

QString seconds(int ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 3);
}

QString crashedError(const QString& path, const QString& how)
{
    return QStringLiteral("%1: the reader crashed (%2) while reading this file; the file is "
                          "likely damaged or hostile")
        .arg(path, how);
}

QString stoppedAnsweringError(const QString& path, int timeoutMs)
{
    return QStringLiteral("%1: the reader stopped answering (no progress for %2 s) and was "
                          "stopped; the file is likely damaged or hostile")
        .arg(path, seconds(timeoutMs));
}

QString malformedError(const QString& path, const QString& what)
{
    return QStringLiteral("%1: the reader sent a malformed answer (%2) and was stopped; the file "
                          "is likely damaged or hostile")
        .arg(path, what);
}

void logWorkerOutput(const char* what, const QString& path, WorkerProcess& process)
{
    const QByteArray tail = process.stderrTail();
    qCDebug(lcWorker, "worker %lld %s on %s%s%s", process.pid(), what, qPrintable(path),
            tail.isEmpty() ? "" : "; its last output:\n", tail.constData());
}

} // namespace

WorkerSession::WorkerSession(WorkerOptions options) : m_options(std::move(options))
{
    m_options.maxWorkers = std::max(1, m_options.maxWorkers);
    m_options.maxIdleWorkers = std::max(0, m_options.maxIdleWorkers);
    m_options.timeoutMs = std::max(1, m_options.timeoutMs);
    if (m_options.addressSpaceBytes < 0)
        m_options.addressSpaceBytes = defaultAddressSpaceLimit();
}

WorkerSession::~WorkerSession()
{
    stop();
    // The calls still in flight use this object until they leave, which they do at once.
    QMutexLocker lock(&m_mutex);
    while (m_busy > 0)
        m_workerFree.wait(&m_mutex);
}

void WorkerSession::stop()
{
    m_stop.request_stop();
    std::vector<Process> idle;
    {
        QMutexLocker lock(&m_mutex);
        idle.swap(m_idle);
        m_workerFree.wakeAll(); // calls waiting for a slot give up
    }
    for (auto& process : idle)
        process->send(FrameType::Shutdown, 0, {}, QDeadlineTimer(100));
    idle.clear(); // each closes its worker's input and reaps it
}

Expected<DumpSummary> WorkerSession::open(const QString& path, std::stop_token stop)
{
    return call<DumpSummary>(FrameType::Open, encodePath(path), path, {}, stop, "dump summary");
}

Expected<std::vector<TensorInfo>> WorkerSession::listTensors(const QString& path,
                                                             std::stop_token stop)
{
    return call<std::vector<TensorInfo>>(FrameType::ListTensors, encodePath(path), path, {}, stop,
                                         "tensor list");
}

Expected<AnalysisResult> WorkerSession::analyze(const AnalyzeRequest& request,
                                                const ProgressCallback& progress)
{
    return call<AnalysisResult>(FrameType::Analyze, wire::encode(request), request.path, progress,
                                {}, "analysis result");
}

Expected<SliceResult> WorkerSession::readSlice(const SliceRequest& request, std::stop_token stop)
{
    return call<SliceResult>(FrameType::ReadSlice, wire::encode(request), request.path, {}, stop,
                             "slice");
}

Expected<ElementLossResult> WorkerSession::elementLosses(const ElementLossRequest& request,
                                                         std::stop_token stop)
{
    return call<ElementLossResult>(FrameType::ElementLosses, wire::encode(request), request.path,
                                   {}, stop, "element losses");
}

Expected<ConfusionMatrix> WorkerSession::confusion(const ConfusionRequest& request,
                                                   const ProgressCallback& progress)
{
    return call<ConfusionMatrix>(FrameType::Confusion, wire::encode(request), request.path,
                                 progress, {}, "confusion matrix");
}

std::vector<qint64> WorkerSession::workerProcessIds() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<qint64> pids = m_busyPids;
    for (const auto& process : m_idle)
        pids.push_back(process->pid());
    return pids;
}

int WorkerSession::peakBusyWorkers() const
{
    QMutexLocker lock(&m_mutex);
    return m_peakBusy;
}

template <typename T>
Expected<T> WorkerSession::call(FrameType type, const QByteArray& payload, const QString& path,
                                const ProgressCallback& progress, const std::stop_token& stop,
                                const char* what)
{
    if (!acquireSlot(stop))
        return Error::cancelled();
    Process process;
    auto release = qScopeGuard([&] { releaseSlot(std::move(process)); });
    const quint32 id = m_nextRequest++;
    Expected<Process> sent = sendRequest(type, id, payload, path);
    if (!sent)
        return sent.failure();
    process = std::move(sent).value();

    ReplyWait wait(*process, id, *replyTypeFor(type),
                   ReplyLimits{m_options.timeoutMs, m_options.cancelGraceMs});
    const ReplyWait::Outcome outcome =
        wait.run(progress, stop, m_stop.get_token(),
                 QStringLiteral("Opening %1").arg(QFileInfo(path).fileName()));
    if (outcome.end == ReplyWait::End::Reply)
        return takeReply<T>(std::move(process), outcome, path, what);
    return abandon(std::move(process), outcome, path);
}

bool WorkerSession::acquireSlot(const std::stop_token& stop)
{
    QMutexLocker lock(&m_mutex);
    for (;;) {
        if (m_stop.stop_requested() || stop.stop_requested())
            return false;
        if (m_busy < m_options.maxWorkers)
            break;
        // stop() wakes every waiter; a caller's own token is looked at every stopPollMs.
        m_workerFree.wait(&m_mutex, QDeadlineTimer(stopPollMs));
    }
    ++m_busy;
    return true;
}

void WorkerSession::releaseSlot(Process process)
{
    QMutexLocker lock(&m_mutex);
    --m_busy;
    if (process)
        std::erase(m_busyPids, process->pid());
    // All: a destructor waiting for the last call is a waiter too.
    m_workerFree.wakeAll();
    // A worker still held here failed; it is killed outside the lock.
    lock.unlock();
    process.reset();
}

Expected<WorkerSession::Process> WorkerSession::sendRequest(FrameType type, quint32 id,
                                                            const QByteArray& payload,
                                                            const QString& path)
{
    for (int attempt = 0;; ++attempt) {
        bool reused = false;
        Expected<Process> taken = takeWorker(&reused);
        if (!taken) {
            return Error{
                QStringLiteral("%1: cannot start the reader process: %2").arg(path, taken.error())};
        }
        Process process = std::move(taken).value();
        track(process->pid());
        if (process->send(type, id, payload, QDeadlineTimer(m_options.timeoutMs)))
            return process;
        // An idle worker that died since its last request has not seen this one: retry once.
        if (reused && attempt == 0) {
            discard(std::move(process));
            continue;
        }
        const QString how = process->exitDescription(1000);
        logWorkerOutput("did not take a request", path, *process);
        discard(std::move(process));
        return Error{crashedError(path, how)};
    }
}

template <typename T>
Expected<T> WorkerSession::takeReply(Process process, const ReplyWait::Outcome& outcome,
                                     const QString& path, const char* what)
{
    bool malformed = false;
    Expected<T> result = decodeReply<T>(outcome.payload, what, &malformed);
    if (malformed) {
        ReplyWait::Outcome bad = outcome;
        bad.end = ReplyWait::End::Malformed;
        bad.detail = result.error();
        return abandon(std::move(process), bad, path);
    }
    // A read error may come from a library the file has left in a bad state.
    const bool reusable = result.ok() || result.isCancelled();
    {
        QMutexLocker lock(&m_mutex);
        std::erase(m_busyPids, process->pid());
    }
    returnWorker(std::move(process), reusable);
    if (outcome.cancelled)
        return Error::cancelled();
    return result;
}

Error WorkerSession::abandon(Process process, const ReplyWait::Outcome& outcome,
                             const QString& path)
{
    using End = ReplyWait::End;
    Error error = Error::cancelled();
    if (outcome.end == End::Closed) {
        const QString how = process->exitDescription(2000);
        logWorkerOutput(qPrintable(QStringLiteral("ended (%1)").arg(how)), path, *process);
        if (!outcome.cancelled)
            error = Error{crashedError(path, how)};
    } else {
        process->kill();
        switch (outcome.end) {
        case End::Malformed:
            logWorkerOutput(qPrintable(QStringLiteral("sent %1").arg(outcome.detail)), path,
                            *process);
            error = Error{malformedError(path, outcome.detail)};
            break;
        case End::Unresponsive:
            logWorkerOutput(outcome.heartbeats ? "made no progress (its heartbeats went on)"
                                               : "sent nothing at all",
                            path, *process);
            error = Error{stoppedAnsweringError(path, m_options.timeoutMs)};
            break;
        case End::CancelIgnored:
            logWorkerOutput("did not stop when cancelled", path, *process);
            break;
        case End::SessionStopped:
            logWorkerOutput("was stopped with the session", path, *process);
            break;
        case End::Reply:
        case End::Closed:
            break;
        }
    }
    discard(std::move(process));
    return error;
}

void WorkerSession::track(qint64 pid)
{
    QMutexLocker lock(&m_mutex);
    m_busyPids.push_back(pid);
    m_peakBusy = std::max(m_peakBusy, int(m_busyPids.size()));
}

void WorkerSession::discard(Process process)
{
    {
        QMutexLocker lock(&m_mutex);
        std::erase(m_busyPids, process->pid());
    }
    process.reset();
}

Expected<WorkerSession::Process> WorkerSession::takeWorker(bool* reused)
{
    for (;;) {
        std::unique_ptr<WorkerProcess> idle;
        {
            QMutexLocker lock(&m_mutex);
            if (m_idle.empty())
                break;
            idle = std::move(m_idle.back());
            m_idle.pop_back();
        }
        if (idle->idleAndAlive()) {
            *reused = true;
            return idle;
        }
    }
    *reused = false;
    return startWorker();
}

Expected<WorkerSession::Process> WorkerSession::startWorker()
{
    QStringList environment;
    // HDF5 reads this when it starts; "::" turns plugin loading off for good, whatever the
    // worker is later asked (a user who set it keeps their value).
    if (!m_options.hdf5Plugins && qEnvironmentVariableIsEmpty("HDF5_PLUGIN_PRELOAD"))
        environment << QStringLiteral("HDF5_PLUGIN_PRELOAD=::");
    Expected<std::unique_ptr<WorkerProcess>> started =
        WorkerProcess::start(m_options.program, m_options.arguments, environment);
    if (!started)
        return started;
    ++m_started;
    WorkerProcess& process = **started;
    HelloMessage hello;
    hello.config.hdf5Plugins = m_options.hdf5Plugins;
    hello.config.heartbeatMs = m_options.heartbeatMs;
    hello.config.addressSpaceBytes = m_options.addressSpaceBytes;
    hello.config.cpuSecondsPerRequest = m_options.cpuSecondsPerRequest;
    const QDeadlineTimer deadline(std::max(m_options.timeoutMs, minimumStartMs));
    if (!process.send(FrameType::Hello, 0, encodeHello(hello), deadline))
        return Error{QStringLiteral("%1 exited at once (%2)")
                         .arg(m_options.program, process.exitDescription(1000))};
    Frame frame;
    QString error;
    switch (process.waitForFrame(deadline, &frame, &error)) {
    case WorkerProcess::Wait::Frame:
        break;
    case WorkerProcess::Wait::Timeout:
        return Error{QStringLiteral("%1 did not answer").arg(m_options.program)};
    case WorkerProcess::Wait::Closed:
        return Error{QStringLiteral("%1 exited at once (%2)")
                         .arg(m_options.program, process.exitDescription(1000))};
    case WorkerProcess::Wait::ProtocolError:
        return Error{QStringLiteral("%1 does not speak the worker protocol (%2)")
                         .arg(m_options.program, error)};
    }
    if (frame.type != FrameType::HelloReply)
        return Error{
            QStringLiteral("%1 does not speak the worker protocol").arg(m_options.program)};
    const Expected<HelloReplyMessage> reply = decodeHelloReply(frame.payload);
    if (!reply)
        return Error{QStringLiteral("%1: %2").arg(m_options.program, reply.error())};
    if (!reply->error.isEmpty())
        return Error{QStringLiteral("%1: %2").arg(m_options.program, reply->error)};
    if (reply->version != protocolVersion || reply->pid != process.pid()) {
        return Error{QStringLiteral("%1 speaks protocol version %2, not %3")
                         .arg(m_options.program)
                         .arg(reply->version)
                         .arg(protocolVersion)};
    }
    return started;
}

void WorkerSession::returnWorker(Process process, bool reusable)
{
    if (reusable && !m_stop.stop_requested()) {
        QMutexLocker lock(&m_mutex);
        if (int(m_idle.size()) < m_options.maxIdleWorkers) {
            m_idle.push_back(std::move(process));
            return;
        }
    }
    process.reset(); // outside the lock: it may wait for the worker to exit
}

} // namespace shapescope
