// SPDX-License-Identifier: GPL-3.0-or-later
#include "analyzer.h"

#include "broadcastloss.h"
#include "classnames.h"
#include "ctcanalysis.h"
#include "elementwiserules.h"
#include "formats/dumpreader.h"
#include "lossengine.h"
#include "lossguess.h"
#include "lossstatistics.h"
#include "pairing.h"
#include "pytorchmessages.h"
#include "recordedloss.h"
#include "rundiagnostics.h"
#include "shapeadvice.h"
#include "shaperules.h"
#include "stepflow.h"
#include "transform/fixtransforms.h"
#include "transform/transformedreader.h"
#include "transformedanalysis.h"
#include "valuediagnostics.h"
#include "workerpool.h"

#include <QFileInfo>
#include <algorithm>
#include <cmath>

namespace shapescope {

namespace {

Status validateSpec(const LossSpec& spec)
{
    if (spec.kind == LossKind::CrossEntropy && spec.labelSmoothing > 1.0)
        return Error{pytorch::labelSmoothingRange(spec.labelSmoothing)};
    if (spec.kind != LossKind::CrossEntropy && spec.labelSmoothing != 0.0)
        return Error{QStringLiteral("label smoothing applies to cross_entropy only")};
    if (spec.kind != LossKind::Bce && !spec.posWeight.empty())
        return Error{QStringLiteral("pos_weight applies to bce only")};
    if (!spec.weight.empty() && !spec.weightTensor.isEmpty())
        return Error{QStringLiteral("give the class weight as a list or as a tensor, not both")};
    return Status::success();
}

Diagnostic unreadable(const TensorInfo& tensor, int pairIndex)
{
    Diagnostic d;
    d.code = DiagCode::UnreadableTensor;
    d.severity = Severity::Error;
    d.tensors = {tensor.path};
    d.pair = pairIndex;
    d.message = QStringLiteral("%1 cannot be read: %2").arg(tensor.path, tensor.unreadableReason);
    d.explanation = QStringLiteral("ShapeScope lists the tensor but cannot read its data, so the "
                                   "pair's losses are not computed.");
    d.fix = QStringLiteral("# rewrite the dataset without the missing filter, e.g. with h5py:\n"
                           "f.create_dataset(name, data=data, compression=\"gzip\")");
    return d;
}

// A tensor whose header reads but whose data does not (a member of an .npz with a bad
// CRC-32, a truncated dataset): the rest of the dump is still analyzed.
Diagnostic damaged(const TensorInfo& tensor, int pairIndex, const QString& reason)
{
    Diagnostic d;
    d.code = DiagCode::UnreadableTensor;
    d.severity = Severity::Error;
    d.tensors = {tensor.path};
    d.pair = pairIndex;
    d.message = QStringLiteral("%1 cannot be read: %2").arg(tensor.path, reason);
    d.explanation = QStringLiteral("Its data is damaged in the file, so %1. The other tensors "
                                   "are analyzed as usual. Write the dump again.")
                        .arg(pairIndex >= 0 ? QStringLiteral("the pair's losses are not computed")
                                            : QStringLiteral("its values are not checked"));
    return d;
}

Diagnostic unpairedInfo(const TensorInfo& tensor)
{
    Diagnostic d;
    d.code = DiagCode::UnpairedTensor;
    d.severity = Severity::Info;
    d.tensors = {tensor.path};
    d.message = QStringLiteral("%1 %2 %3 is not paired with any other tensor")
                    .arg(tensor.path, shapeToString(tensor.shape), dtypeName(tensor.dtype));
    d.explanation = QStringLiteral("Its name does not say it is a model output (logits, output, "
                                   "pred, scores) or a target (target, labels, y, gt, mask).");
    d.fix = QStringLiteral("shapescope check DUMP --input %1 --target TARGET").arg(tensor.path);
    return d;
}

// Rows of `tensor` read in one block: about 8 MiB, at least one row.
qint64 rowsPerBlock(const TensorInfo& tensor)
{
    const qint64 rowBytes = std::max<qint64>(1, tensor.rowElements() * dtypeSize(tensor.dtype));
    return std::max<qint64>(1, (qint64(8) << 20) / rowBytes);
}

// The [first, first + count) row ranges verifyTensor reads: every block of the tensor, or, for
// a probe, only the first and the last block, where truncation and a bad layout show first.
std::vector<std::pair<qint64, qint64>> blocksToRead(const TensorInfo& tensor, bool probe)
{
    const qint64 rows = tensor.rowCount();
    const qint64 step = rowsPerBlock(tensor);
    std::vector<std::pair<qint64, qint64>> blocks;
    if (probe) {
        blocks.emplace_back(0, std::min(step, rows));
        if (rows > step)
            blocks.emplace_back(std::max(step, rows - step), rows - std::max(step, rows - step));
        return blocks;
    }
    for (qint64 first = 0; first < rows; first += step)
        blocks.emplace_back(first, std::min(step, rows - first));
    return blocks;
}

// Elements verifyTensor reads, for the progress total.
qint64 verifiedElements(const TensorInfo& tensor, bool probe)
{
    qint64 rows = 0;
    for (const auto& [first, count] : blocksToRead(tensor, probe))
        rows += count;
    return rows * tensor.rowElements();
}

Status verifyTensor(DumpReader& reader, int index, const std::function<bool(qint64)>& progress,
                    bool probe = false)
{
    const TensorInfo& tensor = reader.tensors()[index];
    const qint64 rowBytes = tensor.rowElements() * dtypeSize(tensor.dtype);
    std::vector<char> buffer;
    for (const auto& [first, count] : blocksToRead(tensor, probe)) {
        buffer.resize(static_cast<size_t>(std::max<qint64>(1, count * rowBytes)));
        if (Status s = reader.readRows(index, first, count, tensor.dtype, buffer.data()); !s)
            return s;
        if (progress && !progress(count * tensor.rowElements()))
            return Error::cancelled();
    }
    return Status::success();
}

// The share of the analysis each step reports: losses weigh their input's elements, and a
// verified tensor its own.
class AnalysisProgress
{
public:
    AnalysisProgress(const ProgressCallback& callback, int intervalMs, qint64 total)
        : m_throttle(callback, intervalMs), m_total(total)
    {}

