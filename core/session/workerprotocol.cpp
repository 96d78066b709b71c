// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerprotocol.h"

#include "wireformat.h"

#include <QtEndian>
#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace shapescope::worker {

// The protocol's own messages, listed for wire::Writer and wire::Reader (see wirefields.h). In
// this namespace, not an anonymous one, so that the visitors find them by argument lookup.

void fields(auto& v, wire::Like<WorkerConfig> auto& s)
{
    v(s.hdf5Plugins, s.heartbeatMs, s.addressSpaceBytes, s.cpuSecondsPerRequest);
}

void fields(auto& v, wire::Like<HelloMessage> auto& s)
{
    v(s.version, s.config);
}

void fields(auto& v, wire::Like<HelloReplyMessage> auto& s)
{
    v(s.version, s.pid, s.error);
}

void fields(auto& v, wire::Like<ProgressMessage> auto& s)
{
    v(s.fraction, s.message);
}

void fields(auto& v, wire::Like<HeartbeatMessage> auto& s)
{
    v(s.ticks);
}

namespace {

template <typename T> Expected<T> decodeMessage(const QByteArray& bytes, const char* what)
{
    QDataStream stream(bytes);
    wire::beginStream(stream);
    T value{};
    wire::get(stream, value);
    if (stream.status() != QDataStream::Ok || !stream.atEnd())
        return Error{QStringLiteral("malformed %1 message").arg(QLatin1String(what))};
    return value;
}

} // namespace

bool isKnownFrameType(quint16 type)
{
    switch (static_cast<FrameType>(type)) {
    case FrameType::Hello:
    case FrameType::HelloReply:
    case FrameType::Open:
    case FrameType::ListTensors:
    case FrameType::Analyze:
    case FrameType::ReadSlice:
    case FrameType::Cancel:
    case FrameType::Shutdown:
    case FrameType::Progress:
    case FrameType::Heartbeat:
    case FrameType::OpenReply:
    case FrameType::ListTensorsReply:
    case FrameType::AnalyzeReply:
    case FrameType::ReadSliceReply:
    case FrameType::ElementLosses:
    case FrameType::ElementLossesReply:
    case FrameType::Confusion:
    case FrameType::ConfusionReply:
        return true;
    }
    return false;
}

QString frameTypeName(FrameType type)
{
    switch (type) {
    case FrameType::Hello:
        return QStringLiteral("Hello");
    case FrameType::HelloReply:
        return QStringLiteral("HelloReply");
    case FrameType::Open:
        return QStringLiteral("Open");
    case FrameType::ListTensors:
        return QStringLiteral("ListTensors");
    case FrameType::Analyze:
        return QStringLiteral("Analyze");
    case FrameType::ReadSlice:
        return QStringLiteral("ReadSlice");
    case FrameType::Cancel:
        return QStringLiteral("Cancel");
    case FrameType::Shutdown:
        return QStringLiteral("Shutdown");
    case FrameType::Progress:
        return QStringLiteral("Progress");
    case FrameType::Heartbeat:
        return QStringLiteral("Heartbeat");
    case FrameType::OpenReply:
        return QStringLiteral("OpenReply");
    case FrameType::ListTensorsReply:
        return QStringLiteral("ListTensorsReply");
    case FrameType::AnalyzeReply:
        return QStringLiteral("AnalyzeReply");
    case FrameType::ReadSliceReply:
        return QStringLiteral("ReadSliceReply");
    case FrameType::ElementLosses:
        return QStringLiteral("ElementLosses");
    case FrameType::ElementLossesReply:
        return QStringLiteral("ElementLossesReply");
    case FrameType::Confusion:
        return QStringLiteral("Confusion");
    case FrameType::ConfusionReply:
        return QStringLiteral("ConfusionReply");
    }
    return QStringLiteral("frame type %1").arg(static_cast<int>(type));
}

