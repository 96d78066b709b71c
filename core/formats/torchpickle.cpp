// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchpickle.h"

#include "torchpickleglobals.h"

#include <QHash>
#include <cstring>

namespace shapescope::torchpickle {

namespace {

using Kind = Value::Kind;

// The pickle opcodes torch.save (protocol 2) and numpy arrays inside it emit, plus the framing
// and short forms of protocols 3-4 so that files saved with pickle_protocol=4 read too.
enum Op : quint8
{
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    BINFLOAT = 'G',
    BININT = 'J',
    BININT1 = 'K',
    BININT2 = 'M',
    NONE = 'N',
    BINPERSID = 'Q',
    REDUCE = 'R',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    APPENDS = 'e',
    BINGET = 'h',
    LONG_BINGET = 'j',
    EMPTY_LIST = ']',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    EMPTY_DICT = '}',
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    PROTO = 0x80,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    BINBYTES8 = 0x8e,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
};

class Machine
{
public:
    Machine(const QByteArray& pickle, const QString& where, const Limits& limits)
        : m_data(pickle), m_where(where), m_limits(limits), m_result(new Pickle)
    {}

    Expected<std::unique_ptr<Pickle>> run()
    {
        while (true) {
            m_opOffset = m_pos;
            quint8 op = 0;
            if (!take(&op, 1))
                return truncated();
            if (op == STOP) {
                if (m_stack.size() != 1 || !m_marks.empty())
                    return fail(
                        QStringLiteral("STOP with %1 values on the stack").arg(m_stack.size()));
                m_result->root = m_stack.back();
                return std::move(m_result);
            }
            if (Status status = step(op); !status)
                return Error{status.error()};
            if (qint64(m_stack.size()) > m_limits.maxStack)
                return fail(
                    QStringLiteral("more than %1 values on the stack").arg(m_limits.maxStack));
            if (qint64(m_result->values.size()) > m_limits.maxValues)
                return fail(QStringLiteral("more than %1 objects").arg(m_limits.maxValues));
        }
    }

private:
    Error fail(const QString& what) const
    {
        return Error{QStringLiteral("%1: refused: %2 at byte %3; ShapeScope never runs code from "
                                    "a pickle")
                         .arg(m_where, what)
                         .arg(m_opOffset)};
    }
    Error truncated() const
    {
        return Error{QStringLiteral("%1: the pickle ends at byte %2 before its STOP; the file is "
                                    "truncated or damaged")
                         .arg(m_where)
                         .arg(m_data.size())};
    }