    // Starts a step of `work` units; false when cancelled.
    bool begin(const QString& what)
    {
        m_what = what;
        return m_throttle.force(fraction(0), what);
    }
    // The step's callback: units done within the step.
    std::function<bool(qint64)> inStep()
    {
        return
            [this](qint64 doneInStep) { return m_throttle.report(fraction(doneInStep), m_what); };
    }
    void end(qint64 work) { m_done += work; }
    void finish() { m_throttle.force(1.0, QStringLiteral("Done")); }

private:
    double fraction(qint64 doneInStep) const
    {
        return m_total > 0 ? double(m_done + doneInStep) / double(m_total) : 1.0;
    }

    ProgressThrottle m_throttle;
    qint64 m_total;
    qint64 m_done = 0;
    QString m_what;
};

// A pair whose losses are to be computed, and where its result goes.
struct PlannedJob
{
    int pair = -1;
    PairJob job;
};

// PyTorch wants a 1-D class weight: nll_loss refuses a (1, C) one although it has C entries,
// after every check of the input and the target has passed.
std::optional<Diagnostic> weightShapeDiagnostic(const TensorInfo& input, const TensorInfo& target,
                                                const LossSpec& spec,
                                                const std::vector<TensorInfo>& tensors,
                                                const ShapeCheck& check)
{
    if (spec.weightTensor.isEmpty() || spec.kind == LossKind::Bce || input.shape.empty() ||
        input.shape.size() > 2 || !check.layout.computable)
        return std::nullopt;
    const auto weight = std::find_if(tensors.begin(), tensors.end(), [&](const TensorInfo& t) {
        return t.path == spec.weightTensor;
    });
    if (weight == tensors.end() || weight->shape.size() == 1)
        return std::nullopt;
    for (const Diagnostic& d : check.diagnostics) {
        if (d.severity == Severity::Error)
            return std::nullopt;
    }
    const PairContext pair{input, target, spec, pythonName(input), pythonName(target)};
    const qint64 classes = input.shape[input.shape.size() == 1 ? 0 : 1];
    return advice::weightShape(pair, pytorch::weightForAllClasses(classes, weight->shape, false),
                               *weight, classes);
}

// Applies PyTorch's shape checks to every pair: fills result.pairs and the shape diagnostics,
// and returns the pairs whose losses can be computed.
std::vector<PlannedJob> checkPairs(const Pairing& pairing, const std::vector<TensorInfo>& tensors,
                                   const AnalysisOptions& options,
                                   const std::vector<double>& weight, AnalysisResult& result)
{
    const LossSpec& spec = options.spec;
    const qint64 weightLength = spec.weight.empty() && spec.weightTensor.isEmpty()
                                    ? -1
                                    : static_cast<qint64>(weight.size());
    std::vector<PlannedJob> jobs;
    for (size_t p = 0; p < pairing.pairs.size(); ++p) {
        const TensorPair& pair = pairing.pairs[p];
        const TensorInfo& input = tensors[pair.input];
        const TensorInfo& target = tensors[pair.target];
        PairResult pairResult;
        pairResult.inputTensor = pair.input;
        pairResult.targetTensor = pair.target;
        pairResult.input = input.path;
        pairResult.target = target.path;
        pairResult.group = pair.group;
        pairResult.run = pair.run;
        pairResult.step = pair.step;
        pairResult.guessed = pair.guessed;
        ShapeCheck check = checkPairShapes(input, target, spec, weightLength, result.torch);
        if (std::optional<Diagnostic> d =
                weightShapeDiagnostic(input, target, spec, tensors, check))
            check.diagnostics.push_back(*d), check.layout.computable = false;
        pairResult.layout = check.layout;
        for (Diagnostic& d : check.diagnostics) {
            d.pair = static_cast<int>(p);
            result.diagnostics.push_back(std::move(d));
        }
        for (const TensorInfo* tensor : {&input, &target}) {
            if (!tensor->readable()) {
                result.diagnostics.push_back(unreadable(*tensor, static_cast<int>(p)));
                pairResult.layout.computable = false;
            }
        }
        if (!pairResult.layout.computable)
            pairResult.lossError =
                QStringLiteral("PyTorch would raise for this pair; see its diagnostics");
        else if (options.computeLosses)
            jobs.push_back({static_cast<int>(p),
                            PairJob{pair.input, pair.target, pairResult.layout, spec, weight}});
        result.pairs.push_back(std::move(pairResult));
    }
    return jobs;
}

// After a pair's losses failed to read: which of its tensors is damaged, each with its own
// reason (the engine's error names only the first read that failed).
void diagnoseDamage(DumpReader& reader, const PairJob& job, int pair, const QString& failure,
                    AnalysisResult& result)
{
    bool found = false;
    for (int index : {job.input, job.target}) {
        if (const Status s = verifyTensor(reader, index, {}); !s) {
            result.diagnostics.push_back(damaged(reader.tensors()[index], pair, s.error()));
            found = true;
        }
    }
    if (!found)
        result.diagnostics.push_back(damaged(reader.tensors()[job.input], pair, failure));
}

// Computes each planned pair's losses, their statistics and what the values show. A pair
// whose data cannot be read gets a diagnostic; the other pairs are still computed.
Status computeLosses(DumpReader& reader, LossEngine& engine, const std::vector<PlannedJob>& jobs,
                     const std::vector<TensorInfo>& tensors, AnalysisProgress& progress,
                     AnalysisResult& result)
{
    for (const PlannedJob& planned : jobs) {
        const PairJob& job = planned.job;
        PairResult& pairResult = result.pairs[static_cast<size_t>(planned.pair)];
        if (!progress.begin(QStringLiteral("Computing %1 losses of %2")
                                .arg(lossKindName(job.spec.kind), pairResult.input)))
            return Error::cancelled();
        Expected<PairLosses> losses = engine.compute(job, progress.inStep());
        if (losses.isCancelled())
            return losses.failure();
        if (!losses) {
            diagnoseDamage(reader, job, planned.pair, losses.error(), result);
            pairResult.lossError = QStringLiteral("The pair's data cannot be read; see its "
                                                  "diagnostics");
            progress.end(tensors[job.input].elementCount());
            continue;
        }
        progress.end(tensors[job.input].elementCount());
        pairResult.hasLosses = true;
        pairResult.summary = summarizeLosses(*losses, pairResult.layout, job.spec.kind);
        const PairContext context{tensors[job.input], tensors[job.target], job.spec,
                                  pythonName(tensors[job.input]), pythonName(tensors[job.target])};
        for (Diagnostic& d : diagnoseValues(context, pairResult.layout, *losses)) {
            d.pair = planned.pair;
            result.diagnostics.push_back(std::move(d));
        }
        if (losses->targets.hasOutOfRange) {
            pairResult.lossCaveat =
                QStringLiteral("PyTorch raises for this pair (%1); these values are computed "
                               "over the %2 valid positions only, leaving out %3 targets out "
                               "of range")
                    .arg(pytorch::targetOutOfBounds(losses->targets.firstOutOfRange))
                    .arg(pairResult.summary.positions)
                    .arg(losses->targets.outOfRangeTotal);
        }
        pairResult.samples = std::move(losses->samples);
    }
    return Status::success();
}

// Adds to each broadcast-target warning what torch's broadcast returns and how far that is from
// the loss the user meant (the pair's computed mean, when the intent was clear).
void describeBroadcasts(DumpReader& reader, AnalysisResult& result)
{
    for (Diagnostic& d : result.diagnostics) {
        if (d.code != DiagCode::BroadcastTarget || d.pair < 0)
            continue;
        const PairResult& pair = result.pairs[static_cast<size_t>(d.pair)];
        const Broadcast b = broadcastShapes(reader.tensors()[pair.inputTensor].shape,
                                            reader.tensors()[pair.targetTensor].shape);
        const Expected<std::optional<double>> value =
            b.shape ? broadcastLossMean(reader, pair.inputTensor, pair.targetTensor, result.spec,
                                        *b.shape)
                    : Expected<std::optional<double>>{std::optional<double>{}};
        if (!value || !value->has_value())
            continue;
        const double broadcastValue = **value;
        d.message += QStringLiteral(". PyTorch returns %1").arg(broadcastValue, 0, 'g', 6);
        if (pair.hasLosses) {
            const double intended = pair.summary.mean;
            d.message +=
                QStringLiteral(" where the intended loss is %1: off by %2 (%3%)")
                    .arg(intended, 0, 'g', 6)
                    .arg(broadcastValue - intended, 0, 'g', 4)
                    .arg(intended != 0.0 ? 100.0 * (broadcastValue - intended) / std::abs(intended)
                                         : 0.0,
                         0, 'f', 1);
        }
    }
}

// Loader inputs and extras have their place in the step's flow; only tensors with no role
// there get the note.
void listUnpaired(const Pairing& pairing, const std::vector<TensorInfo>& tensors,
                  const LossSpec& spec, AnalysisResult& result)
{
    for (int index : pairing.unpaired) {
        result.unpaired << tensors[index].path;
        const TensorRole role = roleOf(tensors[index], spec.roles);
        if (!samePath(tensors[index].path, spec.weightTensor) && role != TensorRole::Loader &&
            role != TensorRole::Extra)
            result.diagnostics.push_back(unpairedInfo(tensors[index]));
    }
}

// The unpaired tensors worth reading through, to find damage no pair's losses would meet.
std::vector<int> tensorsToVerify(const Pairing& pairing, const std::vector<TensorInfo>& tensors,
                                 const AnalysisOptions& options)
{
    std::vector<int> verify;
    if (options.verifyUnpaired) {
        for (int index : pairing.unpaired) {
            if (tensors[index].readable() &&
                !samePath(tensors[index].path, options.spec.weightTensor))
                verify.push_back(index);
        }
    }
    return verify;
}

} // namespace

Expected<std::vector<double>> resolveWeight(DumpReader& reader, const LossSpec& spec)
{
    if (spec.weightTensor.isEmpty())
        return spec.weight;
    const int index = reader.indexOf(spec.weightTensor);
    if (index < 0) {
        return Error{QStringLiteral("%1: there is no tensor %2 to use as the class weight")
                         .arg(reader.filePath(), spec.weightTensor)};
    }
    const TensorInfo& tensor = reader.tensors()[index];
    // A weight of another rank is read all the same: PyTorch's refusal of it is a diagnostic
    // of each pair (weightShapeDiagnostic), not an unreadable file.
    if (tensor.shape.empty()) {
        return Error{QStringLiteral("%1: the class weight %2 must be 1-D, but it has shape %3")
                         .arg(reader.filePath(), tensor.path, shapeToString(tensor.shape))};
    }
    std::vector<double> weight(static_cast<size_t>(tensor.elementCount()));
    if (Status s = reader.readRows(index, 0, tensor.shape[0], DType::Float64, weight.data()); !s)
        return s.failure();
    return weight;
}

DumpSummary summarizeDump(const DumpReader& reader)
{
    return DumpSummary{reader.filePath(), reader.format(), reader.tensors(),
                       reader.groups(),   reader.notes(),  reader.skipped()};
}

namespace {

// Each diagnostic whose fix only transforms the dump's tensors, sets a loss option or re-pairs
// gets the statements that do it, once checked to apply to this dump.
void attachTransforms(DumpReader& reader, const LossSpec& spec, AnalysisResult& result)
{
    FixContext context;
    for (const TensorInfo& tensor : reader.tensors())
        context.tensors << tensor.name << tensor.path;
    for (Diagnostic& d : result.diagnostics) {
        if (d.fix.isEmpty() || d.pair >= int(result.pairs.size()))
            continue;
        context.input.clear();
        context.target.clear();
        if (d.pair >= 0) {
            const PairResult& pair = result.pairs[size_t(d.pair)];
            if (pair.inputTensor < 0 || pair.targetTensor < 0)
                continue;
            context.input = reader.tensors()[size_t(pair.inputTensor)].name;
            context.target = reader.tensors()[size_t(pair.targetTensor)].name;
        }
        const QStringList statements = transformsOfFix(d.fix, context);
        if (!statements.isEmpty() && checkTransforms(reader, spec, statements))
            d.apply = statements;
    }
}

} // namespace

Expected<AnalysisResult> analyzeDump(DumpReader& reader, const AnalysisOptions& options,
                                     const ProgressCallback& progress)
{
    if (!options.transforms.isEmpty())
        return analyzeTransformed(reader, options, progress);
    // The dump's recorded settings apply when the user chose none; the kind is guessed once,
    // here, after them; everything after sees the chosen spec.
    const Expected<LossSpec> effective = effectiveLossSpec(options.spec, reader.groups());
    if (!effective)
        return Error{QStringLiteral("%1: %2").arg(reader.filePath(), effective.error())};
    AnalysisOptions chosen = options;
    chosen.spec = *effective;
    if (Status valid = validateSpec(chosen.spec); !valid)
        return valid.failure();
    const Expected<std::vector<double>> weight = resolveWeight(reader, chosen.spec);
    if (!weight)
        return weight.failure();
    std::optional<ClassNamesSource> userNames;
    if (!options.classNamesFile.isEmpty()) {
        const Expected<QStringList> names = readClassNamesFile(options.classNamesFile);
        if (!names)
            return names.failure();
        userNames = ClassNamesSource{*names, QFileInfo(options.classNamesFile).fileName(), {}};
    }
    // A guess by names comes first, because CTC pairs its tensors by other roles; the shape
    // guess needs the pairs.
    std::optional<LossGuess> guess;
    if (chosen.spec.guessKind && (guess = guessLossKindByNames(reader.tensors())))
        chosen.spec.kind = guess->kind;
    const Expected<Pairing> pairing = pairTensors(reader.tensors(), chosen.spec);
    if (!pairing)
        return Error{QStringLiteral("%1: %2").arg(reader.filePath(), pairing.error())};
    if (chosen.spec.guessKind && !guess)
        guess = guessLossKind(reader.tensors(), *pairing);

    AnalysisResult result;
    if (guess) {
        chosen.spec.kind = guess->kind;
        result.lossKindReason = guess->reason;
    }
    const LossSpec& spec = chosen.spec;
    result.dump = summarizeDump(reader);
    result.spec = spec;
    result.torch =
        chooseTorch(options.torch, options.torchSource, recordedTorchVersion(reader.groups()));
    const auto& tensors = reader.tensors();
    const bool ctc = spec.kind == LossKind::Ctc; // its own path: four tensors, not a pair
    const std::vector<PlannedJob> jobs =
        ctc ? std::vector<PlannedJob>{} : checkPairs(*pairing, tensors, chosen, *weight, result);
    for (const Run& run : pairing->runs)
        result.runs.push_back(RunResult{run.name, run.pairs, {}});
    const std::vector<int> verify = tensorsToVerify(*pairing, tensors, chosen);

    qint64 total = 0;
    for (const PlannedJob& planned : jobs)
        total += LossEngine::workFor(reader, planned.job);
    for (int index : verify)
        total += verifiedElements(tensors[index], true);
    for (const TensorPair& pair : ctc ? pairing->pairs : std::vector<TensorPair>{})
        total += tensors[pair.input].elementCount();
    AnalysisProgress tracker(progress, options.progressIntervalMs, total);

    WorkerPool pool(options.threads);
    LossEngine engine(reader, pool, options.budget);
    if (Status s = computeLosses(reader, engine, jobs, tensors, tracker, result); !s)
        return s.failure();
    describeBroadcasts(reader, result);
    for (size_t p = 0; ctc && p < pairing->pairs.size(); ++p) {
        const TensorPair& pair = pairing->pairs[p];
        if (!tracker.begin(
                QStringLiteral("Computing ctc losses of %1").arg(tensors[pair.input].path)))
            return Error::cancelled();
        const Status s =
            analyzeCtcPair(reader, pool, chosen, pair, int(p), tracker.inStep(), result);
        if (!s)
            return s.failure();
        tracker.end(tensors[pair.input].elementCount());
    }
    // After the CTC pairs, which their own path adds to result.pairs.
    result.flows = traceFlows(tensors, result.pairs, spec);
    for (Diagnostic& d : diagnoseFlows(result.flows, tensors, result.pairs))
        result.diagnostics.push_back(std::move(d));
    if (std::optional<Diagnostic> nothing = nothingChecked(tensors, result.pairs))
        result.diagnostics.push_back(std::move(*nothing));
    diagnoseRuns(result);
    listUnpaired(*pairing, tensors, spec, result);
    for (int index : verify) {
        if (!tracker.begin(QStringLiteral("Checking %1").arg(tensors[index].path)))
            return Error::cancelled();
        // An unpaired tensor is probed, never read whole: a check reads what its pairs need.
        if (Status s = verifyTensor(reader, index, tracker.inStep(), true); s.isCancelled())
            return s.failure();
        else if (!s)
            result.diagnostics.push_back(damaged(tensors[index], -1, s.error()));
        tracker.end(verifiedElements(tensors[index], true));
    }
    tracker.finish();
    attachClassNames(reader, userNames, result);
    attachTransforms(reader, chosen.spec, result);
    return result;
}

} // namespace shapescope
