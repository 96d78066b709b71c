// SPDX-License-Identifier: GPL-3.0-or-later
// The worker protocol without a worker: every message survives encode/decode field for field
// (NaN, infinities, empty vectors and strings included), and truncated, bit-flipped or random
// bytes are rejected cleanly, never crash and never size memory from a lying count.
#include "session/wireformat.h"
#include "session/workerprotocol.h"

#include <QScopeGuard>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>
#include <typeinfo>

using namespace shapescope;
using namespace shapescope::worker;

namespace {

// The error of a failed Expected, for QVERIFY2's message (evaluated whether or not it failed).
template <typename T> const char* why(const Expected<T>& e)
{
    static thread_local QByteArray text;
    text = e ? QByteArray() : e.error().toUtf8();
    return text.constData();
}

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Field-wise equality, with NaN equal to NaN and -0.0 told from 0.0 (bitwise for doubles).
bool eq(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}
bool eq(qint64 a, qint64 b)
{
    return a == b;
}
bool eq(quint32 a, quint32 b)
{
    return a == b;
}
bool eq(quint64 a, quint64 b)
{
    return a == b;
}
bool eq(int a, int b)
{
    return a == b;
}
bool eq(bool a, bool b)
{
    return a == b;
}
bool eq(quint8 a, quint8 b)
{
    return a == b;
}
bool eq(const QString& a, const QString& b)
{
    return a == b && a.isNull() == b.isNull();
}
bool eq(const QStringList& a, const QStringList& b)
{
    return a == b;
}
bool eq(const std::optional<int>& a, const std::optional<int>& b)
{
    return a == b;
}
template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>> bool eq(E a, E b)
{
    return a == b;
}

auto members(const TorchVersion&)
{
    return std::tuple{&TorchVersion::major, &TorchVersion::minor};
}
auto members(const TorchChoice&)
{
    return std::tuple{&TorchChoice::version, &TorchChoice::source, &TorchChoice::recorded};
}
auto members(const Attribute&)
{
    return std::tuple{&Attribute::name, &Attribute::type, &Attribute::value};
}
auto members(const TensorInfo&)
{
    return std::tuple{&TensorInfo::path,       &TensorInfo::name,
                      &TensorInfo::group,      &TensorInfo::shape,
                      &TensorInfo::dtype,      &TensorInfo::chunkShape,
                      &TensorInfo::storage,    &TensorInfo::storedBytes,
                      &TensorInfo::attributes, &TensorInfo::unreadableReason,
                      &TensorInfo::storedType};
}
auto members(const GroupInfo&)
{
    return std::tuple{&GroupInfo::path, &GroupInfo::attributes};
}
auto members(const DumpSummary&)
{
    return std::tuple{&DumpSummary::file,   &DumpSummary::format, &DumpSummary::tensors,
                      &DumpSummary::groups, &DumpSummary::notes,  &DumpSummary::skipped};
}
auto members(const Slab&)
{
    return std::tuple{&Slab::start, &Slab::count};
}
auto members(const LossSpec&)
{
    return std::tuple{&LossSpec::kind,
                      &LossSpec::ignoreIndex,
                      &LossSpec::labelSmoothing,
                      &LossSpec::weight,
                      &LossSpec::weightTensor,
                      &LossSpec::posWeight,
                      &LossSpec::classDim,
                      &LossSpec::inputPath,
                      &LossSpec::targetPath,
                      &LossSpec::roles,
                      &LossSpec::beta,
                      &LossSpec::delta,
                      &LossSpec::logTarget,
                      &LossSpec::guessKind,
                      &LossSpec::blank,
                      &LossSpec::zeroInfinity,
                      &LossSpec::inputLengthsPath,
                      &LossSpec::targetLengthsPath};
}
auto members(const RoleOverride&)
{
    return std::tuple{&RoleOverride::path, &RoleOverride::role};
}
auto members(const FlowTensor&)
{
    return std::tuple{&FlowTensor::tensor,   &FlowTensor::path,         &FlowTensor::role,
                      &FlowTensor::batch,    &FlowTensor::carriesBatch, &FlowTensor::diverges,
                      &FlowTensor::userRole, &FlowTensor::batchAxis};
}
auto members(const StepFlow&)
{
    return std::tuple{&StepFlow::group,       &StepFlow::run,         &StepFlow::step,
                      &StepFlow::tensors,     &StepFlow::pairs,       &StepFlow::loaderBatch,
                      &StepFlow::outputBatch, &StepFlow::targetBatch, &StepFlow::divergesAt,
                      &StepFlow::guessed};
}
auto members(const TileBudget&)
{
    return std::tuple{&TileBudget::tileBytes, &TileBudget::chunkBytes};
}
auto members(const AnalysisOptions&)
{
    return std::tuple{&AnalysisOptions::spec,
                      &AnalysisOptions::computeLosses,
                      &AnalysisOptions::verifyUnpaired,
                      &AnalysisOptions::budget,
                      &AnalysisOptions::progressIntervalMs,
                      &AnalysisOptions::threads,
                      &AnalysisOptions::torch,
                      &AnalysisOptions::torchSource,
                      &AnalysisOptions::transforms,
                      &AnalysisOptions::classNamesFile};
}
auto members(const AnalyzeRequest&)
{
    return std::tuple{&AnalyzeRequest::path, &AnalyzeRequest::options};
}
auto members(const SliceRequest&)
{
    return std::tuple{&SliceRequest::path, &SliceRequest::tensor, &SliceRequest::slab};
}
auto members(const SliceResult&)
{
    return std::tuple{&SliceResult::tensor, &SliceResult::slab, &SliceResult::sourceType,
                      &SliceResult::values};
}
auto members(const ElementLossRequest&)
{
    return std::tuple{&ElementLossRequest::path,   &ElementLossRequest::spec,
                      &ElementLossRequest::input,  &ElementLossRequest::target,
                      &ElementLossRequest::layout, &ElementLossRequest::sample};
}
auto members(const ElementLossResult&)
{
    return std::tuple{&ElementLossResult::sample, &ElementLossResult::shape,
                      &ElementLossResult::losses};
}
auto members(const ConfusionRequest&)
{
    return std::tuple{&ConfusionRequest::path, &ConfusionRequest::spec, &ConfusionRequest::input,
                      &ConfusionRequest::target, &ConfusionRequest::layout};
}
auto members(const ConfusionMatrix&)
{
    return std::tuple{&ConfusionMatrix::classes,          &ConfusionMatrix::ignoreIndex,
                      &ConfusionMatrix::counts,           &ConfusionMatrix::ignored,
                      &ConfusionMatrix::outOfRange,       &ConfusionMatrix::unpredicted,
                      &ConfusionMatrix::cellSampleTotals, &ConfusionMatrix::listedCells,
                      &ConfusionMatrix::listedSamples,    &ConfusionMatrix::listedCounts};
}
auto members(const AxisMark&)
{
    return std::tuple{&AxisMark::side, &AxisMark::axis};
}
auto members(const Diagnostic&)
{
    return std::tuple{&Diagnostic::code,        &Diagnostic::severity, &Diagnostic::tensors,
                      &Diagnostic::axes,        &Diagnostic::message,  &Diagnostic::pytorchError,
                      &Diagnostic::explanation, &Diagnostic::fix,      &Diagnostic::samples,
                      &Diagnostic::pair,        &Diagnostic::run,      &Diagnostic::versionNote,
                      &Diagnostic::apply};
}
auto members(const PairLayout&)
{
    return std::tuple{
        &PairLayout::inputRoles, &PairLayout::targetRoles,    &PairLayout::targetKind,
        &PairLayout::classAxis,  &PairLayout::batchSize,      &PairLayout::numClasses,
        &PairLayout::batched,    &PairLayout::outerPerSample, &PairLayout::inner,
        &PairLayout::computable, &PairLayout::interpretation, &PairLayout::squeezedAxis};
}
auto members(const Histogram&)
{
    return std::tuple{&Histogram::low, &Histogram::high, &Histogram::counts};
}
auto members(const ClassStatistic&)
{
    return std::tuple{&ClassStatistic::classIndex, &ClassStatistic::count,
                      &ClassStatistic::meanLoss};
}
auto members(const RankedSample&)
{
    return std::tuple{&RankedSample::sample, &RankedSample::target, &RankedSample::predicted,
                      &RankedSample::pTarget, &RankedSample::loss};
}
auto members(const LossSummary&)
{
    return std::tuple{&LossSummary::samples,  &LossSummary::positions,   &LossSummary::ignored,
                      &LossSummary::mean,     &LossSummary::sum,         &LossSummary::min,
                      &LossSummary::max,      &LossSummary::accuracy,    &LossSummary::histogram,
                      &LossSummary::perClass, &LossSummary::highestLoss, &LossSummary::nonFinite};
}
auto members(const SampleValues&)
{
    return std::tuple{&SampleValues::loss, &SampleValues::ignored, &SampleValues::target,
                      &SampleValues::predicted, &SampleValues::pTarget};
}
auto members(const PairResult&)
{
    return std::tuple{&PairResult::input,         &PairResult::target,
                      &PairResult::group,         &PairResult::run,
                      &PairResult::step,          &PairResult::layout,
                      &PairResult::hasLosses,     &PairResult::lossError,
                      &PairResult::summary,       &PairResult::samples,
                      &PairResult::inputTensor,   &PairResult::targetTensor,
                      &PairResult::guessed,       &PairResult::lossCaveat,
                      &PairResult::classNames,    &PairResult::classNamesSource,
                      &PairResult::classNamesNote};
}
auto members(const BatchStatistic&)
{
    return std::tuple{&BatchStatistic::pair,      &BatchStatistic::group,
                      &BatchStatistic::size,      &BatchStatistic::meanLoss,
                      &BatchStatistic::inputSize, &BatchStatistic::ragged};
}
auto members(const RunResult&)
{
    return std::tuple{&RunResult::name, &RunResult::pairs, &RunResult::batches,
                      &RunResult::typicalBatchSize, &RunResult::typicalInputSize};
}
auto members(const AnalysisResult&)
{
    return std::tuple{
        &AnalysisResult::dump,       &AnalysisResult::spec,        &AnalysisResult::pairs,
        &AnalysisResult::runs,       &AnalysisResult::diagnostics, &AnalysisResult::unpaired,
        &AnalysisResult::torch,      &AnalysisResult::flows,       &AnalysisResult::lossKindReason,
        &AnalysisResult::transforms, &AnalysisResult::errorsBefore};
}
auto members(const WorkerConfig&)
{
    return std::tuple{&WorkerConfig::hdf5Plugins, &WorkerConfig::heartbeatMs,
                      &WorkerConfig::addressSpaceBytes, &WorkerConfig::cpuSecondsPerRequest};
}
auto members(const HelloMessage&)
{
    return std::tuple{&HelloMessage::version, &HelloMessage::config};
}
auto members(const HelloReplyMessage&)
{
    return std::tuple{&HelloReplyMessage::version, &HelloReplyMessage::pid,
                      &HelloReplyMessage::error};
}
auto members(const ProgressMessage&)
{
    return std::tuple{&ProgressMessage::fraction, &ProgressMessage::message};
}
auto members(const HeartbeatMessage&)
{
    return std::tuple{&HeartbeatMessage::ticks};
}

// Structs are compared member by member, through the lists above (written here, independently
// of wirefields.h, so that a field the wire forgets shows up as a difference).
template <typename S>
concept Listed = requires(const S& s)
{
    members(s);
};

template <Listed S> bool eq(const S& a, const S& b);

// populated() expects differences; eq() says where one is only when a round trip did not.
bool sayWhichMemberDiffers = true;

template <Listed S> bool eq(const std::optional<S>& a, const std::optional<S>& b)
{
    return a.has_value() == b.has_value() && (!a || eq(*a, *b));
}

template <typename T> bool eq(const std::vector<T>& a, const std::vector<T>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!eq(a[i], b[i]))
            return false;
    }
    return true;
}

