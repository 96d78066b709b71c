// SPDX-License-Identifier: GPL-3.0-or-later
#include "advicesupport.h"

#include <QStringList>

namespace shapescope::advice {

QString tuple(const Shape& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
           (shape.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

qint64 product(const Shape& shape, size_t from, size_t to)
{
    qint64 result = 1;
    for (size_t axis = from; axis < to && axis < shape.size(); ++axis)
        result *= shape[axis];
    return result;
}

QString describe(const TensorInfo& tensor)
{
    return QStringLiteral("%1 %2 %3")
        .arg(tensor.path, tuple(tensor.shape), dtypeName(tensor.dtype));
}

QString sampleList(const std::vector<qint64>& samples)
{
    QStringList parts;
    for (size_t i = 0; i < samples.size() && i < 10; ++i)
        parts << QString::number(samples[i]);
    if (samples.size() > 10)
        parts << QStringLiteral("…");
    return parts.join(QStringLiteral(", "));
}

Diagnostic base(const PairContext& pair, DiagCode code, Severity severity, const QString& torchText)
{
    Diagnostic diagnostic;
    diagnostic.code = code;
    diagnostic.severity = severity;
    diagnostic.tensors = {pair.input.path, pair.target.path};
    diagnostic.pytorchError = torchText;
    return diagnostic;
}

} // namespace shapescope::advice
