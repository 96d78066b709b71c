// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepflow.h"

#include "analysisresult.h"
#include "common/naturalsort.h"
#include "shaperules.h"

#include <QHash>
#include <algorithm>

namespace shapescope {

namespace {

// "64x3x32x32": compact enough to list several tensors on one line.
QString compactShape(const Shape& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return parts.isEmpty() ? QStringLiteral("scalar") : parts.join(QLatin1Char('x'));
}

// An extra carries the batch when its name says it describes the samples (lengths, masks);
// a weight describes the classes.
bool extraCarriesBatch(const TensorInfo& tensor)
{
    const QStringList parts = nameParts(tensor.name.isEmpty() ? tensor.path : tensor.name);
    for (const QString& part : parts) {
        if (part.startsWith(QLatin1String("weight")))
            return false;
    }
    return classifyTensor(tensor) == TensorRole::Extra;
}

// Whether `rows` is the batch of `reference`: its batch axis, or the batch flattened with the
// neighbouring time axis (logits.view(-1, V) against (B, T) input_ids, or (T, B) time-major).
bool agrees(qint64 rows, const FlowTensor& reference, const TensorInfo& info)
{
    const Shape& shape = info.shape;
    const int axis = reference.batchAxis;
    if (reference.batch < 0 || rows == reference.batch)
        return true;
    const bool after = size_t(axis) + 1 < shape.size() && rows == reference.batch * shape[axis + 1];
    const bool before = axis > 0 && rows == reference.batch * shape[axis - 1];
    return after || before;
}

bool agreeEitherWay(const FlowTensor& a, const FlowTensor& b,
                    const std::vector<TensorInfo>& tensors)
{
    return a.batch < 0 || b.batch < 0 || agrees(a.batch, b, tensors[b.tensor]) ||
           agrees(b.batch, a, tensors[a.tensor]);
}

// The tensor the step's batch is read from when the dump has no loader tensor: the output,
// else the target; nullptr when neither has a batch axis.
const FlowTensor* stepBatchSource(const StepFlow& flow)
{
    for (TensorRole role : {TensorRole::Output, TensorRole::Target}) {
        const auto found =
            std::find_if(flow.tensors.begin(), flow.tensors.end(),
                         [role](const FlowTensor& t) { return t.role == role && t.batch >= 0; });
        if (found != flow.tensors.end())
            return &*found;
    }
    return nullptr;
}

// Without a loader tensor, the extras the loader gave beside the target (an attention_mask,
// lengths) still carry the batch: one whose rows match neither the batch nor the batch
// flattened with time diverges in the loader.
void markOddExtras(StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    const FlowTensor* source = stepBatchSource(flow);
    if (!source)
        return;
    const FlowTensor reference = *source;
    for (FlowTensor& t : flow.tensors) {
        if (t.role == TensorRole::Extra && t.carriesBatch && t.batch >= 0 &&
            !agrees(t.batch, reference, tensors[reference.tensor])) {
            t.diverges = true;
            flow.divergesAt = FlowStage::Loader;
        }
    }
}

// Marks where the step's batch first disagrees, following the data: the loader's own tensors,
// then the model's output against them; without a loader tensor, output against target.
void findDivergence(StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    const auto first =
        std::find_if(flow.tensors.begin(), flow.tensors.end(), [](const FlowTensor& t) {
            return t.role == TensorRole::Loader && t.batch >= 0;
        });
    if (first != flow.tensors.end()) {
        const FlowTensor reference = *first;
        const TensorInfo& info = tensors[first->tensor];
        for (FlowTensor& t : flow.tensors) {
            const bool loaderSide = t.role != TensorRole::Output;
            if (loaderSide && t.carriesBatch && t.batch >= 0 && !agrees(t.batch, reference, info))
                t.diverges = true;
        }
        if (std::any_of(flow.tensors.begin(), flow.tensors.end(),
                        [](const FlowTensor& t) { return t.diverges; })) {
            flow.divergesAt = FlowStage::Loader;
            return;
        }
        for (FlowTensor& t : flow.tensors) {
            if (t.role == TensorRole::Output && t.batch >= 0 && !agrees(t.batch, reference, info)) {
                t.diverges = true;
                flow.divergesAt = FlowStage::Model;
            }
        }
        return;
    }
    for (FlowTensor& output : flow.tensors) {
        if (output.role != TensorRole::Output)
            continue;
        for (FlowTensor& target : flow.tensors) {
            if (target.role == TensorRole::Target && !agreeEitherWay(output, target, tensors)) {
                target.diverges = true;
                flow.divergesAt = FlowStage::Target;
            }
        }
    }
    if (flow.divergesAt == FlowStage::None)
        markOddExtras(flow, tensors);
}

qint64 firstBatch(const StepFlow& flow, TensorRole role)
{
    for (const FlowTensor& t : flow.tensors) {
        if (t.role == role)
            return t.batch;
    }
    return -1;
}

QString listOf(const StepFlow& flow, const std::vector<TensorInfo>& tensors,
               bool (*wanted)(const FlowTensor&))
{
    QStringList parts;
    for (const FlowTensor& t : flow.tensors) {
        if (wanted(t))
            parts << QStringLiteral("%1 %2").arg(tensors[t.tensor].name,
                                                 compactShape(tensors[t.tensor].shape));
    }
    return parts.join(QStringLiteral(", "));
}

Diagnostic stepDiagnostic(const StepFlow& flow, DiagCode code, Severity severity)
{
    Diagnostic d;
    d.code = code;
    d.severity = severity;
    d.pair = flow.pairs.empty() ? -1 : flow.pairs.front();
    d.run = flow.run;
    return d;
}

Diagnostic loaderMismatch(const StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    const FlowTensor& reference =
        *std::find_if(flow.tensors.begin(), flow.tensors.end(), [](const FlowTensor& t) {
            return t.role == TensorRole::Loader && t.batch >= 0;
        });
    const FlowTensor& odd = *std::find_if(flow.tensors.begin(), flow.tensors.end(),
                                          [](const FlowTensor& t) { return t.diverges; });
    const TensorInfo& a = tensors[reference.tensor];
    const TensorInfo& b = tensors[odd.tensor];
    Diagnostic d = stepDiagnostic(flow, DiagCode::LoaderBatchMismatch, Severity::Warning);
    d.tensors = {a.path, b.path};
    d.axes = {{TensorSide::Target, 0}};
    d.message = QStringLiteral("the loader's %1 and %2 disagree (%3 vs %4), so the collate or "
                               "the dataset is wrong, not the model")
                    .arg(a.name, b.name)
                    .arg(reference.batch)
                    .arg(odd.batch);
    d.explanation =
        QStringLiteral(
            "Both come out of the data loader before the model runs, so their first axes must both "
            "be the batch. The dataset's __getitem__ returns a different number of %1 than of %2, "
            "or a collate_fn stacks them differently.")
            .arg(b.name, a.name);
    d.fix = QStringLiteral("# in the training loop, right after the loader:\n"
                           "assert %1.shape[0] == %2.shape[0], (%1.shape, %2.shape)")
                .arg(pythonName(a), pythonName(b));
    return d;
}

// loader-batch-mismatch for an extra of a step without loader tensors: the output and the
// target agree, and the extra the loader gave beside them does not.
Diagnostic extraMismatch(const StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    const FlowTensor& reference = *stepBatchSource(flow);
    const FlowTensor& odd = *std::find_if(flow.tensors.begin(), flow.tensors.end(),
                                          [](const FlowTensor& t) { return t.diverges; });
    const TensorInfo& a = tensors[reference.tensor];
    const TensorInfo& b = tensors[odd.tensor];
    Diagnostic d = stepDiagnostic(flow, DiagCode::LoaderBatchMismatch, Severity::Warning);
    d.tensors = {a.path, b.path};
    d.message = QStringLiteral("the step's batch is %1 (%2 %3), but %4 has %5 rows: the loader "
                               "gave it for another batch")
                    .arg(reference.batch)
                    .arg(a.name, compactShape(a.shape), b.name)
                    .arg(odd.batch);
    d.explanation =
        QStringLiteral(
            "%1 describes the samples of the batch, so its first axis must be the batch, as the "
            "output's and the target's are. A collate_fn that pads or filters the samples but "
            "not %1, or a mask kept from another batch, gives it other rows; the model then "
            "masks the wrong positions without an error.")
            .arg(b.name);
    d.fix = QStringLiteral("# in the collate_fn or the training loop: build %1 from the same "
                           "samples as %2\n"
                           "#     assert %1.shape[0] == %2.shape[0], (%1.shape, %2.shape)")
                .arg(pythonName(b), pythonName(a));
    return d;
}

bool isLoaderSide(const FlowTensor& t)
{
    return t.role != TensorRole::Output && t.carriesBatch;
}

Diagnostic modelChanged(const StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    const FlowTensor& output =
        *std::find_if(flow.tensors.begin(), flow.tensors.end(), [](const FlowTensor& t) {
            return t.role == TensorRole::Output && t.diverges;
        });
    const FlowTensor& loader =
        *std::find_if(flow.tensors.begin(), flow.tensors.end(), [](const FlowTensor& t) {
            return t.role == TensorRole::Loader && t.batch >= 0;
        });
    const TensorInfo& out = tensors[output.tensor];
    const TensorInfo& in = tensors[loader.tensor];
    Diagnostic d = stepDiagnostic(flow, DiagCode::BatchChangedInModel, Severity::Warning);
    d.tensors = {in.path, out.path};
    d.axes = {{TensorSide::Input, 0}};
    const bool merged = output.batch < loader.batch;
    d.message = QStringLiteral("the loader gave %1 (%2); the model's output has %3 rows, so the "
                               "model %4")
                    .arg(loader.batch)
                    .arg(listOf(flow, tensors, isLoaderSide))
                    .arg(output.batch)
                    .arg(merged ? QStringLiteral("merged samples")
                                : QStringLiteral("split samples into more rows"));
    d.explanation = QStringLiteral(
        "The loader's tensors agree with each other, so the batch changed inside the model: "
        "usually a view or reshape that folds the batch axis into another one, such as "
        "x.view(-1, N) with an N that is not the per-sample size.");
    d.fix = QStringLiteral("# in the model's forward, keep the batch axis when flattening:\n"
                           "#     x = x.flatten(1)  # or x.view(x.size(0), -1)\n"
                           "assert %1.shape[0] == %2.shape[0], (%1.shape, %2.shape)")
                .arg(pythonName(out), pythonName(in));
    return d;
}

Diagnostic guessedPair(const PairResult& pair, int index)
{
    Diagnostic d;
    d.code = DiagCode::GuessedPair;
    d.severity = Severity::Info;
    d.pair = index;
    d.run = pair.run;
    d.tensors = {pair.input, pair.target};
    d.message = QStringLiteral("%1 and %2 were paired by shape and dtype, a guess: no name says "
                               "which is the model output and which the target")
                    .arg(pair.input, pair.target);
    d.explanation =
        QStringLiteral(
            "%1 is floating point and its first axis has the length of the integer %2, as a model "
            "output and its class-index target do. Name them (logits, labels) or give their roles.")
            .arg(pair.input, pair.target);
    d.fix = QStringLiteral("shapescope check DUMP --role %1=output --role %2=target")
                .arg(pair.input, pair.target);
    return d;
}

} // namespace

QString flowStageName(FlowStage stage)
{
    switch (stage) {
    case FlowStage::None:
        return {};
    case FlowStage::Loader:
        return QStringLiteral("loader");
    case FlowStage::Model:
        return QStringLiteral("model");
    case FlowStage::Target:
        return QStringLiteral("target");
    }
    return {};
}

bool StepFlow::hasRole(TensorRole role) const
{
    return std::any_of(tensors.begin(), tensors.end(),
                       [role](const FlowTensor& t) { return t.role == role; });
}

std::vector<StepFlow> traceFlows(const std::vector<TensorInfo>& tensors,
                                 const std::vector<PairResult>& pairs, const LossSpec& spec)
{
    QHash<int, TensorRole> paired;
    QHash<int, int> pairedAxis; // the batch axis the pair's layout gives its input and target
    QHash<QString, std::vector<int>> pairsOf;
    for (size_t p = 0; p < pairs.size(); ++p) {
        const PairLayout& layout = pairs[p].layout;
        paired.insert(pairs[p].inputTensor, TensorRole::Output);
        paired.insert(pairs[p].targetTensor, TensorRole::Target);
        if (!pairedAxis.contains(pairs[p].inputTensor))
            pairedAxis.insert(pairs[p].inputTensor, batchAxisOf(layout.inputRoles));
        if (!pairedAxis.contains(pairs[p].targetTensor))
            pairedAxis.insert(pairs[p].targetTensor, batchAxisOf(layout.targetRoles));
        pairsOf[pairs[p].group].push_back(static_cast<int>(p));
    }
    std::vector<QString> groups;
    QHash<QString, std::vector<int>> members;
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (!members.contains(tensors[i].group))
            groups.push_back(tensors[i].group);
        members[tensors[i].group].push_back(static_cast<int>(i));
    }
    std::stable_sort(groups.begin(), groups.end(), naturalLess);