// Says which member differs first.
template <Listed S> bool eq(const S& a, const S& b)
{
    return std::apply(
        [&](auto... member) {
            int index = 0;
            const bool same = ((++index, eq(a.*member, b.*member)) && ...);
            if (!same && sayWhichMemberDiffers)
                qWarning("%s: member %d of the list differs", typeid(S).name(), index);
            return same;
        },
        members(a));
}

// Every listed member differs from a default-constructed S's: a round trip of `value` then
// proves that each one travels.
template <Listed S> bool populated(const S& value)
{
    const S fresh{};
    sayWhichMemberDiffers = false;
    const auto restore = qScopeGuard([] { sayWhichMemberDiffers = true; });
    return std::apply(
        [&](auto... member) {
            int index = 0;
            const bool all = ((++index, !eq(value.*member, fresh.*member)) && ...);
            if (!all)
                qWarning("%s: member %d of the list is left at its default", typeid(S).name(),
                         index);
            return all;
        },
        members(value));
}

// Every field set, none to its default; strings with non-ASCII text.
TensorInfo makeTensor(int i)
{
    TensorInfo t;
    t.path = QStringLiteral("/batch_%1/logits").arg(i);
    t.name = QStringLiteral("logits");
    t.group = QStringLiteral("/batch_%1").arg(i);
    t.shape = {32, 10, qint64(1) << 40};
    t.dtype = DType::Float16;
    t.chunkShape = {8, 10, 1};
    t.storage = QStringLiteral("chunked 8x10, gzip 4 — shuffle");
    t.storedBytes = 123456789012;
    t.attributes = {{QStringLiteral("units"), QStringLiteral("string"), QStringLiteral("µs")},
                    {QStringLiteral("scale"), QStringLiteral("float64"), QString()}};
    t.unreadableReason = i % 2 ? QStringLiteral("external storage is not followed") : QString();
    t.storedType = QStringLiteral("compound {x: float64, ÿ: int32}");
    return t;
}

