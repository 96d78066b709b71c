#include "workersession.h"

#include "wireformat.h"
#include "workerlimits.h"
#include "workerprocess.h"
#include "workerprotocol.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>

namespace shapescope {

using namespace worker;

namespace {

Q_LOGGING_CATEGORY(lcWorker, "shapescope.worker", QtWarningMsg)

// How often a caller's progress callback is asked whether to cancel when the worker has
// nothing new to say.
constexpr qint64 cancelPollMs = 200;
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
    std::vector<std::unique_ptr<WorkerProcess>> idle;
    {
        QMutexLocker lock(&m_mutex);
        idle.swap(m_idle);
    }
    for (auto& process : idle)
        process->send(FrameType::Shutdown, 0, {}, QDeadlineTimer(100));
    idle.clear(); // each closes its worker's input and reaps it
}

Expected<DumpSummary> WorkerSession::open(const QString& path)
{
    return call<DumpSummary>(FrameType::Open, encodePath(path), path, {}, "dump summary");
}

Expected<std::vector<TensorInfo>> WorkerSession::listTensors(const QString& path)
{
    return call<std::vector<TensorInfo>>(FrameType::ListTensors, encodePath(path), path, {},
                                         "tensor list");
}

Expected<AnalysisResult> WorkerSession::analyze(const AnalyzeRequest& request,
                                                const ProgressCallback& progress)
{
    return call<AnalysisResult>(FrameType::Analyze, wire::encode(request), request.path, progress,
                                "analysis result");
}

Expected<SliceResult> WorkerSession::readSlice(const SliceRequest& request)
{
    return call<SliceResult>(FrameType::ReadSlice, wire::encode(request), request.path, {},
                             "slice");
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
                                const ProgressCallback& progress, const char* what)
{
    {
        QMutexLocker lock(&m_mutex);
        while (m_busy >= m_options.maxWorkers)
            m_workerFree.wait(&m_mutex);
        ++m_busy;
    }
    std::unique_ptr<WorkerProcess> process;
    auto release = qScopeGuard([&] {
        QMutexLocker lock(&m_mutex);
        --m_busy;
        if (process)
            std::erase(m_busyPids, process->pid());
        m_workerFree.wakeOne();
        // A worker still held here failed; it is killed outside the lock.
        lock.unlock();
        process.reset();
    });
    auto discard = [&] {
        {
            QMutexLocker lock(&m_mutex);
            std::erase(m_busyPids, process->pid());
        }
        process.reset();
    };

    const quint32 id = m_nextRequest++;
    const int timeoutMs = m_options.timeoutMs;
    for (int attempt = 0;; ++attempt) {
        bool reused = false;
        Expected<std::unique_ptr<WorkerProcess>> taken = takeWorker(&reused);
        if (!taken) {
            return Error{
                QStringLiteral("%1: cannot start the reader process: %2").arg(path, taken.error())};
        }
        process = std::move(taken).value();
        {
            QMutexLocker lock(&m_mutex);
            m_busyPids.push_back(process->pid());
            m_peakBusy = std::max(m_peakBusy, int(m_busyPids.size()));
        }
        if (process->send(type, id, payload, QDeadlineTimer(timeoutMs)))
            break;
        // An idle worker that died since its last request has not seen this one: retry once.
        if (reused && attempt == 0) {
            discard();
            continue;
        }
        const QString how = process->exitDescription(1000);
        logWorkerOutput("did not take a request", path, *process);
        return Error{crashedError(path, how)};
    }

    QElapsedTimer sinceProgress, sincePoll, sinceCancel;
    sinceProgress.start();
    sincePoll.start();
    quint64 ticks = 0;
    bool beating = false;
    double fraction = 0;
    QString message = QStringLiteral("Opening %1").arg(QFileInfo(path).fileName());
    bool cancelling = false;
    auto askToContinue = [&] {
        sincePoll.restart();
        if (!progress || cancelling || progress(fraction, message))
            return;
        cancelling = true;
        sinceCancel.start();
        process->send(FrameType::Cancel, id, {}, QDeadlineTimer(100));
    };

    for (;;) {
        qint64 waitMs = timeoutMs - sinceProgress.elapsed();
        if (progress && !cancelling)
            waitMs = std::min(waitMs, cancelPollMs - sincePoll.elapsed());
        if (cancelling)
            waitMs = std::min<qint64>(waitMs, m_options.cancelGraceMs - sinceCancel.elapsed());
        Frame frame;
        QString error;
        const WorkerProcess::Wait wait =
            process->waitForFrame(QDeadlineTimer(std::max<qint64>(0, waitMs)), &frame, &error);
        // Bytes of a large reply in transit are progress too.
        if (process->takeReceivedBytes() && process->receiving())
            sinceProgress.restart();

        switch (wait) {
        case WorkerProcess::Wait::Frame:
            if (frame.requestId != id) {
                // Progress or a heartbeat of an earlier request may trail its reply.
                if (frame.type == FrameType::Progress || frame.type == FrameType::Heartbeat)
                    continue;
                error = QStringLiteral("%1 for request %2 during request %3")
                            .arg(frameTypeName(frame.type))
                            .arg(frame.requestId)
                            .arg(id);
                break;
            }
            if (frame.type == FrameType::Progress) {
                const Expected<ProgressMessage> report = decodeProgress(frame.payload);
                if (!report) {
                    error = report.error();
                    break;
                }
                fraction = report->fraction;
                message = report->message;
                sinceProgress.restart();
                askToContinue();
                continue;
            }
            if (frame.type == FrameType::Heartbeat) {
                const Expected<HeartbeatMessage> beat = decodeHeartbeat(frame.payload);
                if (!beat) {
                    error = beat.error();
                    break;
                }
                beating = true;
                if (beat->ticks != ticks) {
                    ticks = beat->ticks;
                    sinceProgress.restart();
                }
                continue;
            }
            if (frame.type == replyTypeFor(type)) {
                bool malformed = false;
                Expected<T> result = decodeReply<T>(frame.payload, what, &malformed);
                if (malformed) {
                    error = result.error();
                    break;
                }
                // A read error may come from a library the file has left in a bad state.
                const bool reusable = result.ok() || result.error() == cancelledMessage();
                {
                    QMutexLocker lock(&m_mutex);
                    std::erase(m_busyPids, process->pid());
                }
                returnWorker(std::move(process), reusable);
                if (cancelling)
                    return Error{cancelledMessage()};
                return result;
            }
            error = QStringLiteral("unexpected %1").arg(frameTypeName(frame.type));
            break;
        case WorkerProcess::Wait::Timeout:
            break;
        case WorkerProcess::Wait::Closed: {
            const QString how = process->exitDescription(2000);
            logWorkerOutput(qPrintable(QStringLiteral("ended (%1)").arg(how)), path, *process);
            discard();
            if (cancelling)
                return Error{cancelledMessage()};
            return Error{crashedError(path, how)};
        }
        case WorkerProcess::Wait::ProtocolError:
            break;
        }
        if (!error.isEmpty()) {
            process->kill();
            logWorkerOutput(qPrintable(QStringLiteral("sent %1").arg(error)), path, *process);
            discard();
            return Error{malformedError(path, error)};
        }
        if (cancelling && sinceCancel.elapsed() >= m_options.cancelGraceMs) {
            process->kill();
            logWorkerOutput("did not stop when cancelled", path, *process);
            discard();
            return Error{cancelledMessage()};
        }
        if (sinceProgress.elapsed() >= timeoutMs) {
            process->kill();
            logWorkerOutput(beating ? "made no progress (its heartbeats went on)"
                                    : "sent nothing at all",
                            path, *process);
            discard();
            return Error{stoppedAnsweringError(path, timeoutMs)};
        }
        if (progress && !cancelling && sincePoll.elapsed() >= cancelPollMs)
            askToContinue();
    }
}

Expected<std::unique_ptr<WorkerProcess>> WorkerSession::takeWorker(bool* reused)
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

Expected<std::unique_ptr<WorkerProcess>> WorkerSession::startWorker()
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

void WorkerSession::returnWorker(std::unique_ptr<WorkerProcess> process, bool reusable)
{
    if (reusable) {
        QMutexLocker lock(&m_mutex);
        if (int(m_idle.size()) < m_options.maxIdleWorkers) {
            m_idle.push_back(std::move(process));
            return;
        }
    }
    process.reset(); // outside the lock: it may wait for the worker to exit
}

} // namespace shapescope
