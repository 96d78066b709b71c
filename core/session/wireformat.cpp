#include "wireformat.h"

#include <QIODevice>
#include <QSysInfo>
#include <QtEndian>
#include <algorithm>

namespace shapescope::wire {

// A field added to one of these structs must be added to put() and get() below too; these
// sizes (x86-64, libstdc++) make the compiler say so. Update the number with the code.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Attribute) == 72, "Attribute changed: update wireformat.cpp");
static_assert(sizeof(TensorInfo) == 208, "TensorInfo changed: update wireformat.cpp");
static_assert(sizeof(GroupInfo) == 48, "GroupInfo changed: update wireformat.cpp");
static_assert(sizeof(DumpSummary) == 104, "DumpSummary changed: update wireformat.cpp");
static_assert(sizeof(Slab) == 48, "Slab changed: update wireformat.cpp");
static_assert(sizeof(LossSpec) == 160, "LossSpec changed: update wireformat.cpp");
static_assert(sizeof(TileBudget) == 16, "TileBudget changed: update wireformat.cpp");
static_assert(sizeof(TorchVersion) == 8, "TorchVersion changed: update wireformat.cpp");
static_assert(sizeof(TorchChoice) == 40, "TorchChoice changed: update wireformat.cpp");
static_assert(sizeof(AnalysisOptions) == 208, "AnalysisOptions changed: update wireformat.cpp");
static_assert(sizeof(AnalyzeRequest) == 232, "AnalyzeRequest changed: update wireformat.cpp");
static_assert(sizeof(SliceRequest) == 96, "SliceRequest changed: update wireformat.cpp");
static_assert(sizeof(SliceResult) == 104, "SliceResult changed: update wireformat.cpp");
static_assert(sizeof(AxisMark) == 8, "AxisMark changed: update wireformat.cpp");
static_assert(sizeof(Diagnostic) == 232, "Diagnostic changed: update wireformat.cpp");
static_assert(sizeof(PairLayout) == 128, "PairLayout changed: update wireformat.cpp");
static_assert(sizeof(Histogram) == 40, "Histogram changed: update wireformat.cpp");
static_assert(sizeof(ClassStatistic) == 24, "ClassStatistic changed: update wireformat.cpp");
static_assert(sizeof(RankedSample) == 40, "RankedSample changed: update wireformat.cpp");
static_assert(sizeof(LossSummary) == 152, "LossSummary changed: update wireformat.cpp");
static_assert(sizeof(SampleValues) == 120, "SampleValues changed: update wireformat.cpp");
static_assert(sizeof(PairResult) == 512, "PairResult changed: update wireformat.cpp");
static_assert(sizeof(BatchStatistic) == 48, "BatchStatistic changed: update wireformat.cpp");
static_assert(sizeof(RunResult) == 72, "RunResult changed: update wireformat.cpp");
static_assert(sizeof(AnalysisResult) == 400, "AnalysisResult changed: update wireformat.cpp");
#endif

namespace {

// QDataStream's raw reads and writes take an int length in Qt 6.4.
constexpr qint64 rawStep = qint64(1) << 30;

// Reads fields in order: strings through get() (bounded), numbers as QDataStream reads them.
template <typename... T> void getAll(QDataStream& s, T&... values)
{
    auto one = [&s](auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, QString>)
            get(s, value);
        else
            s >> value;
    };
    (one(values), ...);
}

template <typename E> void putEnum(QDataStream& s, E value)
{
    s << static_cast<quint8>(value);
}

// `count` is the number of enumerators, which must be 0..count-1.
template <typename E> void getEnum(QDataStream& s, E& value, int count)
{
    quint8 raw = 0;
    s >> raw;
    if (raw >= count)
        setCorrupt(s);
    else
        value = static_cast<E>(raw);
}

void putInt(QDataStream& s, int v)
{
    s << static_cast<qint32>(v);
}

void getInt(QDataStream& s, int& v)
{
    qint32 raw = 0;
    s >> raw;
    v = raw;
}

// Trivially copyable elements as one block: a count, then the bytes.
template <typename T> void putRaw(QDataStream& s, const std::vector<T>& v)
{
    static_assert(std::is_trivially_copyable_v<T>);
    s << static_cast<qint64>(v.size());
    const char* data = reinterpret_cast<const char*>(v.data());
    const qint64 bytes = qint64(v.size() * sizeof(T));
    for (qint64 done = 0; done < bytes; done += rawStep) {
        const int step = static_cast<int>(std::min(rawStep, bytes - done));
        if (s.writeRawData(data + done, step) != step)
            return; // the stream records the failure
    }
}

template <typename T> void getRaw(QDataStream& s, std::vector<T>& v)
{
    static_assert(std::is_trivially_copyable_v<T>);
    qint64 count = -1;
    s >> count;
    if (s.status() != QDataStream::Ok)
        return;
    if (!canHold(s, count, sizeof(T))) {
        setCorrupt(s);
        return;
    }
    v.resize(static_cast<size_t>(count));
    char* data = reinterpret_cast<char*>(v.data());
    const qint64 bytes = count * qint64(sizeof(T));
    for (qint64 done = 0; done < bytes; done += rawStep) {
        const int step = static_cast<int>(std::min(rawStep, bytes - done));
        if (s.readRawData(data + done, step) != step) {
            s.setStatus(QDataStream::ReadPastEnd);
            v.clear();
            return;
        }
    }
}

template <typename T> void putList(QDataStream& s, const std::vector<T>& v)
{
    s << static_cast<qint64>(v.size());
    for (const T& item : v)
        put(s, item);
}

// Elements are appended as they decode, so a lying count sizes nothing.
template <typename T> void getList(QDataStream& s, std::vector<T>& v)
{
    qint64 count = -1;
    s >> count;
    if (s.status() != QDataStream::Ok)
        return;
    if (!canHold(s, count, 1)) {
        setCorrupt(s);
        return;
    }
    v.clear();
    for (qint64 i = 0; i < count && s.status() == QDataStream::Ok; ++i) {
        T item{};
        get(s, item);
        v.push_back(std::move(item));
    }
}

void putInts(QDataStream& s, const std::vector<int>& v)
{
    std::vector<qint32> fixed(v.begin(), v.end());
    putRaw(s, fixed);
}

void getInts(QDataStream& s, std::vector<int>& v)
{
    std::vector<qint32> fixed;
    getRaw(s, fixed);
    v.assign(fixed.begin(), fixed.end());
}

template <typename E> void putEnums(QDataStream& s, const std::vector<E>& v)
{
    s << static_cast<qint64>(v.size());
    for (E e : v)
        putEnum(s, e);
}

template <typename E> void getEnums(QDataStream& s, std::vector<E>& v, int count)
{
    qint64 n = -1;
    s >> n;
    if (s.status() != QDataStream::Ok)
        return;
    if (!canHold(s, n, 1)) {
        setCorrupt(s);
        return;
    }
    v.clear();
    for (qint64 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
        E e{};
        getEnum(s, e, count);
        v.push_back(e);
    }
}

} // namespace

