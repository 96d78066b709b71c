#pragma once

#include "common/expected.h"
#include "session.h"

#include <QByteArray>
#include <QDataStream>
#include <QIODevice>
#include <vector>

namespace shapescope::wire {

// The session's request and result structs as bytes, for the worker process's pipe. QDataStream
// (version pinned, little-endian) writes the fields; the large per-sample and slice vectors
// travel as one raw block each (a count, then the elements in this machine's byte order: both
// ends are the same executable).
//
// Reading never trusts the bytes: the worker has just parsed a file from a stranger, so a
// count larger than the bytes left, an enum out of range or a short block marks the stream
// corrupt instead of sizing memory or crashing. put()/get() exist for every struct so that the
// protocol can compose messages; get() leaves the stream's status set on failure.

QDataStream& beginStream(QDataStream& stream); // pins the version and byte order

void put(QDataStream& s, const QString& v);
void put(QDataStream& s, const QStringList& v);
void put(QDataStream& s, const Attribute& v);
void put(QDataStream& s, const TensorInfo& v);
void put(QDataStream& s, const GroupInfo& v);
void put(QDataStream& s, const DumpSummary& v);
void put(QDataStream& s, const Slab& v);
void put(QDataStream& s, const LossSpec& v);
void put(QDataStream& s, const TileBudget& v);
void put(QDataStream& s, const TorchVersion& v);
void put(QDataStream& s, const std::optional<TorchVersion>& v);
void put(QDataStream& s, const TorchChoice& v);
void put(QDataStream& s, const AnalysisOptions& v);
void put(QDataStream& s, const AnalyzeRequest& v);
void put(QDataStream& s, const SliceRequest& v);
void put(QDataStream& s, const SliceResult& v);
void put(QDataStream& s, const AxisMark& v);
void put(QDataStream& s, const Diagnostic& v);
void put(QDataStream& s, const PairLayout& v);
void put(QDataStream& s, const Histogram& v);
void put(QDataStream& s, const ClassStatistic& v);
void put(QDataStream& s, const RankedSample& v);
void put(QDataStream& s, const LossSummary& v);
void put(QDataStream& s, const SampleValues& v);
void put(QDataStream& s, const PairResult& v);
void put(QDataStream& s, const BatchStatistic& v);
void put(QDataStream& s, const RunResult& v);
void put(QDataStream& s, const AnalysisResult& v);
void put(QDataStream& s, const std::vector<TensorInfo>& v);

void get(QDataStream& s, QString& v);
void get(QDataStream& s, QStringList& v);
void get(QDataStream& s, Attribute& v);
void get(QDataStream& s, TensorInfo& v);
void get(QDataStream& s, GroupInfo& v);
void get(QDataStream& s, DumpSummary& v);
void get(QDataStream& s, Slab& v);
void get(QDataStream& s, LossSpec& v);
void get(QDataStream& s, TileBudget& v);
void get(QDataStream& s, TorchVersion& v);
void get(QDataStream& s, std::optional<TorchVersion>& v);
void get(QDataStream& s, TorchChoice& v);
void get(QDataStream& s, AnalysisOptions& v);
void get(QDataStream& s, AnalyzeRequest& v);
void get(QDataStream& s, SliceRequest& v);
void get(QDataStream& s, SliceResult& v);
void get(QDataStream& s, AxisMark& v);
void get(QDataStream& s, Diagnostic& v);
void get(QDataStream& s, PairLayout& v);
void get(QDataStream& s, Histogram& v);
void get(QDataStream& s, ClassStatistic& v);
void get(QDataStream& s, RankedSample& v);
void get(QDataStream& s, LossSummary& v);
void get(QDataStream& s, SampleValues& v);
void get(QDataStream& s, PairResult& v);
void get(QDataStream& s, BatchStatistic& v);
void get(QDataStream& s, RunResult& v);
void get(QDataStream& s, AnalysisResult& v);
void get(QDataStream& s, std::vector<TensorInfo>& v);

// Marks the stream corrupt (an enum out of range, a count that cannot fit).
void setCorrupt(QDataStream& s);
// Whether `count` elements of at least `minBytes` each can still follow in the stream.
bool canHold(QDataStream& s, qint64 count, qint64 minBytes);

template <typename T> QByteArray encode(const T& value)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    beginStream(stream);
    put(stream, value);
    return bytes;
}

// Decodes one value that must fill `bytes` exactly. `what` names it in the error
// ("analysis result").
template <typename T> Expected<T> decode(const QByteArray& bytes, const char* what)
{
    QDataStream stream(bytes);
    beginStream(stream);
    T value{};
    get(stream, value);
    if (stream.status() != QDataStream::Ok || !stream.atEnd()) {
        return Error{
            QStringLiteral("malformed %1 (%2 bytes)").arg(QLatin1String(what)).arg(bytes.size())};
    }
    return value;
}

} // namespace shapescope::wire
