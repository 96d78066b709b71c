// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace shapescope::worker {

namespace {

constexpr qint64 stderrTailBytes = 8 << 10;
constexpr size_t readChunk = size_t(256) << 10;

QString systemError(const char* what, int error)
{
    return QStringLiteral("%1: %2").arg(QLatin1String(what),
                                        QString::fromLocal8Bit(std::strerror(error)));
}

// Moves a descriptor to 3 or above, so dup2() onto 0, 1 and 2 in the child cannot clobber it.
bool moveAboveStandard(int& fd)
{
    if (fd > 2)
        return true;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    fd = moved;
    return fd >= 0;
}

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

int pollTimeout(const QDeadlineTimer& deadline)
{
    const qint64 remaining = deadline.remainingTime();
    if (remaining < 0)
        return -1;
    return static_cast<int>(std::min<qint64>(remaining, 1 << 30));
}

// The environment for the child: this process's, with `overrides` ("NAME=value") replacing or
// adding entries.
std::vector<QByteArray> childEnvironment(const QStringList& overrides)
{
    std::vector<QByteArray> entries;
    QList<QByteArray> replaced;
    for (const QString& entry : overrides)
        replaced << entry.toLocal8Bit();
    for (char** e = environ; e && *e; ++e) {
        const QByteArray entry(*e);
        const QByteArray name = entry.left(entry.indexOf('=') + 1);
        const bool overridden =
            std::any_of(replaced.begin(), replaced.end(),
                        [&](const QByteArray& r) { return r.startsWith(name); });
        if (!overridden)
            entries.push_back(entry);
    }
    for (const QByteArray& entry : replaced)
        entries.push_back(entry);
    return entries;
}

} // namespace

QString describeWaitStatus(int status)
{
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* abbreviation = sigabbrev_np(signal);
        QString text = QString::fromLocal8Bit(strsignal(signal));
        if (!text.isEmpty())
            text[0] = text[0].toLower();
        if (!abbreviation)
            return QStringLiteral("signal %1").arg(signal);
        return QStringLiteral("SIG%1, %2").arg(QLatin1String(abbreviation), text);
    }
    if (WIFEXITED(status))
        return QStringLiteral("exit status %1").arg(WEXITSTATUS(status));
    return QStringLiteral("wait status %1").arg(status);
}