QDataStream& beginStream(QDataStream& stream)
{
    stream.setVersion(QDataStream::Qt_6_4);
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::DoublePrecision);
    return stream;
}

void setCorrupt(QDataStream& s)
{
    // setStatus() keeps the first failure; a corrupt value is always worth recording.
    if (s.status() == QDataStream::Ok)
        s.setStatus(QDataStream::ReadCorruptData);
}

bool canHold(QDataStream& s, qint64 count, qint64 minBytes)
{
    if (count < 0 || minBytes <= 0 || !s.device())
        return false;
    return count <= s.device()->bytesAvailable() / minBytes;
}

// Strings and lists ---------------------------------------------------------------------------

void put(QDataStream& s, const QString& v)
{
    s << v; // a 32-bit byte count (0xffffffff: null), then UTF-16
}

void get(QDataStream& s, QString& v)
{
    // QDataStream's own reader sizes the string from the count (in 1 MiB steps); this one
    // refuses a count larger than what is left.
    quint32 bytes = 0;
    s >> bytes;
    if (s.status() != QDataStream::Ok)
        return;
    if (bytes == 0xffffffffu) {
        v = QString();
        return;
    }
    if (bytes % 2 != 0 || !canHold(s, bytes, 1)) {
        setCorrupt(s);
        return;
    }
    if (bytes == 0) {
        v = QString(QLatin1String(""));
        return;
    }
    v.resize(qsizetype(bytes / 2));
    if (s.readRawData(reinterpret_cast<char*>(v.data()), int(bytes)) != int(bytes)) {
        s.setStatus(QDataStream::ReadPastEnd);
        v.clear();
        return;
    }
    const bool streamLittle = s.byteOrder() == QDataStream::LittleEndian;
    if (streamLittle != (QSysInfo::ByteOrder == QSysInfo::LittleEndian)) {
        for (QChar& c : v)
            c = QChar(qbswap(c.unicode()));
    }
}

