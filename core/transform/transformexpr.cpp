// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformexpr.h"

#include "tensor/tensorinfo.h"

#include <QStringList>

namespace shapescope {

namespace {

struct Method
{
    const char* name;
    TransformOp::Kind kind;
    int minArgs;
    int maxArgs;                     // -1: any number (permute, view, reshape)
    const char* canonical = nullptr; // another spelling of the same call
};

constexpr Method kMethods[] = {
    {"permute", TransformOp::Kind::Permute, 1, -1},
    {"transpose", TransformOp::Kind::Transpose, 2, 2},
    {"swapaxes", TransformOp::Kind::Transpose, 2, 2, "transpose"},
    {"movedim", TransformOp::Kind::Movedim, 2, 2},
    {"moveaxis", TransformOp::Kind::Movedim, 2, 2, "movedim"},
    {"flatten", TransformOp::Kind::Flatten, 0, 2},
    {"view", TransformOp::Kind::Reshape, 1, -1},
    {"reshape", TransformOp::Kind::Reshape, 1, -1},
    {"squeeze", TransformOp::Kind::Squeeze, 0, 1},
    {"unsqueeze", TransformOp::Kind::Unsqueeze, 1, 1},
    {"long", TransformOp::Kind::Convert, 0, 0},
    {"int", TransformOp::Kind::Convert, 0, 0},
    {"float", TransformOp::Kind::Convert, 0, 0},
    {"double", TransformOp::Kind::Convert, 0, 0},
    {"half", TransformOp::Kind::Convert, 0, 0},
    {"to", TransformOp::Kind::Convert, 1, 1},
    {"contiguous", TransformOp::Kind::Keep, 0, 0},
    {"clone", TransformOp::Kind::Keep, 0, 0},
    {"detach", TransformOp::Kind::Keep, 0, 0},
};

std::optional<DType> torchType(const QString& name)
{
    static const std::pair<const char*, DType> types[] = {
        {"long", DType::Int64},     {"int64", DType::Int64},     {"int", DType::Int32},
        {"int32", DType::Int32},    {"float", DType::Float32},   {"float32", DType::Float32},
        {"double", DType::Float64}, {"float64", DType::Float64}, {"half", DType::Float16},
        {"float16", DType::Float16}};
    for (const auto& [spelling, type] : types) {
        if (name == QLatin1String(spelling))
            return type;
    }
    return std::nullopt;
}

QString joined(const std::vector<qint64>& values)
{
    QStringList parts;
    for (qint64 v : values)
        parts << QString::number(v);
    return parts.join(QStringLiteral(", "));
}

QString optionalText(const std::optional<qint64>& value)
{
    return value ? QString::number(*value) : QString();
}

class Parser
{
public:
    explicit Parser(const QString& text) : m_text(text) {}

    Expected<TransformStatement> statement()
    {
        TransformStatement result;
        const QString assigned = name();
        if (!assigned.isEmpty() && take(QLatin1Char('='))) {
            if (Status s = expression(result); !s)
                return s.failure();
            skipSpace();
            if (m_pos < m_text.size())
                return fail(QStringLiteral("the end of the statement"));
            if (!samePath(result.tensor, assigned))
                return Error{quoted() + QStringLiteral(": a fix replaces the tensor it transforms; "
                                                       "write %1=%1...")
                                            .arg(result.tensor)};
        } else {
            m_pos = 0;
            if (Status s = expression(result); !s)
                return s.failure();
        }
        skipSpace();
        if (m_pos < m_text.size())
            return fail(QStringLiteral("the end of the statement"));
        return result;
    }

private:
    // expr := term (("+" | "-") integer)*;  term := (name | "(" expr ")") postfix*
    Status expression(TransformStatement& out)
    {
        if (take(QLatin1Char('('))) {
            if (Status s = expression(out); !s)
                return s;
            if (!take(QLatin1Char(')')))
                return fail(QStringLiteral("\")\""));
        } else {
            out.tensor = name();
            if (out.tensor.isEmpty())
                return fail(QStringLiteral("a tensor name"));
        }
        for (;;) {
            TransformOp op;
            if (take(QLatin1Char('.'))) {
                if (Status s = method(op); !s)
                    return s;
            } else if (peek(QLatin1Char('['))) {
                if (Status s = indexing(op); !s)
                    return s;
            } else {
                break;
            }
            out.ops.push_back(std::move(op));
        }
        while (peek(QLatin1Char('+')) || peek(QLatin1Char('-'))) {
            const bool minus = take(QLatin1Char('-')) || !take(QLatin1Char('+'));
            const std::optional<qint64> k = integer();
            if (!k)
                return fail(QStringLiteral("an integer after %1").arg(minus ? '-' : '+'));
            TransformOp op;
            op.kind = TransformOp::Kind::Add;
            op.ints = {minus ? -*k : *k};
            op.text = QStringLiteral(" %1 %2").arg(QLatin1Char(minus ? '-' : '+')).arg(*k);
            out.ops.push_back(std::move(op));
        }
        return Status::success();
    }

