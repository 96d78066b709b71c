// SPDX-License-Identifier: GPL-3.0-or-later
#include "naturalsort.h"

namespace shapescope {

namespace {

// Compares the digit runs a[i..) and b[j..) by value; advances i and j past them.
int compareNumbers(const QString& a, qsizetype& i, const QString& b, qsizetype& j)
{
    auto skipZeros = [](const QString& s, qsizetype& k) {
        while (k + 1 < s.size() && s[k] == QLatin1Char('0') && s[k + 1].isDigit())
            ++k;
    };
    skipZeros(a, i);
    skipZeros(b, j);
    qsizetype endA = i;
    while (endA < a.size() && a[endA].isDigit())
        ++endA;
    qsizetype endB = j;
    while (endB < b.size() && b[endB].isDigit())
        ++endB;
    const qsizetype lengthA = endA - i;
    const qsizetype lengthB = endB - j;
    int result = lengthA < lengthB ? -1 : (lengthA > lengthB ? 1 : 0);
    if (result == 0)
        result = QStringView(a).mid(i, lengthA).compare(QStringView(b).mid(j, lengthB));
    i = endA;
    j = endB;
    return result;
}

} // namespace

bool naturalLess(const QString& a, const QString& b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            if (const int c = compareNumbers(a, i, b, j); c != 0)
                return c < 0;
            continue;
        }
        const QChar ca = a[i].toCaseFolded();
        const QChar cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb;
        ++i;
        ++j;
    }
    if ((i < a.size()) != (j < b.size()))
        return j < b.size();
    return a < b;
}

} // namespace shapescope