void put(QDataStream& s, const QStringList& v)
{
    s << static_cast<qint64>(v.size());
    for (const QString& item : v)
        s << item;
}

void get(QDataStream& s, QStringList& v)
{
    qint64 count = -1;
    s >> count;
    if (s.status() != QDataStream::Ok)
        return;
    // Each string takes at least its 4-byte length.
    if (!canHold(s, count, 4)) {
        setCorrupt(s);
        return;
    }
    v.clear();
    for (qint64 i = 0; i < count && s.status() == QDataStream::Ok; ++i) {
        QString item;
        get(s, item);
        v.append(std::move(item));
    }
}

// Tensors and dumps ---------------------------------------------------------------------------

void put(QDataStream& s, const Attribute& v)
{
    s << v.name << v.type << v.value;
}

void get(QDataStream& s, Attribute& v)
{
    getAll(s, v.name, v.type, v.value);
}

void put(QDataStream& s, const TensorInfo& v)
{
    s << v.path << v.name << v.group;
    putRaw(s, v.shape);
    putEnum(s, v.dtype);
    putRaw(s, v.chunkShape);
    s << v.storage << v.storedBytes;
    putList(s, v.attributes);
    s << v.unreadableReason;
}

void get(QDataStream& s, TensorInfo& v)
{
    getAll(s, v.path, v.name, v.group);
    getRaw(s, v.shape);
    getEnum(s, v.dtype, dtypeCount);
    getRaw(s, v.chunkShape);
    getAll(s, v.storage, v.storedBytes);
    getList(s, v.attributes);
    getAll(s, v.unreadableReason);
}

void put(QDataStream& s, const std::vector<TensorInfo>& v)
{
    putList(s, v);
}

void get(QDataStream& s, std::vector<TensorInfo>& v)
{
    getList(s, v);
}

void put(QDataStream& s, const GroupInfo& v)
{
    s << v.path;
    putList(s, v.attributes);
}

void get(QDataStream& s, GroupInfo& v)
{
    getAll(s, v.path);
    getList(s, v.attributes);
}

void put(QDataStream& s, const DumpSummary& v)
{
    s << v.file;
    putEnum(s, v.format);
    putList(s, v.tensors);
    putList(s, v.groups);
    put(s, v.notes);
}

void get(QDataStream& s, DumpSummary& v)
{
    getAll(s, v.file);
    getEnum(s, v.format, 4);
    getList(s, v.tensors);
    getList(s, v.groups);
    get(s, v.notes);
}

void put(QDataStream& s, const Slab& v)
{
    putRaw(s, v.start);
    putRaw(s, v.count);
}

void get(QDataStream& s, Slab& v)
{
    getRaw(s, v.start);
    getRaw(s, v.count);
}

void put(QDataStream& s, const TorchVersion& v)
{
    putInt(s, v.major);
    putInt(s, v.minor);
}

void get(QDataStream& s, TorchVersion& v)
{
    getInt(s, v.major);
    getInt(s, v.minor);
}

void put(QDataStream& s, const std::optional<TorchVersion>& v)
{
    s << v.has_value();
    put(s, v.value_or(TorchVersion{}));
}

void get(QDataStream& s, std::optional<TorchVersion>& v)
{
    bool has = false;
    TorchVersion version;
    getAll(s, has);
    get(s, version);
    v = has ? std::optional<TorchVersion>(version) : std::nullopt;
}

void put(QDataStream& s, const TorchChoice& v)
{
    put(s, v.version);
    putEnum(s, v.source);
    s << v.recorded;
}

void get(QDataStream& s, TorchChoice& v)
{
    get(s, v.version);
    getEnum(s, v.source, 5);
    getAll(s, v.recorded);
}

