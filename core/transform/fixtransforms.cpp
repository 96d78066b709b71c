// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtransforms.h"

#include "transformexpr.h"

#include <QRegularExpression>

namespace shapescope {

namespace {

// Where a line's "#" comment starts (its length when there is none); a "#" in a string literal
// is text.
qsizetype commentStart(const QString& line)
{
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char('#')) {
            return i;
        }
    }
    return line.size();
}

// The first line that is code, without a trailing comment.
QString firstCodeLine(const QString& fix)
{
    for (QString line : fix.split(QLatin1Char('\n'))) {
        line.truncate(commentStart(line));
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

// "ignore_index=255" and "weight=w.reshape(-1)" inside a loss call or constructor: the
// statements they amount to, nullopt for any other keyword.
std::optional<QStringList> keywordStatements(const QString& argument, const QStringList& names)
{
    static const QRegularExpression keyword(QStringLiteral(R"(^(\w+)\s*=\s*(.+)$)"));
    const QRegularExpressionMatch m = keyword.match(argument);
    if (!m.hasMatch())
        return std::nullopt;
    const QString value = m.captured(2).trimmed();
    if (m.captured(1) == QLatin1String("ignore_index")) {
        bool ok = false;
        value.toLongLong(&ok);
        if (ok)
            return QStringList{QStringLiteral("ignore_index=") + value};
        return std::nullopt;
    }
    if (m.captured(1) == QLatin1String("weight")) {
        // The weight tensor the analysis already uses, transformed (a (1, C) row made 1-D).
        const std::optional<QString> s = statementFor(value, names);
        if (s && !s->isEmpty())
            return QStringList{*s};
    }
    return std::nullopt;
}

// The arguments of the loss call or constructor on `line`, as statements.
QStringList callStatements(const QString& line, const FixContext& context)
{
    static const QRegularExpression call(
        QStringLiteral(R"((?:F\.\w+|criterion|loss_fn|nn\.functional\.\w+|nn\.\w+Loss)\s*\()"));
    const QRegularExpressionMatch m = call.match(line);
    if (!m.hasMatch())
        return {};
    const std::optional<QStringList> arguments = callArguments(line, m.capturedEnd() - 1);
    if (!arguments)
        return {};
    QStringList statements;
    QStringList positional;
    for (const QString& argument : *arguments) {
        if (argument.isEmpty())
            continue;
        if (const std::optional<QStringList> k = keywordStatements(argument, context.tensors)) {
            statements << *k;
            continue;
        }
        const Expected<TransformStatement> parsed = parseTransform(argument);
        if (!parsed || !context.tensors.contains(parsed->tensor))
            return {}; // another loss option, or code outside the grammar
        positional << parsed->tensor;
        if (!parsed->ops.empty())
            statements << QStringLiteral("%1=%2").arg(parsed->tensor, parsed->expression());
    }
    const bool constructor = m.captured(0).startsWith(QLatin1String("nn.")) &&
                             !m.captured(0).startsWith(QLatin1String("nn.functional"));
    if (constructor ? !positional.isEmpty() : positional.size() < 2)
        return {};
    // A call on other tensors than the pair's re-pairs them.
    if (!constructor && !context.input.isEmpty() &&
        (positional[0] != context.input || positional[1] != context.target))
        statements.prepend(QStringLiteral("criterion(%1, %2)").arg(positional[0], positional[1]));
    return statements;
}

// "shapescope check DUMP --role a=output --role b=target": pair a with b.
QStringList roleStatements(const QString& line, const FixContext& context)
{
    static const QRegularExpression roles(
        QStringLiteral(R"(^shapescope check \S+ --role (\S+)=output --role (\S+)=target$)"));
    const QRegularExpressionMatch m = roles.match(line);
    if (!m.hasMatch() || !context.tensors.contains(m.captured(1)) ||
        !context.tensors.contains(m.captured(2)))
        return {};
    if (m.captured(1) == context.input && m.captured(2) == context.target)
        return {}; // already the pair
    return {QStringLiteral("criterion(%1, %2)").arg(m.captured(1), m.captured(2))};
}

} // namespace

QStringList transformsOfFix(const QString& fix, const FixContext& context)
{
    const QString line = firstCodeLine(fix);
    // "x = x.permute(1, 0, 2)": an assignment of a transformed tensor to itself.
    static const QRegularExpression assignment(QStringLiteral(R"(^(\w+)\s*=\s*(.+)$)"));
    if (const QRegularExpressionMatch m = assignment.match(line);
        m.hasMatch() && context.tensors.contains(m.captured(1))) {
        const std::optional<QString> s = statementFor(m.captured(2), context.tensors);
        if (s && s->startsWith(m.captured(1) + QLatin1Char('=')))
            return {*s};
        return {};
    }
    if (line.startsWith(QLatin1String("shapescope ")))
        return roleStatements(line, context);
    // "loss = F.cross_entropy(X, Y)", "criterion(X, Y)" or "criterion = nn.XLoss(ignore_index=N)".
    return callStatements(line, context);
}

} // namespace shapescope
