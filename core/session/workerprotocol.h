// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QString>
#include <optional>

namespace shapescope::worker {

// The worker protocol: typed, length-prefixed frames over the worker's standard input (requests)
// and standard output (replies, progress, heartbeats).
//
// A frame is a 20-byte little-endian header, then the payload:
//   u32 magic "SSWF" | u16 type | u16 reserved (0) | u32 request id | u64 payload bytes
// Payloads are wire-format (wireformat.h) encodings of the session's structs, or of the small
// messages below. Exchange:
//   client: Hello{version, config}          worker: HelloReply{version, pid} (or error, exits)
//   client: Open|ListTensors|Analyze|ReadSlice|ElementLosses|Confusion (id n)
//   worker: Progress (id n)*, Heartbeat (id n)*, then the matching *Reply (id n)
//   client: Cancel (id n) at any time; the reply is then an error of kind Cancelled
//   client: Shutdown, or closes the worker's input: the worker exits
// A worker serves one request at a time. Heartbeats come every WorkerConfig::heartbeatMs while
// a request runs and carry a counter the work advances each time it reports progress: the
// client's watchdog resets on a Progress frame or an advanced counter, never on a beat alone,
// so a long computation keeps its worker while a reader stuck inside libhdf5 does not.

// 2: an error reply carries the Error's kind after its message.
// 5-6: roles and step flows, the elementwise and CTC loss kinds, DumpFormat::TorchSave and
// DumpFormat::Safetensors.
// 7: ElementLosses (one sample's per-element losses), transforms (AnalysisOptions::transforms,
// AnalysisResult::transforms and errorsBefore, Diagnostic::apply), FlowTensor::batchAxis,
// DType::BFloat16, TensorInfo::storedType, DumpSummary::skipped.
// 8: Confusion (a pair's confusion matrix, ConfusionRequest -> ConfusionMatrix); class names
//    (AnalysisOptions::classNamesFile, PairResult::classNames...); AxisRole::Label (CTC's S).
inline constexpr quint32 protocolVersion = 8;
inline constexpr quint32 frameMagic = 0x46575353; // "SSWF" as little-endian bytes
inline constexpr qint64 frameHeaderSize = 20;
// Larger than any legitimate payload (a 64 Mi-value slice is 512 MiB); a header claiming more
// is garbage.
inline constexpr qint64 maxPayloadSize = qint64(4) << 30;

enum class FrameType : quint16
{
    Hello = 1,
    HelloReply = 2,
    Open = 10,               // payload: QString path
    ListTensors = 11,        // payload: QString path
    Analyze = 12,            // payload: AnalyzeRequest
    ReadSlice = 13,          // payload: SliceRequest
    Cancel = 14,             // empty payload; the id names the request
    Shutdown = 15,           // empty payload
    ElementLosses = 16,      // payload: ElementLossRequest
    Confusion = 17,          // payload: ConfusionRequest
    Progress = 20,           // payload: ProgressMessage
    Heartbeat = 21,          // payload: HeartbeatMessage
    OpenReply = 30,          // payload: reply of DumpSummary
    ListTensorsReply = 31,   // reply of std::vector<TensorInfo>
    AnalyzeReply = 32,       // reply of AnalysisResult
    ReadSliceReply = 33,     // reply of SliceResult
    ElementLossesReply = 34, // reply of ElementLossResult
    ConfusionReply = 35,     // reply of ConfusionMatrix
};

bool isKnownFrameType(quint16 type);
QString frameTypeName(FrameType type); // "Analyze"
// The reply type a request is answered with; nullopt for frames that are not requests.
std::optional<FrameType> replyTypeFor(FrameType request);

struct Frame
{
    FrameType type = FrameType::Hello;
    quint32 requestId = 0;
    QByteArray payload;
};

QByteArray encodeFrameHeader(FrameType type, quint32 requestId, qint64 payloadSize);
QByteArray encodeFrame(const Frame& frame);

// Cuts frames out of a byte stream that arrives in arbitrary pieces. A bad magic, an unknown
// type or an impossible length is an error; after one, the decoder stays failed.
class FrameDecoder
{
public:
    void append(const char* data, qint64 size);
    void append(const QByteArray& bytes) { append(bytes.constData(), bytes.size()); }
    // The next complete frame, nullopt when more bytes are needed, or an error.
    Expected<std::optional<Frame>> next();
    // Bytes of an incomplete frame (non-zero at end of stream means the stream was truncated).
    qint64 pendingBytes() const { return m_buffer.size() - m_offset; }
    bool failed() const { return !m_error.isEmpty(); }

private:
    QByteArray m_buffer;
    qint64 m_offset = 0;
    QString m_error;
};

// What the client asks of a worker once, in Hello.
struct WorkerConfig
{
    bool hdf5Plugins = false; // HDF5 filter plugin loading (off: H5PLset_loading_state(0))
    qint32 heartbeatMs = 1000;
    qint64 addressSpaceBytes = 0;    // RLIMIT_AS; 0 = none (and always none under ASan)
    qint64 cpuSecondsPerRequest = 0; // RLIMIT_CPU budget added per request; 0 = none
};

struct HelloMessage
{
    quint32 version = protocolVersion;
    WorkerConfig config;
};

struct HelloReplyMessage
{
    quint32 version = protocolVersion;
    qint64 pid = 0;
    QString error; // why the worker refuses (a version mismatch); it exits after saying so
};

struct ProgressMessage
{
    double fraction = 0;
    QString message;
};

struct HeartbeatMessage
{
    quint64 ticks = 0; // progress reports the current request has made so far
};

QByteArray encodeHello(const HelloMessage& message);
Expected<HelloMessage> decodeHello(const QByteArray& payload);
QByteArray encodeHelloReply(const HelloReplyMessage& message);
Expected<HelloReplyMessage> decodeHelloReply(const QByteArray& payload);
QByteArray encodeProgress(const ProgressMessage& message);
Expected<ProgressMessage> decodeProgress(const QByteArray& payload);
QByteArray encodeHeartbeat(const HeartbeatMessage& message);
Expected<HeartbeatMessage> decodeHeartbeat(const QByteArray& payload);
QByteArray encodePath(const QString& path);
Expected<QString> decodePath(const QByteArray& payload);

// A reply: a success flag, then the value's encoding or the error (message, then kind).
QByteArray encodeErrorReply(const Error& error);
template <typename T> QByteArray encodeReply(const Expected<T>& result);
// Decodes a reply whose value is a T; a malformed payload is an error with `what` in it, and so
// is an error the worker reported, which is returned as it came.
template <typename T>
Expected<T> decodeReply(const QByteArray& payload, const char* what, bool* malformed);

// Writes a whole frame to a file descriptor: a socket or a pipe, blocking or not (a non-blocking
// one is waited for until `deadline`); retries on EINTR and short writes. Returns false when
// the other end is gone or the deadline passed.
bool writeFrame(int fd, FrameType type, quint32 requestId, const QByteArray& payload,
                QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

} // namespace shapescope::worker