DumpSummary makeDump()
{
    DumpSummary d;
    d.file = QStringLiteral("/data/runs/épreuve.h5");
    d.format = DumpFormat::NpyFolder;
    d.tensors = {makeTensor(0), makeTensor(1), TensorInfo{}};
    d.groups = {
        GroupInfo{QStringLiteral("/"), {}},
        GroupInfo{QStringLiteral("/batch_0"),
                  {{QStringLiteral("step"), QStringLiteral("int64"), QStringLiteral("3")}}}};
    d.notes = QStringList{QStringLiteral("/names: string dataset skipped, not numeric"), QString()};
    d.skipped = {makeTensor(1)};
    return d;
}

LossSpec makeSpec()
{
    LossSpec s;
    s.kind = LossKind::Bce;
    s.ignoreIndex = -7;
    s.labelSmoothing = 0.125;
    s.weight = {1.0, NaN, -inf, -0.0};
    s.weightTensor = QStringLiteral("/class_weight");
    s.posWeight = {2.5};
    s.classDim = -1;
    s.inputPath = QStringLiteral("/a/logits");
    s.targetPath = QStringLiteral("/a/labels");
    s.roles = {RoleOverride{QStringLiteral("a/x"), TensorRole::Loader}};
    s.beta = 0.25;
    s.delta = 3.5;
    s.logTarget = true;
    s.guessKind = true;
    s.blank = 28;
    s.zeroInfinity = true;
    s.inputLengthsPath = QStringLiteral("/a/input_lengths");
    s.targetLengthsPath = QStringLiteral("/a/target_lengths");
    return s;
}

AnalyzeRequest makeAnalyzeRequest()
{
    AnalyzeRequest r;
    r.path = QStringLiteral("/tmp/run.npz");
    r.options.spec = makeSpec();
    r.options.computeLosses = false;
    r.options.verifyUnpaired = false;
    r.options.budget.tileBytes = 4096;
    r.options.budget.chunkBytes = 1 << 20;
    r.options.progressIntervalMs = 75;
    r.options.threads = 3;
    r.options.torch = TorchVersion{1, 13};
    r.options.torchSource = TorchSource::Environment;
    r.options.transforms = QStringList{QStringLiteral("logits=logits.permute(0, 2, 1)")};
    r.options.classNamesFile = QStringLiteral("/data/classes.txt");
    return r;
}

