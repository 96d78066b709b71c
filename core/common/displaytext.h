#pragma once

#include <QByteArray>
#include <QString>

namespace shapescope {

// A number for people to read: `digits` significant digits, and "NaN", "+Inf", "-Inf" for the
// values that are not finite (reports, plot tooltips, the inspector, the values view).
QString numberText(double value, int digits);

// Bytes as text for a message: printable ASCII as it is, everything else as \xNN.
QString printableBytes(const QByteArray& bytes);

} // namespace shapescope