    Status method(TransformOp& op)
    {
        const qsizetype at = m_pos;
        const QString called = name();
        const Method* found = nullptr;
        for (const Method& m : kMethods) {
            if (called == QLatin1String(m.name))
                found = &m;
        }
        if (!found) {
            m_pos = at;
            QStringList known;
            for (const Method& m : kMethods)
                known << QLatin1String(m.name);
            return fail(QStringLiteral("one of %1").arg(known.join(QStringLiteral(", "))));
        }
        if (!take(QLatin1Char('(')))
            return fail(QStringLiteral("\"(\""));
        op.kind = found->kind;
        QString argText;
        if (called == QLatin1String("to")) {
            skipSpace();
            const QString module = name(), type = take(QLatin1Char('.')) ? name() : QString();
            const std::optional<DType> dtype = torchType(type);
            if (module != QLatin1String("torch") || !dtype)
                return fail(QStringLiteral("a torch dtype such as torch.long"));
            op.dtype = *dtype;
            argText = QStringLiteral("torch.") + type;
        } else {
            if (Status s = integers(op.ints); !s)
                return s;
            argText = joined(op.ints);
        }
        if (!take(QLatin1Char(')')))
            return fail(QStringLiteral("\")\""));
        const int given = called == QLatin1String("to") ? 1 : int(op.ints.size());
        if (given < found->minArgs || (found->maxArgs >= 0 && given > found->maxArgs))
            return Error{quoted() + QStringLiteral(": %1() takes %2 arguments, %3 given")
                                        .arg(called)
                                        .arg(found->maxArgs < 0
                                                 ? QStringLiteral("at least %1").arg(found->minArgs)
                                                 : QString::number(found->maxArgs))
                                        .arg(given)};
        if (op.kind == TransformOp::Kind::Convert && called != QLatin1String("to"))
            op.dtype = *torchType(called);
        op.text = QStringLiteral(".%1(%2)").arg(
            QLatin1String(found->canonical ? found->canonical : found->name), argText);
        return Status::success();
    }

    Status indexing(TransformOp& op)
    {
        take(QLatin1Char('['));
        op.kind = TransformOp::Kind::Index;
        QStringList texts;
        do {
            TransformOp::Index index;
            skipSpace();
            if (m_text.mid(m_pos, 3) == QLatin1String("...")) {
                m_pos += 3;
                index.kind = TransformOp::Index::Kind::Ellipsis;
                texts << QStringLiteral("...");
            } else if (m_text.mid(m_pos, 4) == QLatin1String("None")) {
                m_pos += 4;
                index.kind = TransformOp::Index::Kind::NewAxis;
                texts << QStringLiteral("None");
            } else {
                index.start = integer();
                if (take(QLatin1Char(':'))) {
                    index.stop = integer();
                    texts << optionalText(index.start) + QLatin1Char(':') +
                                 optionalText(index.stop);
                } else if (index.start) {
                    index.kind = TransformOp::Index::Kind::Integer;
                    texts << QString::number(*index.start);
                } else {
                    return fail(QStringLiteral("an index, a slice, \"...\" or None"));
                }
            }
            op.indices.push_back(index);
        } while (take(QLatin1Char(',')));
        if (!take(QLatin1Char(']')))
            return fail(QStringLiteral("\"]\""));
        op.text = QStringLiteral("[%1]").arg(texts.join(QStringLiteral(", ")));
        return Status::success();
    }

    // Integers separated by commas; a tuple or list of them ("permute((0, 2, 1))") reads the
    // same.
    Status integers(std::vector<qint64>& out)
    {
        const bool grouped = take(QLatin1Char('(')) || take(QLatin1Char('['));
        const QChar close =
            grouped ? m_text.at(m_pos - 1) == QLatin1Char('(') ? QLatin1Char(')') : QLatin1Char(']')
                    : QChar();
        if (const std::optional<qint64> first = integer()) {
            out.push_back(*first);
            while (take(QLatin1Char(','))) {
                const std::optional<qint64> next = integer();
                if (!next)
                    break; // a trailing comma, as Python allows
                out.push_back(*next);
            }
        }
        if (grouped && !take(close))
            return fail(QStringLiteral("\"%1\"").arg(close));
        return Status::success();
    }