SliceResult makeSlice()
{
    SliceResult s;
    s.tensor = QStringLiteral("/logits");
    s.slab = Slab{{2, 0}, {3, 4}};
    s.sourceType = DType::Int8;
    s.values = {0.5,
                NaN,
                inf,
                -inf,
                -0.0,
                std::numeric_limits<double>::denorm_min(),
                std::numeric_limits<double>::max(),
                1,
                2,
                3,
                4,
                5};
    return s;
}

Diagnostic makeDiagnostic()
{
    Diagnostic d;
    d.code = DiagCode::RaggedBatch; // not the default, so the test sees it travel
    d.versionNote = QStringLiteral("torch >= 2.9 accepts this; your dump says 1.13");
    d.apply = QStringList{QStringLiteral("logits=logits.permute(0, 2, 1)")};
    d.severity = Severity::Error;
    d.tensors = QStringList{QStringLiteral("/logits"), QStringLiteral("/labels")};
    d.axes = {AxisMark{TensorSide::Target, 1}, AxisMark{TensorSide::Input, 2}};
    d.message = QStringLiteral("input batch 32, target batch 64");
    d.pytorchError =
        QStringLiteral("Expected input batch_size (32) to match target batch_size (64).");
    d.explanation = QStringLiteral("why");
    d.fix = QStringLiteral("labels = labels[:32]");
    d.samples = {1, 5, 9};
    d.pair = 2;
    d.run = 1;
    return d;
}

AnalysisResult makeAnalysis()
{
    AnalysisResult a;
    a.dump = makeDump();
    a.spec = makeSpec();
    PairResult p;
    p.inputTensor = 2;
    p.targetTensor = 1;
    p.input = QStringLiteral("/batch_0/logits");
    p.target = QStringLiteral("/batch_0/labels");
    p.group = QStringLiteral("/batch_0");
    p.run = 0;
    p.step = 4;
    p.layout.inputRoles = {AxisRole::Batch, AxisRole::Spatial, AxisRole::Class};
    p.layout.targetRoles = {AxisRole::Batch, AxisRole::Spatial};
    p.layout.targetKind = TargetKind::ClassProbabilities;
    p.layout.classAxis = 2;
    p.layout.batchSize = 4;
    p.layout.numClasses = 10;
    p.layout.batched = false;
    p.layout.outerPerSample = 7;
    p.layout.inner = 3;
    p.layout.computable = true;
    p.layout.interpretation = QStringLiteral("class axis last");
    p.layout.squeezedAxis = 1;
    p.hasLosses = true;
    p.lossError = QStringLiteral("none");
    p.lossCaveat = QStringLiteral("over 3 positions");
    p.classNames = QStringList{QStringLiteral("cat"), QStringLiteral("dog")};
    p.classNamesSource = QStringLiteral("classes.txt beside the dump");
    p.classNamesNote = QStringLiteral("classes.txt has 2 names for 3 classes");
    p.summary.samples = 4;
    p.summary.positions = 84;
    p.summary.nonFinite = 3;
    p.summary.ignored = 2;
    p.summary.mean = 2.25;
    p.summary.sum = NaN;
    p.summary.min = -inf;
    p.summary.max = inf;
    p.summary.accuracy = 0.5;
    p.summary.histogram = Histogram{0.1, 9.5, {1, 0, 3}};
    p.summary.perClass = {ClassStatistic{3, 2, 1.5}, ClassStatistic{7, 1, NaN}};
    p.summary.highestLoss = {RankedSample{2, 7, 3, 0.01, 4.6}, RankedSample{0, -1, -1, NaN, 1}};
    p.samples.loss = {1.0, NaN, 2.0, -0.0};
    p.samples.ignored = {0, 1, 0, 0};
    p.samples.target = {3, -100, 7, 1};
    p.samples.predicted = {3, 0, 2, 1};
    p.samples.pTarget = {0.9, NaN, 0.1, 0.4};
    p.guessed = true;
    a.pairs = {p, PairResult{}};
    a.runs = {RunResult{QStringLiteral("batch_#"),
                        {0, 1},
                        {BatchStatistic{0, QStringLiteral("/batch_0"), 4, 5, 2.25, true},
                         BatchStatistic{1, QStringLiteral("/batch_1"), 0, 7, NaN, false}},
                        4,
                        5}};
    a.diagnostics = {makeDiagnostic(), Diagnostic{}};
    a.unpaired = QStringList{QStringLiteral("/extra")};
    a.lossKindReason = QStringLiteral("guessed: mse, because ...");
    a.transforms = QStringList{QStringLiteral("labels = labels - 1")};
    a.errorsBefore = QStringList{QStringLiteral("Target 4 is out of bounds.")};
    a.torch = TorchChoice{TorchVersion{1, 13}, TorchSource::Dump, QStringLiteral("1.13.1+cu117")};
    StepFlow flow;
    flow.group = QStringLiteral("/batch_0");
    flow.run = 0;
    flow.step = 3;
    flow.tensors = {
        FlowTensor{1, QStringLiteral("/batch_0/x"), TensorRole::Loader, 64, true, true, true, 2},
        FlowTensor{}};
    flow.pairs = {0};
    flow.loaderBatch = 64;
    flow.outputBatch = 32;
    flow.targetBatch = 64;
    flow.divergesAt = FlowStage::Model;
    flow.guessed = true;
    a.flows = {flow, StepFlow{}};
    return a;
}