Expected<std::unique_ptr<WorkerProcess>> WorkerProcess::start(const QString& program,
                                                              const QStringList& arguments,
                                                              const QStringList& environment)
{
    int channel[2] = {-1, -1};
    int errorPipe[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0)
        return Error{systemError("socketpair", errno)};
    if (::pipe2(errorPipe, O_CLOEXEC) != 0) {
        const int error = errno;
        closeFd(channel[0]);
        closeFd(channel[1]);
        return Error{systemError("pipe", error)};
    }
    auto cleanup = [&] {
        for (int* fd : {&channel[0], &channel[1], &errorPipe[0], &errorPipe[1]})
            closeFd(*fd);
    };
    for (int* fd : {&channel[0], &channel[1], &errorPipe[0], &errorPipe[1]}) {
        if (!moveAboveStandard(*fd)) {
            const int error = errno;
            cleanup();
            return Error{systemError("fcntl", error)};
        }
    }
    // Replies of a few MiB (per-sample losses) then need fewer round trips through poll().
    const int bufferBytes = 4 << 20;
    ::setsockopt(channel[1], SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof bufferBytes);
    ::setsockopt(channel[0], SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, channel[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, channel[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, errorPipe[1], STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors another thread opened without O_CLOEXEC stay out of the worker.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The caller's thread may block signals (Qt's threads do not, but others might) or ignore
    // SIGPIPE; the worker starts with neither.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<QByteArray> argumentBytes{QFile::encodeName(program)};
    for (const QString& argument : arguments)
        argumentBytes.push_back(argument.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& argument : argumentBytes)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> environmentBytes = childEnvironment(environment);
    std::vector<char*> envp;
    for (QByteArray& entry : environmentBytes)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int spawned =
        ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    closeFd(channel[1]);
    closeFd(errorPipe[1]);
    if (spawned != 0) {
        cleanup();
        return Error{
            QStringLiteral("%1: %2").arg(program, QString::fromLocal8Bit(std::strerror(spawned)))};
    }
    ::fcntl(channel[0], F_SETFL, ::fcntl(channel[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(errorPipe[0], F_SETFL, ::fcntl(errorPipe[0], F_GETFL) | O_NONBLOCK);
    std::unique_ptr<WorkerProcess> process(new WorkerProcess);
    process->m_pid = pid;
    process->m_socket = channel[0];
    process->m_stderr = errorPipe[0];
    return process;
}

WorkerProcess::~WorkerProcess()
{
    // Closing its input is the worker's cue to exit; a busy one is killed.
    closeFd(m_socket);
    if (!reap(200))
        kill();
    closeFd(m_stderr);
}

bool WorkerProcess::send(FrameType type, quint32 requestId, const QByteArray& payload,
                         QDeadlineTimer deadline)
{
    return m_socket >= 0 && writeFrame(m_socket, type, requestId, payload, deadline);
}

WorkerProcess::Wait WorkerProcess::waitForFrame(QDeadlineTimer deadline, Frame* frame,
                                                QString* error)
{
    std::vector<char> buffer;
    for (;;) {
        Expected<std::optional<Frame>> next = m_decoder.next();
        if (!next) {
            *error = next.error();
            return Wait::ProtocolError;
        }
        if (*next) {
            *frame = std::move(**next);
            return Wait::Frame;
        }
        if (m_socket < 0)
            return Wait::Closed;
        const int timeout = pollTimeout(deadline);
        pollfd fds[2] = {{m_socket, POLLIN, 0}, {m_stderr, POLLIN, 0}};
        const int ready = ::poll(fds, m_stderr >= 0 ? 2 : 1, timeout);
        if (ready < 0 && errno != EINTR) {
            *error = systemError("poll", errno);
            return Wait::ProtocolError;
        }
        if (ready == 0)
            return Wait::Timeout;
        if (m_stderr >= 0 && fds[1].revents)
            drainStderr();
        if (fds[0].revents == 0)
            continue;
        if (buffer.empty())
            buffer.resize(readChunk);
        for (;;) {
            const ssize_t got = ::read(m_socket, buffer.data(), buffer.size());
            if (got > 0) {
                m_decoder.append(buffer.data(), got);
                m_received = true;
                if (size_t(got) < buffer.size())
                    break;
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            // End of stream, or a reset connection: the worker is gone. Frames already
            // received are still delivered first.
            closeFd(m_socket);
            break;
        }
    }
}

bool WorkerProcess::takeReceivedBytes()
{
    const bool received = m_received;
    m_received = false;
    return received;
}

bool WorkerProcess::idleAndAlive()
{
    if (m_socket < 0 || reap(0))
        return false;
    drainStderr();
    // A late heartbeat is harmless; anything else (or the end of the stream) is not.
    for (;;) {
        Frame frame;
        QString error;
        const Wait wait = waitForFrame(QDeadlineTimer(0), &frame, &error);
        if (wait == Wait::Timeout)
            return true;
        if (wait != Wait::Frame ||
            (frame.type != FrameType::Heartbeat && frame.type != FrameType::Progress))
            return false;
    }
}

void WorkerProcess::kill()
{
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, SIGKILL);
        reap(5000);
    }
    closeFd(m_socket);
}

QString WorkerProcess::exitDescription(int waitMs)
{
    if (!reap(waitMs)) {
        kill();
        return QStringLiteral("closed its output but did not exit");
    }
    return describeWaitStatus(m_status);
}

void WorkerProcess::drainStderr()
{
    char buffer[4096];
    while (m_stderr >= 0) {
        const ssize_t got = ::read(m_stderr, buffer, sizeof buffer);
        if (got > 0) {
            m_stderrTail.append(buffer, got);
            if (m_stderrTail.size() > stderrTailBytes)
                m_stderrTail.remove(0, m_stderrTail.size() - stderrTailBytes);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got == 0)
            closeFd(m_stderr);
        break;
    }
}

bool WorkerProcess::reap(int waitMs)
{
    if (m_pid <= 0 || m_reaped)
        return true;
    QElapsedTimer timer;
    timer.start();
    for (int pause = 1;; pause = std::min(pause * 2, 20)) {
        int status = 0;
        const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
        if (done == m_pid || (done < 0 && errno == ECHILD)) {
            m_reaped = true;
            m_status = status;
            return true;
        }
        if (timer.elapsed() >= waitMs)
            return false;
        QThread::msleep(pause);
    }
}

} // namespace shapescope::worker
