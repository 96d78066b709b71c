// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace shapescope {

// A value of the Python literal subset an NPY header is written in. numpy writes the header as
// the repr() of a dict and reads it back with ast.literal_eval, so strings, integers,
// True/False/None, tuples, lists and dicts are all a valid header holds; floats are recognised
// only so a header using one can be refused by name.
class NpyLiteral
{
public:
    enum class Kind
    {
        None,
        Bool,
        Int,
        Float,
        String,
        Tuple,
        List,
        Dict
    };

    // Parses `text` as one literal with optional surrounding whitespace. Strings are decoded as
    // UTF-8 when `utf8` (NPY 3.0), else Latin-1. `allowLongSuffix` accepts Python 2's "3L"
    // integers, which numpy still reads in NPY 1.0 and 2.0 files. Nesting is limited to
    // maxDepth, so hostile input cannot exhaust the stack.
    static Expected<NpyLiteral> parse(const QByteArray& text, bool utf8, bool allowLongSuffix);
    static constexpr int maxDepth = 32;

    Kind kind() const { return m_kind; }
    bool boolean() const { return m_bool; }
    // An Int's value; only meaningful when fitsInt64(), Python integers being unbounded.
    qint64 integer() const { return m_int; }
    bool fitsInt64() const { return m_fitsInt64; }
    const QString& string() const { return m_string; }
    // A Tuple's or List's elements; a Dict's values.
    const std::vector<NpyLiteral>& items() const { return m_items; }
    // A Dict's keys, parallel to items().
    const std::vector<NpyLiteral>& keys() const { return m_keys; }
    // The literal as written, for messages: bytes [begin, end) of the parsed text.
    QByteArray sourceIn(const QByteArray& text) const { return text.mid(m_begin, m_end - m_begin); }

private:
    friend class NpyLiteralParser;

    Kind m_kind = Kind::None;
    bool m_bool = false;
    bool m_fitsInt64 = true;
    qint64 m_int = 0;
    QString m_string;
    std::vector<NpyLiteral> m_items;
    std::vector<NpyLiteral> m_keys;
    qsizetype m_begin = 0;
    qsizetype m_end = 0;
};

} // namespace shapescope
