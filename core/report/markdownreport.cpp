// SPDX-License-Identifier: GPL-3.0-or-later
#include "markdownreport.h"

#include "analysis/classnames.h"
#include "analysis/transformedanalysis.h"
#include "common/atomicwrite.h"
#include "common/displaytext.h"
#include "flowreport.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace shapescope {

namespace {

// A table cell: pipes would end the cell and newlines the row.
QString cell(QString text)
{
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

// Inline code whose fence is longer than any backtick run inside (CommonMark code spans).
QString code(const QString& text)
{
    int longest = 0;
    int run = 0;
    for (QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(longest + 1, QLatin1Char('`'));
    const bool pad = text.startsWith(QLatin1Char('`')) || text.endsWith(QLatin1Char('`'));
    return fence + (pad ? QStringLiteral(" ") : QString()) + text +
           (pad ? QStringLiteral(" ") : QString()) + fence;
}

// A fenced block that no line of `text` can close.
QString block(const QString& text, const QString& language)
{
    int longest = 2;
    static const QRegularExpression backticks(QStringLiteral("`+"));
    for (auto it = backticks.globalMatch(text); it.hasNext();)
        longest = std::max(longest, static_cast<int>(it.next().capturedLength()));
    const QString fence(longest + 1, QLatin1Char('`'));
    QString body = text;
    if (!body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    return fence + language + QLatin1Char('\n') + body + fence + QLatin1Char('\n');
}

QString row(const QStringList& cells)
{
    QStringList escaped;
    for (const QString& c : cells)
        escaped << cell(c);
    return QStringLiteral("| ") + escaped.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
}

QString header(const QStringList& cells, const QString& alignment)
{
    QString separator = QStringLiteral("|");
    for (qsizetype c = 0; c < cells.size(); ++c)
        separator += alignment.at(c) == QLatin1Char('r') ? QStringLiteral(" ---: |")
                                                         : QStringLiteral(" --- |");
    return row(cells) + separator + QLatin1Char('\n');
}

QString plural(qint64 count, const QString& word)
{
    return QString::number(count) + QLatin1Char(' ') + word +
           (count == 1 ? QString() : QStringLiteral("s"));
}

QString diagnostics(const AnalysisResult& result)
{
    QString text = QStringLiteral("## Diagnostics\n\n");
    if (result.diagnostics.empty())
        return text + QStringLiteral("None: PyTorch would accept every pair, and the values look "
                                     "healthy.\n\n");
    std::vector<const Diagnostic*> ordered;
    for (const Diagnostic& d : result.diagnostics)
        ordered.push_back(&d);
    // Errors first: they are what stops training.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Diagnostic* a, const Diagnostic* b) {
        return static_cast<int>(a->severity) > static_cast<int>(b->severity);
    });
    for (const Diagnostic* d : ordered) {
        text += QStringLiteral("### %1: %2\n\n").arg(severityTitle(d->severity), d->codeName());
        if (!d->tensors.isEmpty()) {
            QStringList tensors;
            for (const QString& t : d->tensors)
                tensors << code(t);
            text += QStringLiteral("Tensors: ") + tensors.join(QStringLiteral(", ")) +
                    QStringLiteral("\n\n");
        }
        text += d->message + QStringLiteral("\n\n");
        if (d->hasPytorchError())
            text += QStringLiteral("PyTorch raises:\n\n") +
                    block(d->pytorchError, QStringLiteral("text")) + QLatin1Char('\n');
        if (!d->versionNote.isEmpty())
            text += QStringLiteral("**Versions:** ") + d->versionNote + QStringLiteral("\n\n");
        if (!d->explanation.isEmpty())
            text += QStringLiteral("**Why:** ") + d->explanation + QStringLiteral("\n\n");
        if (!d->fix.isEmpty())
            text += QStringLiteral("**Fix:**\n\n") + block(d->fix, QStringLiteral("python")) +
                    QLatin1Char('\n');
        if (!d->samples.empty()) {
            QStringList samples;
            for (qint64 s : d->samples)
                samples << QString::number(s);
            text += QStringLiteral("Samples: ") + samples.join(QStringLiteral(", ")) +
                    QStringLiteral("\n\n");
        }
    }
    return text;
}

QString pairs(const AnalysisResult& result)
{
    QString text = QStringLiteral("## Pairs\n\n");
    if (result.pairs.empty())
        return text +
               QStringLiteral("None: no tensor is named like a model output and a target.\n\n");
    text +=
        header({QStringLiteral("Input"), QStringLiteral("Target"), QStringLiteral("Layout"),
                QStringLiteral("Mean loss"), QStringLiteral("Min"), QStringLiteral("Max"),
                QStringLiteral("Samples"), QStringLiteral("Accuracy"), QStringLiteral("Ignored")},
               QStringLiteral("lllrrrrrr"));
    for (const PairResult& pair : result.pairs) {
        const PairLayout& layout = pair.layout;
        QString shape = QStringLiteral("N=%1, C=%2, %3")
                            .arg(layout.batchSize)
                            .arg(layout.numClasses)
                            .arg(targetKindName(layout.targetKind));
        if (!layout.interpretation.isEmpty())
            shape += QStringLiteral("; read as: ") + layout.interpretation;
        if (!pair.classNames.isEmpty())
            shape += QStringLiteral("; class names from ") + pair.classNamesSource;
        if (!pair.classNamesNote.isEmpty())
            shape += QStringLiteral(" (%1)").arg(pair.classNamesNote);
        if (!pair.hasLosses) {
            text += row({pair.input, pair.target, shape,
                         QStringLiteral("not computed: ") + pair.lossError, QString(), QString(),
                         QString(), QString(), QString()});
            continue;
        }
        const LossSummary& s = pair.summary;
        text +=
            row({pair.input, pair.target, shape, numberText(s.mean, 6), numberText(s.min, 6),
                 numberText(s.max, 6), QString::number(s.samples),
                 s.accuracy >= 0 ? QString::number(s.accuracy * 100.0, 'f', 1) + QLatin1Char('%')
                                 : QStringLiteral("-"),
                 QString::number(s.ignored)});
    }
    return text + QLatin1Char('\n');
}

QString flows(const AnalysisResult& result)
{
    const std::vector<const StepFlow*> shown = flowsToShow(result);
    if (shown.empty())
        return {};
    QString text = QStringLiteral("## Flow\n\n");
    for (const StepFlow* flow : shown)
        text += QStringLiteral("- %1: %2\n")
                    .arg(code(flow->group.isEmpty() ? QStringLiteral("/") : flow->group),
                         flowLine(*flow, result.dump.tensors));
    return text + QLatin1Char('\n');
}

QString runs(const AnalysisResult& result)
{
    if (result.runs.empty())
        return {};
    QString text = QStringLiteral("## Runs\n\n");
    for (const RunResult& run : result.runs) {
        text += QStringLiteral("%1: %2 batch%3\n\n")
                    .arg(code(run.name))
                    .arg(run.batches.size())
                    .arg(run.batches.size() == 1 ? QString() : QStringLiteral("es"));
        text += header({QStringLiteral("Batch"), QStringLiteral("Group"), QStringLiteral("Size"),
                        QStringLiteral("Mean loss")},
                       QStringLiteral("rlrr"));
        for (size_t b = 0; b < run.batches.size(); ++b) {
            const BatchStatistic& batch = run.batches[b];
            text += row({QString::number(b), batch.group, QString::number(batch.size),
                         numberText(batch.meanLoss, 6)});
        }
        text += QLatin1Char('\n');
    }
    return text;
}

QString highestLoss(const AnalysisResult& result, int rows)
{
    struct Entry
    {
        const PairResult* pair;
        RankedSample sample;
    };
    std::vector<Entry> entries;
    for (const PairResult& pair : result.pairs) {
        if (!pair.hasLosses)
            continue;
        for (const RankedSample& s : pair.summary.highestLoss)
            entries.push_back({&pair, s});
    }
    if (rows <= 0 || entries.empty())
        return {};
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.sample.loss > b.sample.loss; });
    entries.resize(std::min(entries.size(), static_cast<size_t>(rows)));
    QString text =
        QStringLiteral("## Highest-loss samples\n\nConfident wrong predictions at the top "
                       "are often mislabelled samples.\n\n");
    text +=
        header({QStringLiteral("Pair"), QStringLiteral("Sample"), QStringLiteral("Target"),
                QStringLiteral("Predicted"), QStringLiteral("p(target)"), QStringLiteral("Loss")},
               QStringLiteral("lrrrrr"));
    for (const Entry& e : entries) {
        const RankedSample& s = e.sample;
        text += row(
            {e.pair->input, QString::number(s.sample),
             s.target >= 0 ? classLabel(e.pair->classNames, s.target) : QStringLiteral("-"),
             s.predicted >= 0 ? classLabel(e.pair->classNames, s.predicted) : QStringLiteral("-"),
             std::isnan(s.pTarget) ? QStringLiteral("-") : numberText(s.pTarget, 6),
             numberText(s.loss, 6)});
    }
    return text + QLatin1Char('\n');
}