    std::vector<StepFlow> flows;
    for (const QString& group : groups) {
        StepFlow flow;
        flow.group = group;
        flow.pairs = pairsOf.value(group);
        for (int p : flow.pairs) {
            flow.guessed = flow.guessed || pairs[p].guessed;
            if (flow.run < 0 && pairs[p].run >= 0) {
                flow.run = pairs[p].run;
                flow.step = pairs[p].step;
            }
        }
        for (int index : members.value(group)) {
            const TensorInfo& tensor = tensors[index];
            FlowTensor t;
            t.tensor = index;
            t.path = tensor.path;
            t.batchAxis = tensor.shape.empty() ? -1 : pairedAxis.value(index, 0);
            if (size_t(t.batchAxis) >= tensor.shape.size() && t.batchAxis >= 0)
                t.batchAxis = 0; // roles of a layout made for another rank (a refused pair)
            t.batch = t.batchAxis >= 0 ? tensor.shape[size_t(t.batchAxis)] : -1;
            t.userRole =
                std::any_of(spec.roles.begin(), spec.roles.end(),
                            [&](const RoleOverride& o) { return samePath(tensor.path, o.path); });
            const TensorRole named = roleOf(tensor, spec.roles);
            t.role = paired.value(index, named == TensorRole::None ? TensorRole::Extra : named);
            if (t.role == TensorRole::Output && !paired.contains(index) && !t.userRole)
                t.role = TensorRole::Extra; // an output name in no pair (integer pred_labels)
            t.carriesBatch = t.role != TensorRole::Extra ||
                             (t.userRole ? !samePath(tensor.path, spec.weightTensor)
                                         : extraCarriesBatch(tensor));
            if (samePath(tensor.path, spec.weightTensor))
                t.carriesBatch = false;
            flow.tensors.push_back(std::move(t));
        }
        findDivergence(flow, tensors);
        flow.loaderBatch = firstBatch(flow, TensorRole::Loader);
        flow.outputBatch = firstBatch(flow, TensorRole::Output);
        flow.targetBatch = firstBatch(flow, TensorRole::Target);
        flows.push_back(std::move(flow));
    }
    return flows;
}

