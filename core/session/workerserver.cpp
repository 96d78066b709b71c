// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerserver.h"

#include "formats/hdf5reader.h"
#include "formats/hdf5systemfilters.h"
#include "wireformat.h"
#include "workerlimits.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <new>
#include <unistd.h>

namespace shapescope::worker {

namespace {

constexpr int progressIntervalMs = 100;

qint64 monotonicMs()
{
    static QElapsedTimer clock;
    static std::once_flag started;
    std::call_once(started, [] { clock.start(); });
    return clock.elapsed();
}

QString pathOf(const Frame& frame)
{
    switch (frame.type) {
    case FrameType::Open:
    case FrameType::ListTensors: {
        const Expected<QString> path = decodePath(frame.payload);
        return path ? *path : QString();
    }
    case FrameType::Analyze: {
        const auto request = wire::decode<AnalyzeRequest>(frame.payload, "analyze request");
        return request ? request->path : QString();
    }
    case FrameType::ReadSlice: {
        const auto request = wire::decode<SliceRequest>(frame.payload, "slice request");
        return request ? request->path : QString();
    }
    case FrameType::ElementLosses: {
        const auto request =
            wire::decode<ElementLossRequest>(frame.payload, "element losses request");
        return request ? request->path : QString();
    }
    case FrameType::Confusion: {
        const auto request = wire::decode<ConfusionRequest>(frame.payload, "confusion request");
        return request ? request->path : QString();
    }
    default:
        return {};
    }
}

} // namespace

WorkerServer::WorkerServer(int in, int out)
    : m_in(in), m_out(out),
      m_hooks(qEnvironmentVariable("SHAPESCOPE_WORKER_TEST_HOOKS") == QLatin1String("1"))
{}

void WorkerServer::run()
{
    m_heartbeat = std::thread([this] { heartbeats(); });
    FrameDecoder decoder;
    std::vector<char> buffer(size_t(1) << 16);
    for (;;) {
        const ssize_t got = ::read(m_in, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            finish(0); // the client is gone: nobody wants the result
        decoder.append(buffer.data(), got);
        for (;;) {
            Expected<std::optional<Frame>> frame = decoder.next();
            if (!frame) {
                std::fprintf(stderr, "shapescope worker: %s\n", qPrintable(frame.error()));
                finish(4);
            }
            if (!*frame)
                break;
            handle(**frame);
        }
    }
}

void WorkerServer::finish(int status)
{
    // _exit: no static destructors, no atexit handlers (HDF5 registers one) over state that a
    // hostile file may have damaged, and no waiting for a work thread stuck in a reader.
    ::_exit(status);
}

void WorkerServer::handle(const Frame& frame)
{
    switch (frame.type) {
    case FrameType::Hello: {
        Expected<HelloMessage> hello = decodeHello(frame.payload);
        HelloReplyMessage reply;
        reply.pid = ::getpid();
        if (!hello) {
            reply.error = hello.error();
        } else if (hello->version != protocolVersion) {
            reply.error = QStringLiteral("the worker speaks protocol version %1, not %2")
                              .arg(protocolVersion)
                              .arg(hello->version);
        } else {
            m_config = hello->config;
            m_config.heartbeatMs = std::clamp(m_config.heartbeatMs, 20, 60000);
            m_heartbeatMs = m_config.heartbeatMs;
            Hdf5Reader::setPluginLoading(m_config.hdf5Plugins);
            // Only the listed filters, only from libhdf5's system plugin directory: loaded
            // whatever the files ask for, before any file is opened.
            registerSystemFilters();
            // A failure leaves the worker as it was, still isolated; it is not worth refusing.
            limitAddressSpace(m_config.addressSpaceBytes);
            m_greeted = true;
        }
        send(FrameType::HelloReply, frame.requestId, encodeHelloReply(reply));
        if (!reply.error.isEmpty())
            finish(3);
        m_beat.notify_all(); // the heartbeat interval may have changed
        return;
    }
    case FrameType::Open:
    case FrameType::ListTensors:
    case FrameType::Analyze:
    case FrameType::ReadSlice:
    case FrameType::ElementLosses:
    case FrameType::Confusion:
        if (!m_greeted) {
            send(*replyTypeFor(frame.type), frame.requestId,
                 encodeErrorReply(Error{QStringLiteral("the worker was not greeted")}));
        } else if (m_busy) {
            send(
                *replyTypeFor(frame.type), frame.requestId,
                encodeErrorReply(Error{QStringLiteral("the worker is busy with another request")}));
        } else {
            startRequest(frame);
        }
        return;
    case FrameType::Cancel:
        if (m_busy && m_current == frame.requestId)
            m_cancel = true;
        return;
    case FrameType::Shutdown:
        finish(0);
    default:
        std::fprintf(stderr, "shapescope worker: unexpected %s frame\n",
                     qPrintable(frameTypeName(frame.type)));
        finish(4);
    }
}

void WorkerServer::startRequest(Frame frame)
{
    if (m_worker.joinable())
        m_worker.join(); // finished: m_busy was false
    {
        std::lock_guard lock(m_progressMutex);
        m_lastProgressMs = -1;
        m_lastProgressMessage.clear();
    }
    m_cancel = false;
    m_ticks = 0;
    m_current = frame.requestId;
    m_busy = true;
    m_beat.notify_all();
    m_worker = std::thread([this, frame = std::move(frame)] { work(frame); });
}

void WorkerServer::work(const Frame& frame)
{
    limitCpuTimeFromNow(m_config.cpuSecondsPerRequest);
    QByteArray reply;
    try {
        reply = execute(frame);
    } catch (const std::bad_alloc&) {
        reply = encodeErrorReply(
            Error{QStringLiteral("%1: reading it needs more memory than the reader may use")
                      .arg(pathOf(frame))});
    } catch (const std::exception& e) {
        reply = encodeErrorReply(
            Error{QStringLiteral("%1: %2").arg(pathOf(frame), QString::fromLocal8Bit(e.what()))});
    }
    std::lock_guard lock(m_writeMutex);
    // Idle before the reply leaves, so the client's next request never finds the worker busy;
    // under the write lock, so no heartbeat of this request follows its reply. The main thread
    // joins this thread before it starts the next request.
    m_busy = false;
    if (!writeFrame(m_out, *replyTypeFor(frame.type), frame.requestId, reply))
        finish(0);
}

QByteArray WorkerServer::execute(const Frame& frame)
{
    const quint32 id = frame.requestId;
    switch (frame.type) {
    case FrameType::Open:
    case FrameType::ListTensors: {
        Expected<QString> path = decodePath(frame.payload);
        if (!path)
            return encodeErrorReply(path.failure());
        if (!runTestHooks(*path, frame.type))
            return encodeErrorReply(Error::cancelled());
        Expected<DumpSummary> dump = m_session.open(*path);
        if (frame.type == FrameType::Open)
            return encodeReply(dump);
        if (!dump)
            return encodeErrorReply(dump.failure());
        return encodeReply(Expected<std::vector<TensorInfo>>(std::move(dump->tensors)));
    }
    case FrameType::Analyze: {
        auto request = wire::decode<AnalyzeRequest>(frame.payload, "analyze request");
        if (!request)
            return encodeErrorReply(request.failure());
        if (!runTestHooks(request->path, frame.type))
            return encodeErrorReply(Error::cancelled());
        return encodeReply(
            m_session.analyze(*request, [this, id](double fraction, const QString& message) {
                return reportProgress(id, fraction, message);
            }));
    }
    case FrameType::ReadSlice: {
        auto request = wire::decode<SliceRequest>(frame.payload, "slice request");
        if (!request)
            return encodeErrorReply(request.failure());
        if (!runTestHooks(request->path, frame.type))
            return encodeErrorReply(Error::cancelled());
        return encodeReply(m_session.readSlice(*request));
    }
    case FrameType::ElementLosses: {
        auto request = wire::decode<ElementLossRequest>(frame.payload, "element losses request");
        if (!request)
            return encodeErrorReply(request.failure());
        if (!runTestHooks(request->path, frame.type))
            return encodeErrorReply(Error::cancelled());
        return encodeReply(m_session.elementLosses(*request));
    }
    case FrameType::Confusion: {
        auto request = wire::decode<ConfusionRequest>(frame.payload, "confusion request");
        if (!request)
            return encodeErrorReply(request.failure());
        if (!runTestHooks(request->path, frame.type))
            return encodeErrorReply(Error::cancelled());
        return encodeReply(
            m_session.confusion(*request, [this, id](double fraction, const QString& message) {
                return reportProgress(id, fraction, message);
            }));
    }
    default:
        return encodeErrorReply(Error{QStringLiteral("not a request")});
    }
}

bool WorkerServer::runTestHooks(const QString& path, FrameType type)
{
    if (!m_hooks)
        return true;
    if (path.contains(QLatin1String("shapescope-test-crash"))) {
        // The default action, so that a sanitizer's handler does not turn it into an abort.
        std::signal(SIGSEGV, SIG_DFL);
        std::raise(SIGSEGV);
    }
    if (path.contains(QLatin1String("shapescope-test-exit")))
        ::_exit(3);
    if (path.contains(QLatin1String("shapescope-test-freeze")))
        std::raise(SIGSTOP);
    if (path.contains(QLatin1String("shapescope-test-hang"))) {
        for (;;)
            std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    static const QRegularExpression slow(QStringLiteral("shapescope-test-slow-(\\d+)"));
    const QRegularExpressionMatch match = slow.match(path);
    if (match.hasMatch()) {
        const qint64 duration = match.captured(1).toLongLong();
        const qint64 start = monotonicMs();
        for (qint64 now = start; now - start < duration; now = monotonicMs()) {
            if (type == FrameType::Analyze &&
                !reportProgress(m_current, 0.5 * double(now - start) / double(duration),
                                QStringLiteral("Waiting (test hook)")))
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    return true;
}

bool WorkerServer::send(FrameType type, quint32 requestId, const QByteArray& payload)
{
    std::lock_guard lock(m_writeMutex);
    if (!writeFrame(m_out, type, requestId, payload))
        finish(0);
    return true;
}

bool WorkerServer::reportProgress(quint32 requestId, double fraction, const QString& message)
{
    ++m_ticks;
    bool due = false;
    {
        std::lock_guard lock(m_progressMutex);
        const qint64 now = monotonicMs();
        due = m_lastProgressMs < 0 || now - m_lastProgressMs >= progressIntervalMs ||
              message != m_lastProgressMessage;
        if (due) {
            m_lastProgressMs = now;
            m_lastProgressMessage = message;
        }
    }
    if (due)
        send(FrameType::Progress, requestId, encodeProgress(ProgressMessage{fraction, message}));
    return !m_cancel;
}

void WorkerServer::heartbeats()
{
    std::unique_lock lock(m_beatMutex);
    for (;;) {
        m_beat.wait_for(lock, std::chrono::milliseconds(m_heartbeatMs.load()));
        std::lock_guard write(m_writeMutex);
        if (!m_busy)
            continue;
        if (!writeFrame(m_out, FrameType::Heartbeat, m_current,
                        encodeHeartbeat(HeartbeatMessage{m_ticks})))
            finish(0);
    }
}

void runWorkerProcess()
{
    if (::isatty(STDIN_FILENO)) {
        std::fprintf(stderr, "shapescope worker: ShapeScope starts this itself to read files in "
                             "an isolated process; it speaks a binary protocol on its standard "
                             "input and output.\n");
        ::_exit(2);
    }
    // A vanished client is seen as a failed write, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    const int in = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    const int out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (in < 0 || out < 0)
        ::_exit(2);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::close(null);
    }
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    // Failures (no /proc, a container that forbids a limit) leave the process isolated anyway.
    applyWorkerStartupLimits();
    WorkerServer server(in, out);
    server.run();
}

} // namespace shapescope::worker
