// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyliteral.h"

#include <limits>

namespace shapescope {

// A recursive-descent parser over bytes; every loop advances m_pos and every container is
// depth-checked, so any input ends in a value or an error in time linear in its length.
class NpyLiteralParser
{
public:
    NpyLiteralParser(const QByteArray& text, bool utf8, bool allowLongSuffix)
        : m_text(text), m_utf8(utf8), m_allowLongSuffix(allowLongSuffix)
    {}

    Expected<NpyLiteral> parseAll()
    {
        NpyLiteral value;
        if (!parseValue(value, 0))
            return Error{m_error};
        skipSpace();
        if (!atEnd()) {
            fail(QStringLiteral("expected the end of the header but found %1").arg(describeHere()));
            return Error{m_error};
        }
        return value;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    bool at(char c) const { return !atEnd() && m_text[m_pos] == c; }

    static bool isSpace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    static bool isNameChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || isDigit(c);
    }

    static int hexValue(char c)
    {
        if (isDigit(c))
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    void skipSpace()
    {
        while (!atEnd() && isSpace(m_text[m_pos]))
            ++m_pos;
    }

    QString describeHere() const
    {
        if (atEnd())
            return QStringLiteral("the end");
        const auto c = static_cast<unsigned char>(m_text[m_pos]);
        if (c >= 0x20 && c < 0x7f)
            return QStringLiteral("'%1'").arg(QLatin1Char(static_cast<char>(c)));
        return QStringLiteral("'\\x%1'").arg(c, 2, 16, QLatin1Char('0'));
    }

    bool fail(const QString& what)
    {
        m_error = QStringLiteral("%1 at byte %2 of the header").arg(what).arg(m_pos);
        return false;
    }

    bool expect(char c, const char* what)
    {
        skipSpace();
        if (at(c)) {
            ++m_pos;
            return true;
        }
        return fail(
            QStringLiteral("expected %1 but found %2").arg(QLatin1String(what), describeHere()));
    }

    bool parseValue(NpyLiteral& out, int depth)
    {
        skipSpace();
        out.m_begin = m_pos;
        if (atEnd())
            return fail(QStringLiteral("expected a value but found the end"));
        const char c = m_text[m_pos];
        bool ok = false;
        if (c == '{' || c == '(' || c == '[') {
            if (depth >= NpyLiteral::maxDepth)
                return fail(QStringLiteral("values nested too deeply"));
            ok = c == '{' ? parseDict(out, depth + 1) : parseSequence(out, depth + 1);
        } else if (c == '\'' || c == '"') {
            ok = parseString(out);
        } else if (isDigit(c) || c == '-' || c == '+') {
            ok = parseNumber(out);
        } else if (isNameChar(c)) {
            ok = parseName(out);
        } else {
            return fail(QStringLiteral("unexpected character %1").arg(describeHere()));
        }
        out.m_end = m_pos;
        return ok;
    }

    // Tuples and lists. "(x)" is x itself and "(x,)" a one-tuple, as in Python.
    bool parseSequence(NpyLiteral& out, int depth)
    {
        const char close = m_text[m_pos] == '(' ? ')' : ']';
        const bool tuple = close == ')';
        out.m_kind = tuple ? NpyLiteral::Kind::Tuple : NpyLiteral::Kind::List;
        ++m_pos;
        bool sawComma = false;
        for (;;) {
            skipSpace();
            if (at(close)) {
                ++m_pos;
                break;
            }
            NpyLiteral item;
            if (!parseValue(item, depth))
                return false;
            out.m_items.push_back(std::move(item));
            skipSpace();
            if (at(',')) {
                ++m_pos;
                sawComma = true;
                continue;
            }
            if (!expect(close, tuple ? "',' or ')'" : "',' or ']'"))
                return false;
            break;
        }
        if (tuple && out.m_items.size() == 1 && !sawComma) {
            const qsizetype begin = out.m_begin;
            NpyLiteral inner = std::move(out.m_items.front());
            out = std::move(inner);
            out.m_begin = begin;
        }
        return true;
    }

    bool parseDict(NpyLiteral& out, int depth)
    {
        out.m_kind = NpyLiteral::Kind::Dict;
        ++m_pos;
        for (;;) {
            skipSpace();
            if (at('}')) {
                ++m_pos;
                return true;
            }
            NpyLiteral key;
            NpyLiteral value;
            if (!parseValue(key, depth) || !expect(':', "':' after a dict key") ||
                !parseValue(value, depth))
                return false;
            out.m_keys.push_back(std::move(key));
            out.m_items.push_back(std::move(value));
            skipSpace();
            if (at(',')) {
                ++m_pos;
                continue;
            }
            return expect('}', "',' or '}'");
        }
    }

    bool parseString(NpyLiteral& out)
    {
        const char quote = m_text[m_pos];
        if (m_text.mid(m_pos, 3) == QByteArray(3, quote))
            return fail(QStringLiteral("triple-quoted strings are not supported"));
        ++m_pos;
        QByteArray bytes;
        for (;;) {
            if (atEnd() || at('\n') || at('\r'))
                return fail(QStringLiteral("unterminated string"));
            const char c = m_text[m_pos++];
            if (c == quote)
                break;
            if (c != '\\') {
                bytes += c;
                continue;
            }
            if (atEnd())
                return fail(QStringLiteral("unterminated string"));
            const char e = m_text[m_pos++];
            switch (e) {
            case 'n':
                bytes += '\n';
                break;
            case 't':
                bytes += '\t';
                break;
            case 'r':
                bytes += '\r';
                break;
            case '0':
                bytes += '\0';
                break;
            case '\\':
            case '\'':
            case '"':
                bytes += e;
                break;
            case '\n':
                break; // line continuation
            case 'x': {
                const int high = m_pos + 1 < m_text.size() ? hexValue(m_text[m_pos]) : -1;
                const int low = high >= 0 ? hexValue(m_text[m_pos + 1]) : -1;
                if (low < 0)
                    return fail(QStringLiteral("invalid \\x escape in a string"));
                bytes += static_cast<char>(high * 16 + low);
                m_pos += 2;
                break;
            }
            default: // Python keeps unknown escapes as written
                bytes += '\\';
                bytes += e;
            }
        }
        out.m_kind = NpyLiteral::Kind::String;
        out.m_string = m_utf8 ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
        return true;
    }

    bool parseNumber(NpyLiteral& out)
    {
        const bool negative = at('-');
        if (at('-') || at('+')) {
            ++m_pos;
            skipSpace();
        }
        if (atEnd() || !isDigit(m_text[m_pos]))
            return fail(QStringLiteral("expected a digit but found %1").arg(describeHere()));
        // Accumulate the magnitude up to 2^63, the largest that fits once negated.
        constexpr quint64 limit = quint64(1) << 63;
        quint64 magnitude = 0;
        bool overflow = false;
        while (!atEnd() && isDigit(m_text[m_pos])) {
            const quint64 digit = quint64(m_text[m_pos++] - '0');
            if (magnitude > (limit - digit) / 10)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
        }
        out.m_kind = NpyLiteral::Kind::Int;
        if (at('.') || at('e') || at('E')) {
            out.m_kind = NpyLiteral::Kind::Float;
            if (at('.')) {
                ++m_pos;
                while (!atEnd() && isDigit(m_text[m_pos]))
                    ++m_pos;
            }
            if (at('e') || at('E')) {
                ++m_pos;
                if (at('-') || at('+'))
                    ++m_pos;
                if (atEnd() || !isDigit(m_text[m_pos]))
                    return fail(QStringLiteral("invalid number"));
                while (!atEnd() && isDigit(m_text[m_pos]))
                    ++m_pos;
            }
        } else if (m_allowLongSuffix && at('L')) {
            ++m_pos;
        }
        if (!atEnd() && (isNameChar(m_text[m_pos]) || at('.')))
            return fail(QStringLiteral("invalid number"));
        out.m_fitsInt64 = !overflow && (negative ? magnitude <= limit : magnitude < limit);
        if (out.m_fitsInt64)
            out.m_int = negative ? qint64(0 - magnitude) : qint64(magnitude);
        return true;
    }

    bool parseName(NpyLiteral& out)
    {
        const qsizetype begin = m_pos;
        while (!atEnd() && isNameChar(m_text[m_pos]))
            ++m_pos;
        const QByteArray name = m_text.mid(begin, m_pos - begin);
        if ((name == "u" || name == "U") && (at('\'') || at('"')))
            return parseString(out);
        if (name == "True" || name == "False") {
            out.m_kind = NpyLiteral::Kind::Bool;
            out.m_bool = name == "True";
            return true;
        }
        if (name == "None") {
            out.m_kind = NpyLiteral::Kind::None;
            return true;
        }
        m_pos = begin;
        return fail(QStringLiteral("unexpected name '%1'").arg(QString::fromLatin1(name.left(40))));
    }

    const QByteArray& m_text;
    bool m_utf8;
    bool m_allowLongSuffix;
    qsizetype m_pos = 0;
    QString m_error;
};

Expected<NpyLiteral> NpyLiteral::parse(const QByteArray& text, bool utf8, bool allowLongSuffix)
{
    return NpyLiteralParser(text, utf8, allowLongSuffix).parseAll();
}

} // namespace shapescope