std::optional<FrameType> replyTypeFor(FrameType request)
{
    switch (request) {
    case FrameType::Open:
        return FrameType::OpenReply;
    case FrameType::ListTensors:
        return FrameType::ListTensorsReply;
    case FrameType::Analyze:
        return FrameType::AnalyzeReply;
    case FrameType::ReadSlice:
        return FrameType::ReadSliceReply;
    case FrameType::ElementLosses:
        return FrameType::ElementLossesReply;
    case FrameType::Confusion:
        return FrameType::ConfusionReply;
    default:
        return std::nullopt;
    }
}

QByteArray encodeFrameHeader(FrameType type, quint32 requestId, qint64 payloadSize)
{
    QByteArray header(frameHeaderSize, Qt::Uninitialized);
    uchar* p = reinterpret_cast<uchar*>(header.data());
    qToLittleEndian<quint32>(frameMagic, p);
    qToLittleEndian<quint16>(static_cast<quint16>(type), p + 4);
    qToLittleEndian<quint16>(0, p + 6);
    qToLittleEndian<quint32>(requestId, p + 8);
    qToLittleEndian<quint64>(static_cast<quint64>(payloadSize), p + 12);
    return header;
}

QByteArray encodeFrame(const Frame& frame)
{
    return encodeFrameHeader(frame.type, frame.requestId, frame.payload.size()) + frame.payload;
}

void FrameDecoder::append(const char* data, qint64 size)
{
    if (failed() || size <= 0)
        return;
    // Drop consumed bytes once they dominate, so a long stream does not grow the buffer.
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data, size);
}

Expected<std::optional<Frame>> FrameDecoder::next()
{
    if (failed())
        return Error{m_error};
    if (pendingBytes() < frameHeaderSize)
        return std::optional<Frame>();
    const uchar* p = reinterpret_cast<const uchar*>(m_buffer.constData() + m_offset);
    const quint32 magic = qFromLittleEndian<quint32>(p);
    const quint16 type = qFromLittleEndian<quint16>(p + 4);
    const quint16 reserved = qFromLittleEndian<quint16>(p + 6);
    const quint32 requestId = qFromLittleEndian<quint32>(p + 8);
    const quint64 size = qFromLittleEndian<quint64>(p + 12);
    if (magic != frameMagic)
        m_error = QStringLiteral("bad frame magic 0x%1").arg(magic, 8, 16, QLatin1Char('0'));
    else if (!isKnownFrameType(type))
        m_error = QStringLiteral("unknown frame type %1").arg(type);
    else if (reserved != 0)
        m_error = QStringLiteral("bad frame header");
    else if (size > quint64(maxPayloadSize))
        m_error = QStringLiteral("frame of %1 bytes is larger than any message").arg(size);
    if (failed())
        return Error{m_error};
    if (pendingBytes() - frameHeaderSize < qint64(size))
        return std::optional<Frame>();
    Frame frame;
    frame.type = static_cast<FrameType>(type);
    frame.requestId = requestId;
    frame.payload = m_buffer.mid(m_offset + frameHeaderSize, qsizetype(size));
    m_offset += frameHeaderSize + qint64(size);
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    return std::optional<Frame>(std::move(frame));
}

QByteArray encodeHello(const HelloMessage& message)
{
    return wire::encode(message);
}

Expected<HelloMessage> decodeHello(const QByteArray& payload)
{
    return decodeMessage<HelloMessage>(payload, "Hello");
}

QByteArray encodeHelloReply(const HelloReplyMessage& message)
{
    return wire::encode(message);
}

Expected<HelloReplyMessage> decodeHelloReply(const QByteArray& payload)
{
    return decodeMessage<HelloReplyMessage>(payload, "HelloReply");
}

QByteArray encodeProgress(const ProgressMessage& message)
{
    return wire::encode(message);
}

Expected<ProgressMessage> decodeProgress(const QByteArray& payload)
{
    return decodeMessage<ProgressMessage>(payload, "Progress");
}

QByteArray encodeHeartbeat(const HeartbeatMessage& message)
{
    return wire::encode(message);
}

Expected<HeartbeatMessage> decodeHeartbeat(const QByteArray& payload)
{
    return decodeMessage<HeartbeatMessage>(payload, "Heartbeat");
}