    bool take(void* dst, qint64 n)
    {
        if (n < 0 || n > m_data.size() - m_pos)
            return false;
        std::memcpy(dst, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return true;
    }
    template <typename T> bool takeLe(T& value)
    {
        unsigned char raw[sizeof(T)];
        if (!take(raw, sizeof raw))
            return false;
        std::make_unsigned_t<T> bits = 0;
        for (size_t i = sizeof raw; i-- > 0;)
            bits = decltype(bits)(bits << 8 | raw[i]);
        std::memcpy(&value, &bits, sizeof value);
        return true;
    }
    bool takeLine(QByteArray& line)
    {
        const qsizetype end = m_data.indexOf('\n', m_pos);
        if (end < 0 || end - m_pos > 256)
            return false;
        line = m_data.mid(m_pos, end - m_pos);
        m_pos = end + 1;
        return true;
    }

    Value* make(Kind kind)
    {
        m_result->values.push_back(std::make_unique<Value>());
        m_result->values.back()->kind = kind;
        return m_result->values.back().get();
    }
    void push(Value* value) { m_stack.push_back(value); }
    Value* pop()
    {
        Value* top = m_stack.back();
        m_stack.pop_back();
        return top;
    }
    bool has(size_t n) const
    {
        const size_t floor = m_marks.empty() ? 0 : m_marks.back();
        return m_stack.size() >= floor + n;
    }
    // The values above the topmost MARK, which is removed.
    bool popMark(std::vector<Value*>& items)
    {
        if (m_marks.empty())
            return false;
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        items.assign(m_stack.begin() + qsizetype(mark), m_stack.end());
        m_stack.resize(mark);
        return true;
    }

    Status pushString(qint64 length, Kind kind)
    {
        if (length < 0 || length > m_limits.maxStringBytes || length > m_data.size() - m_pos)
            return truncated();
        Value* value = make(kind);
        const QByteArray raw = m_data.mid(m_pos, length);
        m_pos += length;
        if (kind == Kind::String)
            value->text = QString::fromUtf8(raw);
        else
            value->bytes = raw;
        push(value);
        return Status::success();
    }
    Status memoPut(qint64 index)
    {
        if (m_stack.empty())
            return fail(QStringLiteral("memo write with an empty stack"));
        if (!m_memo.contains(index) && m_memo.size() >= m_limits.maxMemo)
            return fail(QStringLiteral("more than %1 memo entries").arg(m_limits.maxMemo));
        m_memo.insert(index, m_stack.back());
        return Status::success();
    }
    Status memoGet(qint64 index)
    {
        Value* value = m_memo.value(index);
        if (!value)
            return fail(QStringLiteral("memo entry %1 read before it is written").arg(index));
        push(value);
        return Status::success();
    }
    Status pushTuple(std::vector<Value*> items)
    {
        Value* tuple = make(Kind::Tuple);
        tuple->items = std::move(items);
        push(tuple);
        return Status::success();
    }
    Status tupleOf(size_t n)
    {
        if (!has(n))
            return fail(QStringLiteral("TUPLE%1 with too few values").arg(n));
        std::vector<Value*> items(m_stack.end() - qsizetype(n), m_stack.end());
        m_stack.resize(m_stack.size() - n);
        return pushTuple(std::move(items));
    }
    Status global(const QString& module, const QString& name)
    {
        const QString full = module + u'.' + name;
        if (!isAllowedGlobal(full))
            return fail(QStringLiteral("global '%1' is not on the allowlist").arg(full));
        Value* value = make(Kind::Global);
        value->text = full;
        push(value);
        return Status::success();
    }
    Status setItems(Value* dict, const std::vector<Value*>& items)
    {
        if (dict->kind != Kind::Dict || items.size() % 2 != 0)
            return fail(QStringLiteral("SETITEMS on something that is not a dict"));
        for (size_t i = 0; i < items.size(); i += 2)
            dict->pairs.emplace_back(items[i], items[i + 1]);
        return Status::success();
    }
    Status appendItems(Value* list, const std::vector<Value*>& items)
    {
        if (list->kind != Kind::List)
            return fail(QStringLiteral("APPEND on something that is not a list"));
        list->items.insert(list->items.end(), items.begin(), items.end());
        return Status::success();
    }

    Status step(quint8 op);
    Status stepMore(quint8 op);

    const QByteArray& m_data;
    QString m_where;
    Limits m_limits;
    std::unique_ptr<Pickle> m_result;
    qint64 m_pos = 0;
    qint64 m_opOffset = 0;
    std::vector<Value*> m_stack;
    std::vector<size_t> m_marks;
    QHash<qint64, Value*> m_memo;
};

Status Machine::step(quint8 op)
{
    switch (op) {
    case PROTO: {
        quint8 version = 0;
        if (!take(&version, 1))
            return truncated();
        if (version > 5)
            return fail(QStringLiteral("pickle protocol %1").arg(version));
        return Status::success();
    }
    case FRAME: {
        qint64 ignored = 0;
        return takeLe(ignored) ? Status::success() : Status(truncated());
    }
    case MARK:
        m_marks.push_back(m_stack.size());
        return Status::success();
    case POP_MARK: {
        std::vector<Value*> dropped;
        return popMark(dropped) ? Status::success()
                                : Status(fail(QStringLiteral("POP_MARK without a MARK")));
    }
    case POP:
        if (!has(1))
            return fail(QStringLiteral("POP of an empty stack"));
        pop();
        return Status::success();
    case DUP:
        if (!has(1))
            return fail(QStringLiteral("DUP of an empty stack"));
        push(m_stack.back());
        return Status::success();
    case NONE:
        push(make(Kind::None));
        return Status::success();
    case NEWTRUE:
    case NEWFALSE: {
        Value* value = make(Kind::Bool);
        value->boolean = op == NEWTRUE;
        push(value);
        return Status::success();
    }
    case BININT:
    case BININT1:
    case BININT2: {
        Value* value = make(Kind::Int);
        bool ok = false;
        if (op == BININT) {
            qint32 v = 0;
            ok = takeLe(v);
            value->integer = v;
        } else if (op == BININT1) {
            quint8 v = 0;
            ok = take(&v, 1);
            value->integer = v;
        } else {
            quint16 v = 0;
            ok = takeLe(v);
            value->integer = v;
        }
        if (!ok)
            return truncated();
        push(value);
        return Status::success();
    }
    case LONG1: {
        quint8 n = 0;
        unsigned char raw[8] = {};
        if (!take(&n, 1))
            return truncated();
        if (n > 8)
            return fail(QStringLiteral("an integer of %1 bytes").arg(n));
        if (!take(raw, n))
            return truncated();
        quint64 bits = 0;
        for (int i = n; i-- > 0;)
            bits = bits << 8 | raw[i];
        if (n > 0 && n < 8 && (raw[n - 1] & 0x80))
            bits |= ~quint64(0) << (8 * n); // sign-extend
        Value* value = make(Kind::Int);
        value->integer = qint64(bits);
        push(value);
        return Status::success();
    }
    case BINFLOAT: {
        unsigned char raw[8];
        if (!take(raw, 8))
            return truncated();
        quint64 bits = 0;
        for (unsigned char byte : raw)
            bits = bits << 8 | byte; // big-endian, unlike every other number in a pickle
        Value* value = make(Kind::Float);
        std::memcpy(&value->real, &bits, 8);
        push(value);
        return Status::success();
    }
    default:
        return stepMore(op);
    }
}

Status Machine::stepMore(quint8 op)
{
    switch (op) {
    case SHORT_BINUNICODE:
    case SHORT_BINBYTES: {
        quint8 n = 0;
        if (!take(&n, 1))
            return truncated();
        return pushString(n, op == SHORT_BINUNICODE ? Kind::String : Kind::Bytes);
    }
    case BINUNICODE:
    case BINBYTES: {
        quint32 n = 0;
        if (!takeLe(n))
            return truncated();
        return pushString(n, op == BINUNICODE ? Kind::String : Kind::Bytes);
    }
    case BINUNICODE8:
    case BINBYTES8: {
        quint64 n = 0;
        if (!takeLe(n))
            return truncated();
        return pushString(n > quint64(INT64_MAX) ? -1 : qint64(n),
                          op == BINUNICODE8 ? Kind::String : Kind::Bytes);
    }
    case BINPUT: {
        quint8 i = 0;
        return take(&i, 1) ? memoPut(i) : Status(truncated());
    }
    case LONG_BINPUT: {
        quint32 i = 0;
        return takeLe(i) ? memoPut(i) : Status(truncated());
    }
    case MEMOIZE:
        return memoPut(m_memo.size());
    case BINGET: {
        quint8 i = 0;
        return take(&i, 1) ? memoGet(i) : Status(truncated());
    }
    case LONG_BINGET: {
        quint32 i = 0;
        return takeLe(i) ? memoGet(i) : Status(truncated());
    }
    case EMPTY_DICT:
        push(make(Kind::Dict));
        return Status::success();
    case EMPTY_LIST:
        push(make(Kind::List));
        return Status::success();
    case EMPTY_TUPLE:
        return pushTuple({});
    case TUPLE: {
        std::vector<Value*> items;
        if (!popMark(items))
            return fail(QStringLiteral("TUPLE without a MARK"));
        return pushTuple(std::move(items));
    }
    case TUPLE1:
    case TUPLE2:
    case TUPLE3:
        return tupleOf(size_t(op - TUPLE1 + 1));
    case SETITEM: {
        if (!has(3))
            return fail(QStringLiteral("SETITEM with too few values"));
        Value* value = pop();
        Value* key = pop();
        return setItems(m_stack.back(), {key, value});
    }
    case SETITEMS:
    case APPENDS: {
        std::vector<Value*> items;
        if (!popMark(items) || !has(1))
            return fail(
                QStringLiteral("%1 without a MARK and a container")
                    .arg(op == SETITEMS ? QStringLiteral("SETITEMS") : QStringLiteral("APPENDS")));
        return op == SETITEMS ? setItems(m_stack.back(), items)
                              : appendItems(m_stack.back(), items);
    }
    case APPEND: {
        if (!has(2))
            return fail(QStringLiteral("APPEND with too few values"));
        Value* item = pop();
        return appendItems(m_stack.back(), {item});
    }
    case GLOBAL: {
        QByteArray module, name;
        if (!takeLine(module) || !takeLine(name))
            return truncated();
        return global(QString::fromUtf8(module), QString::fromUtf8(name));
    }
    case STACK_GLOBAL: {
        if (!has(2))
            return fail(QStringLiteral("STACK_GLOBAL with too few values"));
        Value* name = pop();
        Value* module = pop();
        if (module->kind != Kind::String || name->kind != Kind::String)
            return fail(QStringLiteral("STACK_GLOBAL of something that is not a name"));
        return global(module->text, name->text);
    }
    case BINPERSID: {
        if (!has(1))
            return fail(QStringLiteral("BINPERSID with an empty stack"));
        Expected<Value*> storage = persistentLoad(pop(), [this](Kind k) { return make(k); });
        if (!storage)
            return fail(storage.error());
        push(*storage);
        return Status::success();
    }
    case REDUCE: {
        if (!has(2))
            return fail(QStringLiteral("REDUCE with too few values"));
        Value* args = pop();
        Value* callable = pop();
        Expected<Value*> result = reduce(callable, args, [this](Kind k) { return make(k); });
        if (!result)
            return fail(result.error());
        push(*result);
        return Status::success();
    }
    case BUILD: {
        if (!has(2))
            return fail(QStringLiteral("BUILD with too few values"));
        Value* state = pop();
        if (Status built = build(m_stack.back(), state); !built)
            return fail(built.error());
        return Status::success();
    }
    default:
        return fail(QStringLiteral("opcode 0x%1 ('%2'), which torch.save does not write")
                        .arg(op, 2, 16, QLatin1Char('0'))
                        .arg(op >= 0x20 && op < 0x7f ? QChar(char16_t(op)) : QChar(u'?')));
    }
}

} // namespace

Expected<std::unique_ptr<Pickle>> load(const QByteArray& pickle, const QString& where,
                                       const Limits& limits)
{
    return Machine(pickle, where, limits).run();
}

} // namespace shapescope::torchpickle