template <typename T> void checkRoundTrip(const T& value, const char* what)
{
    const QByteArray bytes = wire::encode(value);
    const Expected<T> decoded = wire::decode<T>(bytes, what);
    QVERIFY2(decoded, why(decoded));
    QVERIFY(eq(*decoded, value));
    QCOMPARE(wire::encode(*decoded), bytes);
}

// Every proper prefix of a valid encoding fails to decode.
template <typename T> void checkPrefixesRejected(const QByteArray& bytes, const char* what)
{
    const qsizetype step = std::max<qsizetype>(1, bytes.size() / 2000);
    for (qsizetype n = 0; n < bytes.size(); n += step)
        QVERIFY2(!wire::decode<T>(bytes.left(n), what), qPrintable(QString::number(n)));
}

// Flipping any bit either decodes to something or fails; it never crashes (ASan watches).
template <typename T> int decodeBitFlips(const QByteArray& bytes, const char* what)
{
    int rejected = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        for (int bit = 0; bit < 8; bit += 3) {
            QByteArray damaged = bytes;
            damaged[i] = char(damaged[i] ^ (1 << bit));
            rejected += wire::decode<T>(damaged, what) ? 0 : 1;
        }
    }
    return rejected;
}

Frame frameOf(FrameType type, quint32 id, QByteArray payload)
{
    Frame f;
    f.type = type;
    f.requestId = id;
    f.payload = std::move(payload);
    return f;
}

} // namespace

class TestWorkerProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requests();
    void results();
    void everyFieldTravels();
    void progressIntervalClamped_data();
    void progressIntervalClamped();
    void emptyResults();
    void controlMessages();
    void replies();
    void largeBlocks();
    void truncatedPayloadsRejected();
    void bitFlipsNeverCrash();
    void lyingCountsSizeNothing();
    void randomPayloadsRejected();
    void framesInPieces();
    void badFramesRejected_data();
    void badFramesRejected();
    void truncatedStreamDetected();
};

void TestWorkerProtocol::requests()
{
    checkRoundTrip(makeAnalyzeRequest(), "analyze request");
    checkRoundTrip(AnalyzeRequest{}, "analyze request");
    checkRoundTrip(
        SliceRequest{QStringLiteral("/d.h5"), QStringLiteral("/x"), Slab{{0, 1}, {2, 3}}},
        "slice request");
    checkRoundTrip(SliceRequest{QStringLiteral("/d.h5"), QStringLiteral("/scalar"), Slab{}},
                   "slice request");
    const Expected<QString> path = decodePath(encodePath(QStringLiteral("/tmp/ü/run.h5")));
    QVERIFY(path);
    QCOMPARE(*path, QStringLiteral("/tmp/ü/run.h5"));
    QVERIFY(decodePath(QByteArray()).ok() == false);
}

void TestWorkerProtocol::results()
{
    checkRoundTrip(makeDump(), "dump summary");
    checkRoundTrip(makeDump().tensors, "tensor list");
    checkRoundTrip(makeAnalysis(), "analysis result");
    checkRoundTrip(makeSlice(), "slice");
    checkRoundTrip(makeDiagnostic(), "diagnostic");
}

void TestWorkerProtocol::everyFieldTravels()
{
    // The fixtures leave no member at its default, down to every nested struct, so their round
    // trips compare values that had to travel; a field the wire format leaves out fails here.
    const AnalysisResult a = makeAnalysis();
    const PairResult& pair = a.pairs.front();
    const Diagnostic& diagnostic = a.diagnostics.front();
    QVERIFY(populated(a));
    QVERIFY(populated(a.dump));
    QVERIFY(populated(a.dump.tensors[1]));
    QVERIFY(populated(a.dump.tensors[1].attributes.front()));
    QVERIFY(populated(a.dump.groups[1]));
    QVERIFY(populated(a.spec));
    QVERIFY(populated(pair));
    QVERIFY(populated(pair.layout));
    QVERIFY(populated(pair.summary));
    QVERIFY(populated(pair.summary.histogram));
    QVERIFY(populated(pair.summary.perClass.front()));
    QVERIFY(populated(pair.summary.highestLoss.front()));
    QVERIFY(populated(pair.samples));
    QVERIFY(populated(a.runs.front()));
    QVERIFY(populated(a.runs.front().batches.front()));
    QVERIFY(populated(diagnostic));
    QVERIFY(populated(diagnostic.axes.front()));
    QVERIFY(populated(a.spec.roles.front()));
    QVERIFY(populated(a.flows.front()));
    QVERIFY(populated(a.flows.front().tensors.front()));
    checkRoundTrip(a, "analysis result");

    const AnalyzeRequest request = makeAnalyzeRequest();
    QVERIFY(populated(request));
    QVERIFY(populated(request.options));
    QVERIFY(populated(request.options.budget));
    checkRoundTrip(request, "analyze request");
    const SliceResult slice = makeSlice();
    QVERIFY(populated(slice));
    QVERIFY(populated(slice.slab));
    checkRoundTrip(slice, "slice");

    ElementLossRequest elements;
    elements.path = QStringLiteral("/seg.h5");
    elements.spec = a.spec;
    elements.input = QStringLiteral("/logits");
    elements.target = QStringLiteral("/mask");
    elements.layout = pair.layout;
    elements.sample = 7;
    QVERIFY(populated(elements));
    checkRoundTrip(elements, "element losses request");
    const ElementLossResult elementResult{3, {2, 2}, {0.5, 0.0, NaN, 2.25}};
    QVERIFY(populated(elementResult));
    checkRoundTrip(elementResult, "element losses");

    ConfusionRequest confusion;
    confusion.path = QStringLiteral("/seg.h5");
    confusion.spec = a.spec;
    confusion.input = QStringLiteral("/logits");
    confusion.target = QStringLiteral("/mask");
    confusion.layout = pair.layout;
    QVERIFY(populated(confusion));
    checkRoundTrip(confusion, "confusion request");
    ConfusionMatrix matrix;
    matrix.classes = 2;
    matrix.ignoreIndex = 255;
    matrix.counts = {5, 1, 2, 7};
    matrix.ignored = 3;
    matrix.outOfRange = 4;
    matrix.unpredicted = 6;
    matrix.cellSampleTotals = {1, 1, 2, 1};
    matrix.listedCells = {0, 1, 2, 2, 3};
    matrix.listedSamples = {0, 0, 0, 1, 1};
    matrix.listedCounts = {5, 1, 1, 1, 7};
    QVERIFY(populated(matrix));
    checkRoundTrip(matrix, "confusion matrix");
}