QByteArray encodePath(const QString& path)
{
    return wire::encode(path);
}

Expected<QString> decodePath(const QByteArray& payload)
{
    return wire::decode<QString>(payload, "path");
}

QByteArray encodeErrorReply(const Error& error)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    wire::beginStream(stream);
    stream << false << error.message << static_cast<quint8>(error.kind);
    return bytes;
}

template <typename T> QByteArray encodeReply(const Expected<T>& result)
{
    if (!result)
        return encodeErrorReply(result.failure());
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    wire::beginStream(stream);
    stream << true;
    wire::put(stream, result.value());
    return bytes;
}

template <typename T>
Expected<T> decodeReply(const QByteArray& payload, const char* what, bool* malformed)
{
    QDataStream stream(payload);
    wire::beginStream(stream);
    bool ok = false;
    stream >> ok;
    if (malformed)
        *malformed = false;
    if (!ok) {
        Error error;
        wire::get(stream, error.message);
        quint8 kind = 0;
        stream >> kind;
        error.kind = static_cast<Error::Kind>(kind);
        if (stream.status() == QDataStream::Ok && stream.atEnd() && !error.message.isEmpty() &&
            kind < Error::kindCount)
            return error;
    } else {
        T value{};
        wire::get(stream, value);
        if (stream.status() == QDataStream::Ok && stream.atEnd())
            return value;
    }
    if (malformed)
        *malformed = true;
    return Error{
        QStringLiteral("malformed %1 (%2 bytes)").arg(QLatin1String(what)).arg(payload.size())};
}

template QByteArray encodeReply(const Expected<DumpSummary>&);
template QByteArray encodeReply(const Expected<std::vector<TensorInfo>>&);
template QByteArray encodeReply(const Expected<AnalysisResult>&);
template QByteArray encodeReply(const Expected<SliceResult>&);
template QByteArray encodeReply(const Expected<ElementLossResult>&);
template QByteArray encodeReply(const Expected<ConfusionMatrix>&);
template Expected<DumpSummary> decodeReply(const QByteArray&, const char*, bool*);
template Expected<std::vector<TensorInfo>> decodeReply(const QByteArray&, const char*, bool*);
template Expected<AnalysisResult> decodeReply(const QByteArray&, const char*, bool*);
template Expected<SliceResult> decodeReply(const QByteArray&, const char*, bool*);
template Expected<ElementLossResult> decodeReply(const QByteArray&, const char*, bool*);
template Expected<ConfusionMatrix> decodeReply(const QByteArray&, const char*, bool*);

bool writeFrame(int fd, FrameType type, quint32 requestId, const QByteArray& payload,
                QDeadlineTimer deadline)
{
    const QByteArray header = encodeFrameHeader(type, requestId, payload.size());
    iovec parts[2] = {{const_cast<char*>(header.constData()), size_t(header.size())},
                      {const_cast<char*>(payload.constData()), size_t(payload.size())}};
    int first = 0;
    const int count = payload.isEmpty() ? 1 : 2;
    while (first < count) {
        msghdr message{};
        message.msg_iov = parts + first;
        message.msg_iovlen = size_t(count - first);
        // MSG_NOSIGNAL: a vanished reader is an error here, not a SIGPIPE.
        ssize_t written = sendmsg(fd, &message, MSG_NOSIGNAL);
        if (written < 0 && errno == ENOTSOCK)
            written = writev(fd, parts + first, count - first);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return false;
            const qint64 remaining = deadline.remainingTime(); // -1: forever
            if (remaining == 0)
                return false;
            pollfd ready{fd, POLLOUT, 0};
            if (::poll(&ready, 1, int(std::min<qint64>(remaining, 1 << 30))) < 0 && errno != EINTR)
                return false;
            if (ready.revents & (POLLERR | POLLHUP))
                return false;
            continue;
        }
        size_t left = size_t(written);
        while (first < count && left >= parts[first].iov_len) {
            left -= parts[first].iov_len;
            ++first;
        }
        if (first < count) {
            parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
            parts[first].iov_len -= left;
        }
    }
    return true;
}

} // namespace shapescope::worker