QString tensors(const DumpSummary& dump)
{
    QString text = QStringLiteral("## Tensors\n\n");
    text += header({QStringLiteral("Tensor"), QStringLiteral("Shape"), QStringLiteral("Dtype"),
                    QStringLiteral("Storage")},
                   QStringLiteral("llll"));
    for (const auto* list : {&dump.tensors, &dump.skipped}) {
        for (const TensorInfo& tensor : *list) {
            text +=
                row({tensor.path, shapeToString(tensor.shape), tensor.typeText(),
                     tensor.readable() ? tensor.storage
                                       : QStringLiteral("unreadable: ") + tensor.unreadableReason});
        }
    }
    for (const QString& note : dump.notes)
        text += QStringLiteral("\nNote: ") + note + QLatin1Char('\n');
    return text;
}

} // namespace

QString analysisToMarkdown(const AnalysisResult& result, const MarkdownOptions& options)
{
    const QString name = QFileInfo(result.dump.file).fileName();
    QString text =
        QStringLiteral("# ShapeScope report: %1\n\n").arg(name.isEmpty() ? result.dump.file : name);
    const int errors = result.count(Severity::Error);
    const int warnings = result.count(Severity::Warning);
    const int infos = result.count(Severity::Info);
    text +=
        QStringLiteral("- File: %1 (%2, %3)\n")
            .arg(code(result.dump.file), formatName(result.dump.format),
                 plural(static_cast<qint64>(result.dump.tensors.size()), QStringLiteral("tensor")));
    text += QStringLiteral("- Loss: %1\n").arg(code(lossSpecText(result.spec)));
    if (!result.lossKindReason.isEmpty())
        text += QStringLiteral("- Loss kind %1\n").arg(result.lossKindReason);
    if (!result.transforms.isEmpty()) {
        const TransformVerdict verdict = transformVerdict(result);
        QStringList applied;
        for (const QString& transform : result.transforms)
            applied << code(transform);
        text +=
            QStringLiteral("- Transforms (on the analysis, not the file): %1; was: %2; now: %3\n")
                .arg(applied.join(QStringLiteral(", ")), verdict.was.join(QStringLiteral("; ")),
                     verdict.now.join(QStringLiteral("; ")));
    }
    text += QStringLiteral("- PyTorch: %1\n").arg(result.torch.describe());
    text += QStringLiteral("- Findings: %1, %2, %3 info\n\n")
                .arg(plural(errors, QStringLiteral("error")),
                     plural(warnings, QStringLiteral("warning")))
                .arg(infos);
    if (!options.plotImage.isEmpty()) {
        QString alt =
            options.plotCaption.isEmpty() ? QStringLiteral("Loss plot") : options.plotCaption;
        alt.replace(QLatin1Char(']'), QLatin1Char(')')).replace(QLatin1Char('['), QLatin1Char('('));
        QString target = options.plotImage;
        target.replace(QLatin1Char(' '), QStringLiteral("%20"));
        text += QStringLiteral("![%1](%2)\n\n").arg(alt, target);
    }
    text += diagnostics(result);
    text += pairs(result);
    text += flows(result);
    text += runs(result);
    text += highestLoss(result, options.highestLossRows);
    text += tensors(result.dump);
    return text;
}

Status saveMarkdownReport(const AnalysisResult& result, const QString& path,
                          const QString& protectedPath, const MarkdownOptions& options)
{
    return writeAtomically(path, protectedPath, analysisToMarkdown(result, options).toUtf8());
}

} // namespace shapescope
