// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtransforms.h"

#include "transformexpr.h"

#include <QRegularExpression>

namespace shapescope {

namespace {

// The first line that is code, without a trailing comment.
QString firstCodeLine(const QString& fix)
{
    for (QString line : fix.split(QLatin1Char('\n'))) {
        const qsizetype comment = line.indexOf(QLatin1Char('#'));
        if (comment >= 0)
            line.truncate(comment);
        line = line.trimmed();
        if (!line.isEmpty())
            return line;
    }
    return {};
}

// The top-level arguments of the call whose "(" is at `open`, or nothing when unbalanced.
std::optional<QStringList> callArguments(const QString& line, qsizetype open)
{
    QStringList arguments;
    int depth = 0;
    qsizetype start = open + 1;
    for (qsizetype i = open; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == QLatin1Char('(') || c == QLatin1Char('['))
            ++depth;
        else if (c == QLatin1Char(')') || c == QLatin1Char(']'))
            --depth;
        if ((c == QLatin1Char(',') && depth == 1) || depth == 0) {
            arguments << line.mid(start, i - start).trimmed();
            start = i + 1;
        }
        if (depth == 0)
            return arguments;
    }
    return std::nullopt;
}

// "NAME=EXPR" when EXPR transforms NAME, one of `names`; empty when it is the tensor as it is.
std::optional<QString> statementFor(const QString& expression, const QStringList& names)
{
    const Expected<TransformStatement> parsed = parseTransform(expression);
    if (!parsed || !names.contains(parsed->tensor))
        return std::nullopt;
    if (parsed->ops.empty())
        return QString();
    return QStringLiteral("%1=%2").arg(parsed->tensor, parsed->expression());
}

} // namespace

QStringList transformsOfFix(const QString& fix, const QStringList& tensorNames)
{
    const QString line = firstCodeLine(fix);
    // "x = x.permute(1, 0, 2)": an assignment of a transformed tensor to itself.
    static const QRegularExpression assignment(QStringLiteral(R"(^(\w+)\s*=\s*(.+)$)"));
    if (const QRegularExpressionMatch m = assignment.match(line);
        m.hasMatch() && tensorNames.contains(m.captured(1))) {
        const std::optional<QString> s = statementFor(m.captured(2), tensorNames);
        if (s && s->startsWith(m.captured(1) + QLatin1Char('=')))
            return {*s};
        return {};
    }
    // "loss = F.cross_entropy(X, Y)" or "criterion(X, Y)": each argument a tensor expression.
    static const QRegularExpression call(
        QStringLiteral(R"((?:F\.\w+|criterion|loss_fn|nn\.functional\.\w+)\s*\()"));
    const QRegularExpressionMatch m = call.match(line);
    if (!m.hasMatch())
        return {};
    const std::optional<QStringList> arguments = callArguments(line, m.capturedEnd() - 1);
    if (!arguments || arguments->size() < 2)
        return {};
    QStringList statements;
    for (const QString& argument : *arguments) {
        const std::optional<QString> s = statementFor(argument, tensorNames);
        if (!s)
            return {}; // a keyword (a loss option) or code outside the grammar
        if (!s->isEmpty())
            statements << *s;
    }
    return statements;
}

} // namespace shapescope
