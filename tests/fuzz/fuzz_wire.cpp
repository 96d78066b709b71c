// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the worker protocol as the client reads it. A worker has just parsed a file
// from a stranger and may be compromised, so its frames and payloads are untrusted input too.
// Seeds (valid frames of every kind) are written on the first run into the folder named by
// SHAPESCOPE_FUZZ_SEED_DIR.
#include "session/wireformat.h"
#include "session/workerprotocol.h"

#include <QDir>
#include <QFile>
#include <cstddef>
#include <cstdint>
#include <limits>

using namespace shapescope;
using namespace shapescope::worker;

namespace {

AnalysisResult seedAnalysis()
{
    AnalysisResult a;
    a.dump.file = QStringLiteral("/d.h5");
    TensorInfo t;
    t.path = QStringLiteral("/logits");
    t.shape = {4, 3};
    t.attributes = {{QStringLiteral("a"), QStringLiteral("string"), QStringLiteral("b")}};
    a.dump.tensors = {t};
    a.dump.groups = {GroupInfo{QStringLiteral("/"), {}}};
    PairResult p;
    p.inputTensor = 0;
    p.input = QStringLiteral("/logits");
    p.layout.inputRoles = {AxisRole::Batch, AxisRole::Class};
    p.summary.perClass = {ClassStatistic{1, 2, 0.5}};
    p.summary.highestLoss = {RankedSample{0, 1, 2, 0.1, 2.3}};
    p.samples.loss = {1, std::numeric_limits<double>::quiet_NaN(), 3, 4};
    p.samples.ignored = {0, 1, 0, 0};
    a.pairs = {p};
    Diagnostic d;
    d.code = DiagCode::RaggedBatch;
    d.axes = {AxisMark{TensorSide::Target, 1}};
    a.diagnostics = {d};
    a.runs = {RunResult{
        QStringLiteral("batch_#"), {0}, {BatchStatistic{0, QString(), 4, 4, 1, false}}, 4, 4}};
    return a;
}

void writeSeeds(const QString& dir)
{
    if (dir.isEmpty() || !QDir(dir).isEmpty())
        return;
    QDir().mkpath(dir);
    SliceResult slice;
    slice.slab = Slab{{0}, {2}};
    slice.values = {1.5, -2};
    const QList<QByteArray> seeds = {
        encodeFrame(
            {FrameType::AnalyzeReply, 1, encodeReply(Expected<AnalysisResult>(seedAnalysis()))}),
        encodeFrame(
            {FrameType::OpenReply, 2, encodeReply(Expected<DumpSummary>(seedAnalysis().dump))}),
        encodeFrame({FrameType::ReadSliceReply, 3, encodeReply(Expected<SliceResult>(slice))}),
        encodeFrame({FrameType::ListTensorsReply, 4,
                     encodeReply(Expected<std::vector<TensorInfo>>(seedAnalysis().dump.tensors))}),
        encodeFrame(
            {FrameType::AnalyzeReply, 5, encodeErrorReply(Error{QStringLiteral("/d.h5: bad")})}),
        encodeFrame({FrameType::Progress, 6, encodeProgress({0.5, QStringLiteral("Computing")})}),
        encodeFrame({FrameType::Heartbeat, 7, encodeHeartbeat({3})}),
        encodeFrame({FrameType::HelloReply, 0, encodeHelloReply({protocolVersion, 42, {}})}),
    };
    for (qsizetype i = 0; i < seeds.size(); ++i) {
        QFile file(QStringLiteral("%1/seed-%2").arg(dir).arg(i));
        if (file.open(QIODevice::WriteOnly))
            file.write(seeds[i]);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    writeSeeds(qEnvironmentVariable("SHAPESCOPE_FUZZ_SEED_DIR"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    FrameDecoder decoder;
    // In two pieces, as a pipe may deliver them.
    decoder.append(reinterpret_cast<const char*>(data), qint64(size / 2));
    decoder.append(reinterpret_cast<const char*>(data) + size / 2, qint64(size - size / 2));
    for (;;) {
        Expected<std::optional<Frame>> next = decoder.next();
        if (!next || !*next)
            break;
        const Frame& frame = **next;
        bool malformed = false;
        switch (frame.type) {
        case FrameType::AnalyzeReply:
            (void)decodeReply<AnalysisResult>(frame.payload, "a", &malformed);
            break;
        case FrameType::OpenReply:
            (void)decodeReply<DumpSummary>(frame.payload, "d", &malformed);
            break;
        case FrameType::ReadSliceReply:
            (void)decodeReply<SliceResult>(frame.payload, "s", &malformed);
            break;
        case FrameType::ListTensorsReply:
            (void)decodeReply<std::vector<TensorInfo>>(frame.payload, "t", &malformed);
            break;
        case FrameType::Progress:
            (void)decodeProgress(frame.payload);
            break;
        case FrameType::Heartbeat:
            (void)decodeHeartbeat(frame.payload);
            break;
        case FrameType::HelloReply:
            (void)decodeHelloReply(frame.payload);
            break;
        case FrameType::Analyze:
            (void)wire::decode<AnalyzeRequest>(frame.payload, "r");
            break;
        case FrameType::ReadSlice:
            (void)wire::decode<SliceRequest>(frame.payload, "r");
            break;
        default:
            (void)decodeHello(frame.payload);
            break;
        }
    }
    return 0;
}
