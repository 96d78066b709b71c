// SPDX-License-Identifier: GPL-3.0-or-later
#include "classpalette.h"

#include <array>
#include <cmath>

namespace shapescope {

QColor classColor(qint64 classId)
{
    // Okabe-Ito's seven, then Tableau's distinct darker and lighter tones (greys left out).
    static constexpr std::array<QRgb, 20> fixed = {
        0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7,
        0x8c564b, 0x1f3a93, 0x9467bd, 0xbcbd22, 0x17becf, 0xff9896, 0x98df8a,
        0xc5b0d5, 0xaec7e8, 0xffbb78, 0x7b4173, 0x637939, 0xe7298a};
    if (classId < 0)
        return QColor(Qt::black);
    if (classId < qint64(fixed.size()))
        return QColor::fromRgb(fixed[size_t(classId)]);
    const double hue = std::fmod(double(classId) * 0.6180339887498949, 1.0);
    const double saturation = (classId / 2) % 2 ? 0.55 : 0.9;
    const double value = (classId / 3) % 2 ? 0.65 : 0.95;
    return QColor::fromHsvF(float(hue), float(saturation), float(value));
}

OutcomeColors outcomeColors(bool dark)
{
    if (dark)
        return {QColor(0x3f, 0x7f, 0x4f), QColor(0xff, 0x5a, 0x4f), QColor(0x8a, 0x8a, 0x8a),
                QColor(0xd0, 0x9c, 0xff)};
    return {QColor(0xb8, 0xe0, 0xc2), QColor(0xd6, 0x27, 0x28), QColor(0x80, 0x80, 0x80),
            QColor(0x6a, 0x1b, 0x9a)};
}

} // namespace shapescope
