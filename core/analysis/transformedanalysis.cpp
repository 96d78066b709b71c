// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformedanalysis.h"

#include "common/displaytext.h"
#include "losstransforms.h"
#include "recordedloss.h"
#include "transform/transformedreader.h"

namespace shapescope {

namespace {

QStringList errorsOf(const AnalysisResult& result)
{
    QStringList errors;
    for (const Diagnostic& d : result.diagnostics) {
        if (d.severity == Severity::Error)
            errors << (d.hasPytorchError() ? d.pytorchError : d.message);
    }
    errors.removeDuplicates();
    return errors;
}

} // namespace

namespace {

// The spec with the loss's statements applied on top of what the analysis would use (the
// user's settings, else the dump's recorded ones), so a tried ignore_index keeps the rest.
Expected<LossSpec> transformedSpec(const DumpReader& reader, const LossSpec& requested,
                                   const std::vector<LossTransform>& transforms)
{
    Expected<LossSpec> spec = effectiveLossSpec(requested, reader.groups());
    if (!spec)
        return spec;
    for (const LossTransform& t : transforms) {
        if (Status s = applyLossTransform(t, reader, *spec); !s)
            return s.failure();
    }
    return spec;
}

// What was applied, in the user's order: the loss's statements and the tensors' as the
// TransformedReader wrote them.
QStringList appliedInOrder(const QStringList& statements, const SplitTransforms& split,
                           const QStringList& tensorsApplied)
{
    QStringList applied;
    size_t loss = 0;
    qsizetype tensor = 0;
    for (const QString& statement : statements) {
        if (parseLossTransform(statement))
            applied << split.loss[loss++].text();
        else if (tensor < tensorsApplied.size())
            applied << tensorsApplied[tensor++];
    }
    return applied;
}

} // namespace

Expected<AnalysisResult> analyzeTransformed(DumpReader& reader, const AnalysisOptions& options,
                                            const ProgressCallback& progress)
{
    const Expected<SplitTransforms> split = splitTransforms(options.transforms);
    if (!split)
        return Error{QStringLiteral("%1: %2").arg(reader.filePath(), split.error())};
    Expected<std::unique_ptr<TransformedReader>> view =
        TransformedReader::create(reader, split->tensors);
    if (!view)
        return Error{QStringLiteral("%1: %2").arg(reader.filePath(), view.error())};
    AnalysisOptions plain = options;
    plain.transforms.clear();
    if (!split->loss.empty()) {
        const Expected<LossSpec> spec = transformedSpec(**view, options.spec, split->loss);
        if (!spec)
            return Error{QStringLiteral("%1: %2").arg(reader.filePath(), spec.error())};
        plain.spec = *spec;
    }
    // The dump as saved, losses included: some of what torch raises (a label out of range) is
    // found only while computing them. Each pass is half of the progress.
    AnalysisOptions asSaved = options;
    asSaved.transforms.clear();
    asSaved.verifyUnpaired = false;
    auto half = [&progress](double offset) {
        return [&progress, offset](double fraction, const QString& message) {
            return !progress || progress(offset + fraction / 2, message);
        };
    };
    const Expected<AnalysisResult> before = analyzeDump(reader, asSaved, half(0.0));
    if (!before)
        return before;
    Expected<AnalysisResult> after = analyzeDump(**view, plain, half(0.5));
    if (!after)
        return after;
    after->transforms = appliedInOrder(options.transforms, *split, (*view)->applied());
    after->errorsBefore = errorsOf(*before);
    return after;
}

Status checkTransforms(DumpReader& reader, const LossSpec& spec, const QStringList& statements)
{
    const Expected<SplitTransforms> split = splitTransforms(statements);
    if (!split)
        return split.failure();
    const Expected<std::unique_ptr<TransformedReader>> view =
        TransformedReader::create(reader, split->tensors);
    if (!view)
        return view.failure();
    LossSpec changed = spec;
    for (const LossTransform& t : split->loss) {
        if (Status s = applyLossTransform(t, **view, changed); !s)
            return s;
    }
    return {};
}

QString transformsCode(const AnalysisResult& result)
{
    QStringList lines;
    bool lossChanged = false;
    QString call;
    for (const QString& applied : result.transforms) {
        const std::optional<Expected<LossTransform>> loss = parseLossTransform(applied);
        if (!loss)
            lines << applied;
        else if (loss->ok() && (*loss)->kind == LossTransform::Kind::Pair)
            call = QStringLiteral("loss = criterion(%1, %2)").arg((*loss)->input, (*loss)->target);
        else
            lossChanged = true;
    }
    if (lossChanged) {
        LossSpec spec = result.spec;
        spec.classDim.reset(); // an analysis setting, not an argument of the loss
        lines << QStringLiteral("criterion = ") + lossSpecText(spec);
    }
    if (!call.isEmpty())
        lines << call;
    return lines.isEmpty() ? QString() : lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

TransformVerdict transformVerdict(const AnalysisResult& result)
{
    TransformVerdict verdict;
    if (result.transforms.isEmpty())
        return verdict;
    verdict.was = result.errorsBefore.isEmpty() ? QStringList{QStringLiteral("accepted")}
                                                : result.errorsBefore;
    verdict.now = errorsOf(result);
    verdict.fixed = !result.errorsBefore.isEmpty() && verdict.now.isEmpty();
    if (!verdict.now.isEmpty())
        return verdict;
    QStringList means;
    for (const PairResult& pair : result.pairs) {
        if (pair.hasLosses)
            means << numberText(pair.summary.mean, 4);
    }
    verdict.now
        << (means.isEmpty()
                ? QStringLiteral("accepted")
                : QStringLiteral("accepted, mean loss %1").arg(means.join(QStringLiteral(", "))));
    return verdict;
}

} // namespace shapescope