// Requests ------------------------------------------------------------------------------------

void put(QDataStream& s, const LossSpec& v)
{
    putEnum(s, v.kind);
    s << v.ignoreIndex << v.labelSmoothing;
    putRaw(s, v.weight);
    s << v.weightTensor;
    putRaw(s, v.posWeight);
    s << v.classDim.has_value();
    putInt(s, v.classDim.value_or(0));
    s << v.inputPath << v.targetPath;
    putInt(s, v.threads);
}

void get(QDataStream& s, LossSpec& v)
{
    getEnum(s, v.kind, 3);
    getAll(s, v.ignoreIndex, v.labelSmoothing);
    getRaw(s, v.weight);
    getAll(s, v.weightTensor);
    getRaw(s, v.posWeight);
    bool hasClassDim = false;
    int classDim = 0;
    getAll(s, hasClassDim);
    getInt(s, classDim);
    v.classDim = hasClassDim ? std::optional<int>(classDim) : std::nullopt;
    getAll(s, v.inputPath, v.targetPath);
    getInt(s, v.threads);
}

void put(QDataStream& s, const TileBudget& v)
{
    s << v.tileBytes << v.chunkBytes;
}

void get(QDataStream& s, TileBudget& v)
{
    getAll(s, v.tileBytes, v.chunkBytes);
}

void put(QDataStream& s, const AnalysisOptions& v)
{
    put(s, v.spec);
    s << v.computeLosses << v.verifyUnpaired;
    put(s, v.budget);
    s << qint32(v.progressIntervalMs);
    put(s, v.torch);
    putEnum(s, v.torchSource);
}

void get(QDataStream& s, AnalysisOptions& v)
{
    get(s, v.spec);
    getAll(s, v.computeLosses, v.verifyUnpaired);
    get(s, v.budget);
    qint32 interval = 50;
    s >> interval;
    v.progressIntervalMs = std::clamp<int>(interval, 0, 10000);
    get(s, v.torch);
    getEnum(s, v.torchSource, 5);
}

void put(QDataStream& s, const AnalyzeRequest& v)
{
    s << v.path;
    put(s, v.options);
}

void get(QDataStream& s, AnalyzeRequest& v)
{
    getAll(s, v.path);
    get(s, v.options);
}

void put(QDataStream& s, const SliceRequest& v)
{
    s << v.path << v.tensor;
    put(s, v.slab);
}

void get(QDataStream& s, SliceRequest& v)
{
    getAll(s, v.path, v.tensor);
    get(s, v.slab);
}

void put(QDataStream& s, const SliceResult& v)
{
    s << v.tensor;
    put(s, v.slab);
    putEnum(s, v.sourceType);
    putRaw(s, v.values);
}

void get(QDataStream& s, SliceResult& v)
{
    getAll(s, v.tensor);
    get(s, v.slab);
    getEnum(s, v.sourceType, dtypeCount);
    getRaw(s, v.values);
}

// Analysis results ----------------------------------------------------------------------------

void put(QDataStream& s, const AxisMark& v)
{
    putEnum(s, v.side);
    putInt(s, v.axis);
}

void get(QDataStream& s, AxisMark& v)
{
    getEnum(s, v.side, 2);
    getInt(s, v.axis);
}

void put(QDataStream& s, const Diagnostic& v)
{
    s << v.code;
    putEnum(s, v.severity);
    put(s, v.tensors);
    putList(s, v.axes);
    s << v.message << v.pytorchError << v.explanation << v.fix;
    s << v.versionNote;
    putRaw(s, v.samples);
    putInt(s, v.pair);
    putInt(s, v.run);
}

void get(QDataStream& s, Diagnostic& v)
{
    getAll(s, v.code);
    getEnum(s, v.severity, 3);
    get(s, v.tensors);
    getList(s, v.axes);
    getAll(s, v.message, v.pytorchError, v.explanation, v.fix);
    getAll(s, v.versionNote);
    getRaw(s, v.samples);
    getInt(s, v.pair);
    getInt(s, v.run);
}

