// SPDX-License-Identifier: GPL-3.0-or-later
#include "displaytext.h"

#include <QRegularExpression>
#include <cmath>

namespace shapescope {

QString numberText(double value, int digits)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(value, 'g', digits);
}

Expected<std::vector<double>> parseNumberList(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    std::vector<double> values;
    for (const QString& part : text.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = part.toDouble(&ok);
        if (!ok)
            return Error{QStringLiteral("\"%1\" is not a number").arg(part)};
        values.push_back(value);
    }
    return values;
}

QString printableBytes(const QByteArray& bytes)
{
    QString text;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        text += (u >= 0x20 && u < 0x7f) ? QString(QLatin1Char(c))
                                        : QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return text;
}

} // namespace shapescope