void TestWorkerProtocol::progressIntervalClamped_data()
{
    QTest::addColumn<int>("sent");
    QTest::addColumn<int>("received");
    QTest::addRow("negative") << -5 << 0;
    QTest::addRow("in range") << 250 << 250;
    QTest::addRow("huge") << std::numeric_limits<int>::max() << 10000;
}

void TestWorkerProtocol::progressIntervalClamped()
{
    // The worker throttles its progress by this number: a client cannot make it spin or sleep.
    QFETCH(int, sent);
    QFETCH(int, received);
    AnalyzeRequest request;
    request.options.progressIntervalMs = sent;
    const auto decoded = wire::decode<AnalyzeRequest>(wire::encode(request), "request");
    QVERIFY2(decoded, why(decoded));
    QCOMPARE(decoded->options.progressIntervalMs, received);
}

void TestWorkerProtocol::emptyResults()
{
    checkRoundTrip(DumpSummary{}, "dump summary");
    checkRoundTrip(std::vector<TensorInfo>{}, "tensor list");
    checkRoundTrip(AnalysisResult{}, "analysis result");
    checkRoundTrip(SliceResult{}, "slice");
    // Null and empty strings stay what they were.
    TensorInfo t;
    t.path = QStringLiteral("");
    QVERIFY(!t.path.isNull());
    checkRoundTrip(std::vector<TensorInfo>{t, TensorInfo{}}, "tensor list");
}

void TestWorkerProtocol::controlMessages()
{
    HelloMessage hello;
    hello.config = WorkerConfig{true, 250, qint64(5) << 30, 77};
    auto h = decodeHello(encodeHello(hello));
    QVERIFY(h && eq(*h, hello));
    HelloReplyMessage reply{protocolVersion, 4242, QStringLiteral("refused")};
    auto r = decodeHelloReply(encodeHelloReply(reply));
    QVERIFY(r && eq(*r, reply));
    for (double fraction : {0.0, 0.5, 1.0, NaN}) {
        ProgressMessage progress{fraction, QStringLiteral("Computing losses of /logits")};
        auto p = decodeProgress(encodeProgress(progress));
        QVERIFY(p && eq(*p, progress));
    }
    HeartbeatMessage beat{std::numeric_limits<quint64>::max()};
    auto b = decodeHeartbeat(encodeHeartbeat(beat));
    QVERIFY(b && eq(*b, beat));
    // A message with bytes left over is as malformed as a short one.
    QVERIFY(!decodeHeartbeat(encodeHeartbeat(beat) + 'x'));
    QVERIFY(!decodeHello(encodeHello(hello).chopped(1)));
}

void TestWorkerProtocol::replies()
{
    bool malformed = true;
    auto dump =
        decodeReply<DumpSummary>(encodeReply(Expected<DumpSummary>(makeDump())), "d", &malformed);
    QVERIFY(dump && !malformed && eq(*dump, makeDump()));
    auto analysis = decodeReply<AnalysisResult>(
        encodeReply(Expected<AnalysisResult>(makeAnalysis())), "a", &malformed);
    QVERIFY(analysis && !malformed && eq(*analysis, makeAnalysis()));
    auto slice =
        decodeReply<SliceResult>(encodeReply(Expected<SliceResult>(makeSlice())), "s", &malformed);
    QVERIFY(slice && !malformed && eq(*slice, makeSlice()));
    auto tensors = decodeReply<std::vector<TensorInfo>>(
        encodeReply(Expected<std::vector<TensorInfo>>(makeDump().tensors)), "t", &malformed);
    QVERIFY(tensors && !malformed && eq(*tensors, makeDump().tensors));

    // An error the worker reports comes back as it was, and is not malformed.
    const QString message = QStringLiteral("/d.h5: opening the file failed: bad superblock");
    auto failed = decodeReply<AnalysisResult>(encodeReply(Expected<AnalysisResult>(Error{message})),
                                              "a", &malformed);
    QVERIFY(!failed && !malformed);
    QCOMPARE(failed.error(), message);
    QVERIFY(!failed.isCancelled());
    auto failedSlice = decodeReply<SliceResult>(encodeErrorReply(Error{message}), "s", &malformed);
    QVERIFY(!failedSlice && !malformed);
    QCOMPARE(failedSlice.error(), message);
    // A cancellation crosses as a cancellation, whatever its message says.
    auto cancelled = decodeReply<SliceResult>(
        encodeErrorReply(Error{QStringLiteral("stopped"), Error::Kind::Cancelled}), "s",
        &malformed);
    QVERIFY(!malformed && cancelled.isCancelled());
    QCOMPARE(cancelled.error(), QStringLiteral("stopped"));
    // An error kind this version does not know is malformed.
    QByteArray unknownKind = encodeErrorReply(Error{message});
    unknownKind[unknownKind.size() - 1] = char(Error::kindCount);
    QVERIFY(!decodeReply<SliceResult>(unknownKind, "s", &malformed) && malformed);

    // A reply of the wrong kind is malformed.
    auto wrong =
        decodeReply<SliceResult>(encodeReply(Expected<DumpSummary>(makeDump())), "s", &malformed);
    QVERIFY(!wrong && malformed);
    auto empty = decodeReply<SliceResult>(QByteArray(), "slice", &malformed);
    QVERIFY(!empty && malformed);
    QVERIFY(empty.error().contains(QLatin1String("slice")));
}