void put(QDataStream& s, const PairLayout& v)
{
    putEnums(s, v.inputRoles);
    putEnums(s, v.targetRoles);
    putEnum(s, v.targetKind);
    putInt(s, v.classAxis);
    s << v.batchSize << v.numClasses << v.batched << v.outerPerSample << v.inner << v.computable
      << v.interpretation;
}

void get(QDataStream& s, PairLayout& v)
{
    getEnums(s, v.inputRoles, 3);
    getEnums(s, v.targetRoles, 3);
    getEnum(s, v.targetKind, 3);
    getInt(s, v.classAxis);
    getAll(s, v.batchSize, v.numClasses, v.batched, v.outerPerSample, v.inner, v.computable,
           v.interpretation);
}

void put(QDataStream& s, const Histogram& v)
{
    s << v.low << v.high;
    putRaw(s, v.counts);
}

void get(QDataStream& s, Histogram& v)
{
    getAll(s, v.low, v.high);
    getRaw(s, v.counts);
}

void put(QDataStream& s, const ClassStatistic& v)
{
    s << v.classIndex << v.count << v.meanLoss;
}

void get(QDataStream& s, ClassStatistic& v)
{
    getAll(s, v.classIndex, v.count, v.meanLoss);
}

void put(QDataStream& s, const RankedSample& v)
{
    s << v.sample << v.target << v.predicted << v.pTarget << v.loss;
}

void get(QDataStream& s, RankedSample& v)
{
    getAll(s, v.sample, v.target, v.predicted, v.pTarget, v.loss);
}

void put(QDataStream& s, const LossSummary& v)
{
    s << v.samples << v.positions << v.ignored << v.mean << v.sum << v.min << v.max << v.accuracy;
    put(s, v.histogram);
    putList(s, v.perClass);
    putList(s, v.highestLoss);
}

void get(QDataStream& s, LossSummary& v)
{
    getAll(s, v.samples, v.positions, v.ignored, v.mean, v.sum, v.min, v.max, v.accuracy);
    get(s, v.histogram);
    getList(s, v.perClass);
    getList(s, v.highestLoss);
}

void put(QDataStream& s, const SampleValues& v)
{
    putRaw(s, v.loss);
    putRaw(s, v.ignored);
    putRaw(s, v.target);
    putRaw(s, v.predicted);
    putRaw(s, v.pTarget);
}

void get(QDataStream& s, SampleValues& v)
{
    getRaw(s, v.loss);
    getRaw(s, v.ignored);
    getRaw(s, v.target);
    getRaw(s, v.predicted);
    getRaw(s, v.pTarget);
}

void put(QDataStream& s, const PairResult& v)
{
    s << v.input << v.target << v.group;
    putInt(s, v.run);
    putInt(s, v.step);
    put(s, v.layout);
    s << v.hasLosses << v.lossError;
    put(s, v.summary);
    put(s, v.samples);
}

void get(QDataStream& s, PairResult& v)
{
    getAll(s, v.input, v.target, v.group);
    getInt(s, v.run);
    getInt(s, v.step);
    get(s, v.layout);
    getAll(s, v.hasLosses, v.lossError);
    get(s, v.summary);
    get(s, v.samples);
}

void put(QDataStream& s, const BatchStatistic& v)
{
    putInt(s, v.pair);
    s << v.group << v.size << v.meanLoss;
}

void get(QDataStream& s, BatchStatistic& v)
{
    getInt(s, v.pair);
    getAll(s, v.group, v.size, v.meanLoss);
}

void put(QDataStream& s, const RunResult& v)
{
    s << v.name;
    putInts(s, v.pairs);
    putList(s, v.batches);
}

void get(QDataStream& s, RunResult& v)
{
    getAll(s, v.name);
    getInts(s, v.pairs);
    getList(s, v.batches);
}

void put(QDataStream& s, const AnalysisResult& v)
{
    put(s, v.dump);
    put(s, v.spec);
    putList(s, v.pairs);
    putList(s, v.runs);
    putList(s, v.diagnostics);
    put(s, v.unpaired);
    put(s, v.torch);
}

void get(QDataStream& s, AnalysisResult& v)
{
    get(s, v.dump);
    get(s, v.spec);
    getList(s, v.pairs);
    getList(s, v.runs);
    getList(s, v.diagnostics);
    get(s, v.unpaired);
    get(s, v.torch);
}

} // namespace shapescope::wire