std::vector<Diagnostic> diagnoseFlows(const std::vector<StepFlow>& flows,
                                      const std::vector<TensorInfo>& tensors,
                                      const std::vector<PairResult>& pairs)
{
    std::vector<Diagnostic> found;
    for (const StepFlow& flow : flows) {
        const bool loaderBatch =
            std::any_of(flow.tensors.begin(), flow.tensors.end(), [](const FlowTensor& t) {
                return t.role == TensorRole::Loader && t.batch >= 0;
            });
        if (flow.divergesAt == FlowStage::Loader && loaderBatch)
            found.push_back(loaderMismatch(flow, tensors));
        else if (flow.divergesAt == FlowStage::Loader)
            found.push_back(extraMismatch(flow, tensors));
        else if (flow.divergesAt == FlowStage::Model)
            found.push_back(modelChanged(flow, tensors));
    }
    for (size_t p = 0; p < pairs.size(); ++p) {
        if (pairs[p].guessed)
            found.push_back(guessedPair(pairs[p], static_cast<int>(p)));
    }
    return found;
}

std::optional<Diagnostic> nothingChecked(const std::vector<TensorInfo>& tensors,
                                         const std::vector<PairResult>& pairs)
{
    if (!pairs.empty() || tensors.empty())
        return std::nullopt;
    const auto floating = std::find_if(tensors.begin(), tensors.end(), [](const TensorInfo& t) {
        return isFloating(t.dtype) && !t.shape.empty();
    });
    const TensorInfo& output = floating != tensors.end() ? *floating : tensors.front();
    const auto other = std::find_if(tensors.begin(), tensors.end(), [&](const TensorInfo& t) {
        return &t != &output && !t.shape.empty();
    });
    Diagnostic d;
    d.code = DiagCode::NoPairChecked;
    d.severity = Severity::Warning;
    d.message = QStringLiteral("nothing could be checked: no tensor of the dump is named or "
                               "shaped like a model output and its target");
    d.explanation = QStringLiteral(
        "ShapeScope checks a model output (logits, output, pred, scores) against its target "
        "(target, labels, y, mask) in each group, or a float tensor against an integer tensor of "
        "its length. This dump has no such pair, so no check ran: it did not pass.");
    d.fix = other == tensors.end()
                ? QStringLiteral("shapescope check DUMP --role %1=output --role TARGET=target")
                      .arg(output.path)
                : QStringLiteral("shapescope check DUMP --role %1=output --role %2=target")
                      .arg(output.path, other->path);
    d.tensors = {output.path};
    return d;
}

} // namespace shapescope
