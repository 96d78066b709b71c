// SPDX-License-Identifier: GPL-3.0-or-later
#include "textreport.h"

#include "analysis/axisnames.h"
#include "analysis/transformedanalysis.h"
#include "common/displaytext.h"
#include "flowreport.h"

#include <QStringList>
#include <algorithm>
#include <cmath>

namespace shapescope {

namespace {

QString wrap(const QString& text, int width, const QString& indent)
{
    QStringList lines;
    QString line;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& word : words) {
        if (!line.isEmpty() && indent.size() + line.size() + 1 + word.size() > width) {
            lines << indent + line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        lines << indent + line;
    return lines.join(QLatin1Char('\n'));
}

QString indentLines(const QString& text, const QString& indent)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines)
        line.prepend(indent);
    return lines.join(QLatin1Char('\n'));
}

QString table(const QList<QStringList>& rows)
{
    std::vector<qsizetype> widths;
    for (const QStringList& row : rows) {
        widths.resize(std::max<size_t>(widths.size(), static_cast<size_t>(row.size())), 0);
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    QStringList out;
    for (const QStringList& row : rows) {
        QString line = QStringLiteral("  ");
        for (qsizetype c = 0; c < row.size(); ++c)
            line += c + 1 < row.size() ? row[c].leftJustified(widths[c] + 2) : row[c];
        out << line;
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

QString dumpToText(const DumpSummary& dump, int width)
{
    Q_UNUSED(width);
    QList<QStringList> rows{{QStringLiteral("TENSOR"), QStringLiteral("SHAPE"),
                             QStringLiteral("DTYPE"), QStringLiteral("STORAGE")}};
    for (const auto* list : {&dump.tensors, &dump.skipped}) {
        for (const TensorInfo& tensor : *list) {
            rows << QStringList{tensor.path, shapeToString(tensor.shape), tensor.typeText(),
                                tensor.readable()
                                    ? tensor.storage
                                    : QStringLiteral("unreadable: ") + tensor.unreadableReason};
        }
    }
    QString text = QStringLiteral("%1 (%2, %3 tensors)\n\n")
                       .arg(dump.file, formatName(dump.format))
                       .arg(dump.tensors.size()) +
                   table(rows) + QLatin1Char('\n');
    for (const QString& note : dump.notes)
        text += QStringLiteral("  note: ") + note + QLatin1Char('\n');
    return text;
}

namespace {

// "4 (N) x 12 (T) x 50 (V)": the tensor's extents with core's axis names.
QString axesText(const AnalysisResult& result, int tensor, const PairLayout& layout, bool input)
{
    const TensorInfo* info = result.dump.tensor(tensor);
    if (!info)
        return {};
    const std::vector<AxisRole>& roles = input ? layout.inputRoles : layout.targetRoles;
    const QStringList labels = axisLabels(layout, roles, info->shape.size());
    QStringList parts;
    for (size_t axis = 0; axis < info->shape.size(); ++axis) {
        const QString& label = labels[qsizetype(axis)];
        parts << (label.isEmpty() ? QString::number(info->shape[axis])
                                  : QStringLiteral("%1 (%2)").arg(info->shape[axis]).arg(label));
    }
    return parts.isEmpty() ? QStringLiteral("scalar") : parts.join(QStringLiteral(" x "));
}

} // namespace

QString analysisToText(const AnalysisResult& result, int width)
{
    return dumpToText(result.dump, width) + findingsToText(result, width);
}

QString findingsToText(const AnalysisResult& result, int width)
{
    QString text = QStringLiteral("\nPyTorch: %1\n").arg(result.torch.describe());
    if (!result.lossKindReason.isEmpty())
        text += QStringLiteral("Loss: %1\n").arg(result.lossKindReason);
    if (!result.transforms.isEmpty()) {
        const TransformVerdict verdict = transformVerdict(result);
        text += QStringLiteral("\nTransforms (applied to the analysis, never to the file)\n");
        for (const QString& applied : result.transforms)
            text += QStringLiteral("  %1\n").arg(applied);
        text += QStringLiteral("  was: %1\n  now: %2\n")
                    .arg(verdict.was.join(QStringLiteral("\n       ")),
                         verdict.now.join(QStringLiteral("\n       ")));
    }
    text += QStringLiteral("\nPairs (%1 loss)\n").arg(lossKindName(result.spec.kind));
    if (result.pairs.empty())
        text += QStringLiteral("  none: no tensor is named like a model output and a target\n");
    for (const PairResult& pair : result.pairs) {
        const PairLayout& layout = pair.layout;
        text +=
            QStringLiteral("  %1 -> %2%3\n")
                .arg(pair.input, pair.target,
                     pair.guessed ? QStringLiteral(" (guessed by shape and dtype)") : QString());
        text += QStringLiteral("      N=%1, C=%2, class axis %3, %4")
                    .arg(layout.batchSize)
                    .arg(layout.numClasses)
                    .arg(layout.classAxis)
                    .arg(targetKindName(layout.targetKind));
        if (!layout.interpretation.isEmpty())
            text += QStringLiteral("; read as: ") + layout.interpretation;
        text += QLatin1Char('\n');
        if (!layout.inputRoles.empty())
            text += QStringLiteral("      axes: %1 %2, %3 %4\n")
                        .arg(pair.input, axesText(result, pair.inputTensor, layout, true),
                             pair.target, axesText(result, pair.targetTensor, layout, false));
        if (!pair.classNames.isEmpty())
            text += QStringLiteral("      class names: %1 from %2\n")
                        .arg(pair.classNames.size())
                        .arg(pair.classNamesSource);
        if (!pair.classNamesNote.isEmpty())
            text += QStringLiteral("      class names note: %1\n").arg(pair.classNamesNote);
        if (pair.hasLosses) {
            const LossSummary& s = pair.summary;
            text +=
                QStringLiteral("      loss: mean %1 (PyTorch reduction='mean'), min %2, max %3, "
                               "%4 samples")
                    .arg(numberText(s.mean, 6), numberText(s.min, 6), numberText(s.max, 6))
                    .arg(s.samples);
            if (s.accuracy >= 0)
                text += QStringLiteral(", accuracy %1%").arg(s.accuracy * 100.0, 0, 'f', 1);
            if (s.ignored > 0)
                text += QStringLiteral(", %1 ignored (%2%)")
                            .arg(s.ignored)
                            .arg(s.ignoredShare() * 100.0, 0, 'f', 1);
            text += QLatin1Char('\n');
            if (!pair.lossCaveat.isEmpty())
                text += QStringLiteral("      note: %1\n").arg(pair.lossCaveat);
        } else {
            text += QStringLiteral("      loss: not computed: %1\n").arg(pair.lossError);
        }
    }
    const std::vector<const StepFlow*> flows = flowsToShow(result);
    if (!flows.empty())
        text += QStringLiteral("\nFlow (loader -> model -> loss)\n");
    for (const StepFlow* flow : flows)
        text += wrap(QStringLiteral("%1: %2").arg(flow->group.isEmpty() ? QStringLiteral("/")
                                                                        : flow->group,
                                                  flowLine(*flow, result.dump.tensors)),
                     width, QStringLiteral("  ")) +
                QLatin1Char('\n');
    const int errors = result.count(Severity::Error);
    const int warnings = result.count(Severity::Warning);
    const int infos = result.count(Severity::Info);
    text += QStringLiteral("\nDiagnostics: %1 error%2, %3 warning%4, %5 info\n")
                .arg(errors)
                .arg(errors == 1 ? QString() : QStringLiteral("s"))
                .arg(warnings)
                .arg(warnings == 1 ? QString() : QStringLiteral("s"))
                .arg(infos);
    for (const Diagnostic& d : result.diagnostics) {
        text += QStringLiteral("\n  %1 [%2] %3\n")
                    .arg(severityName(d.severity).toUpper(), d.codeName(),
                         d.tensors.join(QStringLiteral(", ")));
        text += wrap(d.message, width, QStringLiteral("    ")) + QLatin1Char('\n');
        if (d.hasPytorchError())
            text += wrap(QStringLiteral("PyTorch raises: ") + d.pytorchError, width,
                         QStringLiteral("    ")) +
                    QLatin1Char('\n');
        if (!d.versionNote.isEmpty())
            text +=
                wrap(QStringLiteral("Versions: ") + d.versionNote, width, QStringLiteral("    ")) +
                QLatin1Char('\n');
        if (!d.explanation.isEmpty())
            text += wrap(QStringLiteral("Why: ") + d.explanation, width, QStringLiteral("    ")) +
                    QLatin1Char('\n');
        if (!d.fix.isEmpty())
            text += QStringLiteral("    Fix:\n") + indentLines(d.fix, QStringLiteral("        ")) +
                    QLatin1Char('\n');
    }
    return text;
}

} // namespace shapescope