void TestWorkerProtocol::largeBlocks()
{
    // Per-sample losses travel as raw blocks: a million samples is 33 MB, a few copies.
    AnalysisResult a;
    PairResult p;
    const size_t n = 1'000'000;
    p.samples.loss.resize(n);
    p.samples.ignored.resize(n);
    p.samples.target.resize(n);
    p.samples.predicted.resize(n);
    p.samples.pTarget.resize(n);
    for (size_t i = 0; i < n; ++i) {
        p.samples.loss[i] = i % 1000 == 0 ? NaN : double(i) * 0.5;
        p.samples.ignored[i] = quint8(i % 3 == 0);
        p.samples.target[i] = qint64(i % 1000);
        p.samples.predicted[i] = qint64(i % 997);
        p.samples.pTarget[i] = 1.0 / double(i + 1);
    }
    a.pairs = {p};
    const QByteArray bytes = wire::encode(a);
    QVERIFY(bytes.size() >= qsizetype(n * 33));
    QVERIFY(bytes.size() < qsizetype(n * 33 + 4096));
    const auto decoded = wire::decode<AnalysisResult>(bytes, "analysis result");
    QVERIFY(decoded);
    QVERIFY(eq(*decoded, a));
}

void TestWorkerProtocol::truncatedPayloadsRejected()
{
    checkPrefixesRejected<AnalysisResult>(wire::encode(makeAnalysis()), "analysis result");
    checkPrefixesRejected<DumpSummary>(wire::encode(makeDump()), "dump summary");
    checkPrefixesRejected<SliceResult>(wire::encode(makeSlice()), "slice");
    checkPrefixesRejected<AnalyzeRequest>(wire::encode(makeAnalyzeRequest()), "analyze request");
    checkPrefixesRejected<std::vector<TensorInfo>>(wire::encode(makeDump().tensors), "tensors");
    const QByteArray hello = encodeHello(HelloMessage{});
    for (qsizetype n = 0; n < hello.size(); ++n)
        QVERIFY(!decodeHello(hello.left(n)));
    const QByteArray reply = encodeReply(Expected<SliceResult>(makeSlice()));
    for (qsizetype n = 0; n < reply.size(); ++n) {
        bool malformed = false;
        QVERIFY(!decodeReply<SliceResult>(reply.left(n), "slice", &malformed));
        QVERIFY(malformed);
    }
}

void TestWorkerProtocol::bitFlipsNeverCrash()
{
    const int rejected = decodeBitFlips<AnalysisResult>(wire::encode(makeAnalysis()), "analysis");
    QVERIFY(rejected > 0);
    decodeBitFlips<DumpSummary>(wire::encode(makeDump()), "dump");
    decodeBitFlips<SliceResult>(wire::encode(makeSlice()), "slice");
    decodeBitFlips<AnalyzeRequest>(wire::encode(makeAnalyzeRequest()), "request");
}

void TestWorkerProtocol::lyingCountsSizeNothing()
{
    // A slice claiming 2^60 values, a tensor list claiming 2^62 entries, a string list claiming
    // 2^40 strings: each is refused from its count, before anything is allocated.
    QByteArray bytes;
    {
        QDataStream s(&bytes, QIODevice::WriteOnly);
        wire::beginStream(s);
        s << QStringLiteral("/t");
        wire::put(s, Slab{});
        s << quint8(0) << (qint64(1) << 60) << 1.0;
    }
    QVERIFY(!wire::decode<SliceResult>(bytes, "slice"));
    bytes.clear();
    {
        QDataStream s(&bytes, QIODevice::WriteOnly);
        wire::beginStream(s);
        s << (qint64(1) << 62);
    }
    QVERIFY(!wire::decode<std::vector<TensorInfo>>(bytes, "tensors"));
    bytes.clear();
    {
        QDataStream s(&bytes, QIODevice::WriteOnly);
        wire::beginStream(s);
        s << QString() << quint8(0) << qint64(0) << qint64(0) << (qint64(1) << 40);
    }
    QVERIFY(!wire::decode<DumpSummary>(bytes, "dump"));
    // Negative counts and out-of-range enums.
    bytes.clear();
    {
        QDataStream s(&bytes, QIODevice::WriteOnly);
        wire::beginStream(s);
        s << QString() << qint64(-1);
    }
    QVERIFY(!wire::decode<SliceResult>(bytes, "slice"));
    QByteArray dump = wire::encode(DumpSummary{});
    dump[4] = char(9); // the format byte, after the 4-byte null-string marker
    QVERIFY(!wire::decode<DumpSummary>(dump, "dump"));
    dump[4] = char(3);
    QVERIFY(wire::decode<DumpSummary>(dump, "dump"));
}

