// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "expected.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace shapescope {

// A number for people to read: `digits` significant digits, and "NaN", "+Inf", "-Inf" for the
// values that are not finite (reports, plot tooltips, the inspector, the values view).
QString numberText(double value, int digits);

// Numbers a user typed as a list ("1, 2.5 3"): separated by commas and/or white space. The
// error names the first part that is not a number. Empty text is an empty list.
Expected<std::vector<double>> parseNumberList(const QString& text);

// Bytes as text for a message: printable ASCII as it is, everything else as \xNN.
QString printableBytes(const QByteArray& bytes);

} // namespace shapescope
