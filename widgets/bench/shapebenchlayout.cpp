// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapebenchlayout.h"

#include "analysis/axisnames.h"
#include "common/textformat.h"

#include <QCoreApplication>
#include <algorithm>

namespace shapescope {

namespace {

QString columnTitle(const QString& role)
{
    if (role == QLatin1String("N"))
        return QCoreApplication::translate("shapescope", "batch N");
    if (role == QLatin1String("C"))
        return QCoreApplication::translate("shapescope", "classes C");
    if (role == QLatin1String("T"))
        return QCoreApplication::translate("shapescope", "time T");
    if (role == QLatin1String("V"))
        return QCoreApplication::translate("shapescope", "vocabulary V");
    if (role == QLatin1String("S"))
        return QCoreApplication::translate("shapescope", "labels S");
    return role;
}

BenchCell makeCell(const Shape& shape, const QStringList& roles, int axis)
{
    BenchCell cell;
    cell.present = true;
    cell.axis = axis;
    cell.extent = shape[size_t(axis)];
    cell.role = roles.value(axis);
    return cell;
}

CellMark worse(CellMark a, CellMark b)
{
    return std::max(a, b);
}

QString markName(CellMark mark)
{
    switch (mark) {
    case CellMark::Neutral:
        return QStringLiteral("neutral");
    case CellMark::Ok:
        return QStringLiteral("ok");
    case CellMark::Warning:
        return QStringLiteral("warning");
    case CellMark::Error:
        return QStringLiteral("error");
    }
    return {};
}

} // namespace

CellMark cellMarkFor(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return CellMark::Error;
    case Severity::Warning:
        return CellMark::Warning;
    case Severity::Info:
        return CellMark::Neutral;
    }
    return CellMark::Neutral;
}

BenchLayout BenchLayout::build(const AnalysisResult& result, int pairIndex, int selectedDiagnostic)
{
    BenchLayout bench;
    if (pairIndex < 0 || size_t(pairIndex) >= result.pairs.size())
        return bench;
    const PairResult& pair = result.pairs[size_t(pairIndex)];
    const TensorInfo* input = result.dump.tensor(pair.inputTensor);
    const TensorInfo* target = result.dump.tensor(pair.targetTensor);
    const Shape inShape = input ? input->shape : Shape{};
    const Shape tgShape = target ? target->shape : Shape{};
    bench.valid = true;
    bench.inputPath = pair.input;
    bench.targetPath = pair.target;
    bench.inputType = input ? dtypeName(input->dtype) : QString();
    bench.targetType = target ? dtypeName(target->dtype) : QString();

    // Without a layout (the pair could not be read as (N, C, d...)) axes align by position.
    const bool byRole = !pair.layout.inputRoles.empty();
    const QStringList inRoles = axisLabels(pair.layout, pair.layout.inputRoles, inShape.size());
    const QStringList tgRoles = axisLabels(pair.layout, pair.layout.targetRoles, tgShape.size());
    for (int axis = 0; axis < int(inShape.size()); ++axis) {
        BenchColumn column;
        column.input = makeCell(inShape, inRoles, axis);
        column.title = byRole && !column.input.role.isEmpty()
                           ? columnTitle(column.input.role)
                           : QCoreApplication::translate("shapescope", "axis %1").arg(axis);
        bench.columns.push_back(column);
    }
    for (int axis = 0; axis < int(tgShape.size()); ++axis) {
        BenchCell cell = makeCell(tgShape, tgRoles, axis);
        auto slot = bench.columns.end();
        if (byRole && !cell.role.isEmpty()) {
            slot =
                std::find_if(bench.columns.begin(), bench.columns.end(), [&](const BenchColumn& c) {
                    return !c.target.present && c.input.role == cell.role;
                });
        } else if (!byRole && size_t(axis) < bench.columns.size()) {
            slot = bench.columns.begin() + axis;
        }
        if (slot == bench.columns.end()) {
            BenchColumn column;
            column.title =
                cell.role.isEmpty()
                    ? QCoreApplication::translate("shapescope", "target axis %1").arg(axis)
                    : columnTitle(cell.role);
            bench.columns.push_back(column);
            slot = bench.columns.end() - 1;
        }
        slot->target = cell;
    }
    // CTC: the target's label sequence (S) is aligned to the input's steps (T) by the loss.
    const bool labelSequence = tgRoles.contains(QLatin1String("S"));
    for (BenchColumn& column : bench.columns) {
        if (labelSequence &&
            (column.target.role == QLatin1String("S") || column.input.role == QLatin1String("T"))) {
            column.missingNote = QCoreApplication::translate(
                "shapescope", "CTC aligns each sample's S labels to its T steps");
        } else if (column.input.present && !column.target.present &&
                   (column.input.role == QLatin1String("C") ||
                    column.input.role == QLatin1String("V")) &&
                   pair.layout.targetKind == TargetKind::ClassIndices) {
            column.missingNote = QCoreApplication::translate(
                "shapescope", "class indices: the target holds one class number per position");
        } else if (!column.input.present) {
            column.missingNote =
                QCoreApplication::translate("shapescope", "the input has no such axis");
        } else if (!column.target.present) {
            column.missingNote =
                QCoreApplication::translate("shapescope", "the target has no such axis");
        }
    }

    // Marks: every warning or error of the pair on the axes it names.
    for (size_t i = 0; i < result.diagnostics.size(); ++i) {
        const Diagnostic& d = result.diagnostics[i];
        if (d.pair != pairIndex || d.severity == Severity::Info)
            continue;
        const CellMark mark = cellMarkFor(d.severity);
        bench.overall = worse(bench.overall, mark);
        for (const AxisMark& axisMark : d.axes) {
            for (BenchColumn& column : bench.columns) {
                BenchCell& cell = axisMark.side == TensorSide::Input ? column.input : column.target;
                if (cell.present && cell.axis == axisMark.axis) {
                    cell.mark = worse(cell.mark, mark);
                    cell.highlighted = cell.highlighted || int(i) == selectedDiagnostic;
                }
            }
        }
        if (const std::optional<TensorSide> side = dtypeSide(d.code)) {
            CellMark& typeMark =
                *side == TensorSide::Input ? bench.inputTypeMark : bench.targetTypeMark;
            typeMark = worse(typeMark, mark);
        }
    }
    if (bench.overall == CellMark::Neutral) {
        bench.overall = CellMark::Ok;
        for (BenchColumn& column : bench.columns) {
            column.input.mark = column.input.present ? CellMark::Ok : CellMark::Neutral;
            column.target.mark = column.target.present ? CellMark::Ok : CellMark::Neutral;
        }
    }
    return bench;
}

