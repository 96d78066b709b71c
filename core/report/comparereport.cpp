// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparereport.h"

#include "common/displaytext.h"

#include <QJsonArray>
#include <QStringList>
#include <cmath>

namespace shapescope {

namespace {

QJsonValue number(double value)
{
    if (std::isfinite(value))
        return value;
    return std::isnan(value) ? QStringLiteral("nan")
                             : (value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf"));
}

QJsonValue side(const std::optional<TensorInfo>& tensor, const ValueSummary& values)
{
    if (!tensor)
        return QJsonValue::Null;
    QJsonArray shape;
    for (qint64 extent : tensor->shape)
        shape.append(extent);
    QJsonObject object{{QStringLiteral("shape"), shape},
                       {QStringLiteral("dtype"), dtypeName(tensor->dtype)}};
    if (!values.unreadable.isEmpty()) {
        object.insert(QStringLiteral("unreadable"), values.unreadable);
        return object;
    }
    object.insert(QStringLiteral("count"), values.count);
    object.insert(QStringLiteral("nan"), values.nan);
    object.insert(QStringLiteral("inf"), values.inf);
    object.insert(QStringLiteral("min"), number(values.min));
    object.insert(QStringLiteral("max"), number(values.max));
    object.insert(QStringLiteral("mean"), number(values.mean));
    return object;
}

QJsonValue mean(const std::optional<double>& value)
{
    return value ? number(*value) : QJsonValue::Null;
}

QString sideText(const std::optional<TensorInfo>& tensor, const ValueSummary& values)
{
    if (!tensor)
        return QStringLiteral("(absent)");
    QString text =
        QStringLiteral("%1 %2").arg(shapeToString(tensor->shape), dtypeName(tensor->dtype));
    if (!values.unreadable.isEmpty())
        return text + QStringLiteral(" (unreadable)");
    text += QStringLiteral(" mean %1").arg(numberText(values.mean, 4));
    if (values.nan + values.inf > 0)
        text += QStringLiteral(", %1 NaN/inf").arg(values.nan + values.inf);
    return text;
}

QString meanText(const std::optional<double>& value, const QStringList& errors)
{
    if (!errors.isEmpty())
        return QStringLiteral("raises: ") + errors.join(QStringLiteral("; "));
    return value ? QStringLiteral("mean loss %1").arg(numberText(*value, 4))
                 : QStringLiteral("not computed");
}

} // namespace

QJsonObject comparisonToJson(const DumpComparison& comparison)
{
    QJsonArray tensors;
    for (const TensorComparison& t : comparison.tensors) {
        QJsonObject row{{QStringLiteral("path"), t.path},
                        {QStringLiteral("a"), side(t.a, t.valuesA)},
                        {QStringLiteral("b"), side(t.b, t.valuesB)},
                        {QStringLiteral("differs"), t.differs()}};
        if (t.differing >= 0) {
            row.insert(QStringLiteral("differing_elements"), t.differing);
            row.insert(QStringLiteral("max_abs_difference"), number(t.maxAbsDifference));
        }
        tensors.append(row);
    }
    QJsonArray pairs;
    for (const PairComparison& p : comparison.pairs) {
        pairs.append(QJsonObject{
            {QStringLiteral("input"), p.input},
            {QStringLiteral("target"), p.target},
            {QStringLiteral("a"),
             QJsonObject{{QStringLiteral("mean_loss"), mean(p.meanA)},
                         {QStringLiteral("errors"), QJsonArray::fromStringList(p.errorsA)}}},
            {QStringLiteral("b"),
             QJsonObject{{QStringLiteral("mean_loss"), mean(p.meanB)},
                         {QStringLiteral("errors"), QJsonArray::fromStringList(p.errorsB)}}},
            {QStringLiteral("differs"), p.differs()}});
    }
    return {{QStringLiteral("a"), comparison.fileA},
            {QStringLiteral("b"), comparison.fileB},
            {QStringLiteral("tensors"), tensors},
            {QStringLiteral("pairs"), pairs},
            {QStringLiteral("differs"), comparison.differs()}};
}

QString comparisonToText(const DumpComparison& comparison)
{
    QString text = QStringLiteral("a: %1\nb: %2\n\nTensors ('*' where they differ)\n")
                       .arg(comparison.fileA, comparison.fileB);
    for (const TensorComparison& t : comparison.tensors) {
        text += QStringLiteral("%1 %2\n    a: %3\n    b: %4\n")
                    .arg(t.differs() ? QLatin1Char('*') : QLatin1Char(' '))
                    .arg(t.path, sideText(t.a, t.valuesA), sideText(t.b, t.valuesB));
        if (t.differing > 0)
            text += QStringLiteral("    %1 elements differ, largest |a - b| %2\n")
                        .arg(t.differing)
                        .arg(numberText(t.maxAbsDifference, 4));
    }
    text += QStringLiteral("\nPairs\n");
    if (comparison.pairs.empty())
        text += QStringLiteral("  none in either dump\n");
    for (const PairComparison& p : comparison.pairs) {
        text +=
            QStringLiteral("%1 %2 -> %3\n    a: %4\n    b: %5\n")
                .arg(p.differs() ? QLatin1Char('*') : QLatin1Char(' '))
                .arg(p.input, p.target, meanText(p.meanA, p.errorsA), meanText(p.meanB, p.errorsB));
    }
    return text;
}

} // namespace shapescope