    std::optional<qint64> integer()
    {
        skipSpace();
        qsizetype end = m_pos + (m_pos < m_text.size() && m_text.at(m_pos) == QLatin1Char('-'));
        const qsizetype digits = end;
        while (end < m_text.size() && m_text.at(end).isDigit())
            ++end;
        if (end == digits)
            return std::nullopt;
        bool ok = false;
        const qint64 value = m_text.mid(m_pos, end - m_pos).toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        m_pos = end;
        return value;
    }

    QString name()
    {
        skipSpace();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() &&
               (m_text.at(m_pos).isLetterOrNumber() || m_text.at(m_pos) == QLatin1Char('_') ||
                m_text.at(m_pos) == QLatin1Char('/')))
            ++m_pos;
        if (start < m_pos && m_text.at(start).isDigit()) {
            m_pos = start;
            return {};
        }
        return m_text.mid(start, m_pos - start);
    }

    bool peek(QChar c)
    {
        skipSpace();
        return m_pos < m_text.size() && m_text.at(m_pos) == c;
    }
    bool take(QChar c)
    {
        if (!peek(c))
            return false;
        ++m_pos;
        return true;
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }
    QString quoted() const { return QStringLiteral("\"%1\"").arg(m_text); }
    Error fail(const QString& expected) const
    {
        return Error{quoted() +
                     QStringLiteral(": expected %1 at column %2").arg(expected).arg(m_pos + 1)};
    }

    const QString& m_text;
    qsizetype m_pos = 0;
};

Status applyIndices(TensorView& view, const std::vector<TransformOp::Index>& indices)
{
    using Kind = TransformOp::Index::Kind;
    qint64 consumed = 0; // axes the indices name, besides "..." and None
    for (const TransformOp::Index& index : indices)
        consumed += index.kind == Kind::Integer || index.kind == Kind::Slice;
    const qint64 rank = qint64(view.shape().size());
    if (consumed > rank)
        return Error{QStringLiteral("too many indices for tensor of dimension %1").arg(rank)};
    qint64 axis = 0;
    for (const TransformOp::Index& index : indices) {
        Status s;
        switch (index.kind) {
        case Kind::Integer:
            s = view.select(axis, *index.start); // the axis goes: the next takes its place
            break;
        case Kind::Slice:
            s = view.slice(axis++, index.start, index.stop);
            break;
        case Kind::Ellipsis:
            axis += rank - consumed;
            break;
        case Kind::NewAxis:
            s = view.unsqueeze(axis++);
            break;
        }
        if (!s)
            return s;
    }
    return Status::success();
}

} // namespace

Status TransformOp::applyTo(TensorView& view) const
{
    switch (kind) {
    case Kind::Permute:
        return view.permute(ints);
    case Kind::Transpose:
        return view.transpose(ints[0], ints[1]);
    case Kind::Movedim:
        return view.movedim(ints[0], ints[1]);
    case Kind::Flatten:
        return view.flatten(ints.empty() ? 0 : ints[0], ints.size() < 2 ? -1 : ints[1]);
    case Kind::Reshape:
        return view.reshape(ints);
    case Kind::Squeeze:
        return view.squeeze(ints.empty() ? std::nullopt : std::optional<qint64>(ints[0]));
    case Kind::Unsqueeze:
        return view.unsqueeze(ints[0]);
    case Kind::Convert:
        return view.convert(dtype);
    case Kind::Add:
        return view.add(ints[0]);
    case Kind::Index:
        return applyIndices(view, indices);
    case Kind::Keep:
        return Status::success();
    }
    return Status::success();
}

QString TransformStatement::expression() const
{
    QString text = tensor;
    bool arithmetic = false; // a method after "x - 1" needs "(x - 1)"
    for (const TransformOp& op : ops) {
        if (op.kind != TransformOp::Kind::Add && arithmetic) {
            text = QLatin1Char('(') + text + QLatin1Char(')');
            arithmetic = false;
        }
        text += op.text;
        arithmetic = arithmetic || op.kind == TransformOp::Kind::Add;
    }
    return text;
}

Status TransformStatement::applyTo(TensorView& view) const
{
    for (const TransformOp& op : ops) {
        if (Status s = op.applyTo(view); !s)
            return Error{QStringLiteral("%1: %2").arg(expression(), s.error())};
    }
    return Status::success();
}

Expected<TransformStatement> parseTransform(const QString& text)
{
    return Parser(text).statement();
}

} // namespace shapescope
