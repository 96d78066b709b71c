// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformedanalysis.h"

#include "common/displaytext.h"
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

Expected<AnalysisResult> analyzeTransformed(DumpReader& reader, const AnalysisOptions& options,
                                            const ProgressCallback& progress)
{
    Expected<std::unique_ptr<TransformedReader>> view =
        TransformedReader::create(reader, options.transforms);
    if (!view)
        return Error{QStringLiteral("%1: %2").arg(reader.filePath(), view.error())};
    AnalysisOptions plain = options;
    plain.transforms.clear();
    // The dump as saved, losses included: some of what torch raises (a label out of range) is
    // found only while computing them. Each pass is half of the progress.
    AnalysisOptions asSaved = plain;
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
    after->transforms = (*view)->applied();
    after->errorsBefore = errorsOf(*before);
    return after;
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