int BenchLayout::count(CellMark mark) const
{
    int n = 0;
    for (const BenchColumn& column : columns)
        n += (column.input.present && column.input.mark == mark) +
             (column.target.present && column.target.mark == mark);
    return n;
}

QStringList BenchLayout::describeMarked() const
{
    QStringList lines;
    for (const BenchColumn& column : columns) {
        for (bool input : {true, false}) {
            const BenchCell& cell = input ? column.input : column.target;
            if (!cell.present || cell.mark == CellMark::Neutral || cell.mark == CellMark::Ok)
                continue;
            lines << QStringLiteral("%1 axis %2%3 = %4: %5")
                         .arg(input ? QStringLiteral("input") : QStringLiteral("target"))
                         .arg(cell.axis)
                         .arg(cell.role.isEmpty() ? QString()
                                                  : QStringLiteral(" (%1)").arg(cell.role))
                         .arg(cell.extent)
                         .arg(markName(cell.mark));
        }
    }
    return lines;
}

QString BenchLayout::describe() const
{
    if (!valid)
        return {};
    QStringList parts;
    for (const BenchColumn& column : columns) {
        auto side = [](const BenchCell& cell) {
            return cell.present ? QString::number(cell.extent) : QStringLiteral("-");
        };
        parts << QStringLiteral("%1: %2 %3 %4")
                     .arg(column.title, side(column.input),
                          column.extentsDiffer() ? QStringLiteral("!=") : QStringLiteral("|"),
                          side(column.target));
    }
    QString text = QStringLiteral("input %1 vs target %2; ").arg(inputPath, targetPath) +
                   parts.join(QStringLiteral("; "));
    const QStringList marked = describeMarked();
    if (!marked.isEmpty())
        text += QStringLiteral("; marked: ") + marked.join(QStringLiteral(", "));
    return text;
}

} // namespace shapescope