void TestWorkerProtocol::randomPayloadsRejected()
{
    std::mt19937 random(20240611);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray bytes(qsizetype(random() % 200), Qt::Uninitialized);
        for (char& c : bytes)
            c = char(random());
        // Mostly small counts, so that decoding gets past the first field now and then.
        if (bytes.size() >= 8 && i % 2)
            std::memset(bytes.data() + 4, 0, 4);
        bool malformed = false;
        accepted += wire::decode<AnalysisResult>(bytes, "a") ? 1 : 0;
        accepted += wire::decode<SliceResult>(bytes, "s") ? 1 : 0;
        accepted += wire::decode<DumpSummary>(bytes, "d") ? 1 : 0;
        accepted += decodeReply<AnalysisResult>(bytes, "a", &malformed) ? 1 : 0;
        accepted += decodeHello(bytes) ? 1 : 0;
    }
    QVERIFY(accepted < 100);
}

void TestWorkerProtocol::framesInPieces()
{
    const std::vector<Frame> frames = {
        frameOf(FrameType::Hello, 0, encodeHello(HelloMessage{})),
        frameOf(FrameType::Analyze, 7, wire::encode(makeAnalyzeRequest())),
        frameOf(FrameType::Cancel, 7, {}),
        frameOf(FrameType::Progress, 7, encodeProgress(ProgressMessage{0.25, QStringLiteral("x")})),
        frameOf(FrameType::Heartbeat, 7, encodeHeartbeat(HeartbeatMessage{3})),
        frameOf(FrameType::AnalyzeReply, 7, encodeReply(Expected<AnalysisResult>(makeAnalysis()))),
        frameOf(FrameType::Shutdown, 0, {}),
    };
    QByteArray stream;
    for (const Frame& f : frames)
        stream += encodeFrame(f);
    for (int pieceSize : {1, 3, 19, 20, 21, 4096}) {
        FrameDecoder decoder;
        std::vector<Frame> got;
        for (qsizetype at = 0; at < stream.size(); at += pieceSize) {
            decoder.append(stream.mid(at, pieceSize));
            for (;;) {
                auto next = decoder.next();
                QVERIFY(next);
                if (!*next)
                    break;
                got.push_back(std::move(**next));
            }
        }
        QCOMPARE(decoder.pendingBytes(), 0);
        QCOMPARE(got.size(), frames.size());
        for (size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].type, frames[i].type);
            QCOMPARE(got[i].requestId, frames[i].requestId);
            QCOMPARE(got[i].payload, frames[i].payload);
        }
    }
    QCOMPARE(replyTypeFor(FrameType::ReadSlice), std::optional(FrameType::ReadSliceReply));
    QCOMPARE(replyTypeFor(FrameType::Cancel), std::nullopt);
}

void TestWorkerProtocol::badFramesRejected_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = encodeFrame(frameOf(FrameType::Progress, 1, encodeProgress({})));
    QByteArray magic = good;
    magic[0] = 'X';
    QByteArray type = good;
    type[4] = char(99);
    QByteArray reserved = good;
    reserved[6] = char(1);
    QByteArray huge = encodeFrameHeader(FrameType::AnalyzeReply, 1, maxPayloadSize + 1);
    QByteArray text = "HDF5-DIAG: Error detected in HDF5 (1.10.8) thread 0:\n";
    QTest::addRow("magic") << magic;
    QTest::addRow("type") << type;
    QTest::addRow("reserved") << reserved;
    QTest::addRow("huge length") << huge;
    QTest::addRow("text on stdout") << text;
    QTest::addRow("after a good frame") << good + magic;
}

void TestWorkerProtocol::badFramesRejected()
{
    QFETCH(QByteArray, bytes);
    FrameDecoder decoder;
    decoder.append(bytes);
    bool failed = false;
    for (int i = 0; i < 3 && !failed; ++i) {
        auto next = decoder.next();
        failed = !next;
        if (next && !*next)
            break;
    }
    QVERIFY(failed);
    QVERIFY(decoder.failed());
    // It stays failed: nothing after garbage is trusted.
    decoder.append(encodeFrame(frameOf(FrameType::Shutdown, 0, {})));
    QVERIFY(!decoder.next());
}

void TestWorkerProtocol::truncatedStreamDetected()
{
    // A stream that ends inside a frame leaves its bytes pending: the reader knows it was cut.
    const QByteArray frame = encodeFrame(
        frameOf(FrameType::ReadSliceReply, 3, encodeReply(Expected<SliceResult>(makeSlice()))));
    for (qsizetype n = 1; n < frame.size(); ++n) {
        FrameDecoder decoder;
        decoder.append(frame.left(n));
        auto next = decoder.next();
        QVERIFY(next && !*next);
        QCOMPARE(decoder.pendingBytes(), n);
    }
}

QTEST_GUILESS_MAIN(TestWorkerProtocol)
#include "tst_workerprotocol.moc"
