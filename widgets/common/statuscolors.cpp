// SPDX-License-Identifier: GPL-3.0-or-later
#include "statuscolors.h"

namespace shapescope {

namespace {

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

bool StatusColors::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

StatusColors StatusColors::from(const QPalette& palette)
{
    const bool dark = isDark(palette);
    const QColor base = palette.color(QPalette::Base);
    StatusColors c;
    // Lighter hues on dark backgrounds keep the contrast of text above 4.5:1.
    c.error = dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    c.warning = dark ? QColor(0xf5, 0xb7, 0x42) : QColor(0xa8, 0x5d, 0x00);
    c.ok = dark ? QColor(0x5c, 0xd6, 0x7a) : QColor(0x1e, 0x7b, 0x34);
    c.info = dark ? QColor(0x6c, 0xb4, 0xff) : QColor(0x15, 0x65, 0xc0);
    const double tint = dark ? 0.28 : 0.13;
    c.errorFill = blend(base, c.error, tint);
    c.warningFill = blend(base, c.warning, tint);
    c.okFill = blend(base, c.ok, tint);
    c.infoFill = blend(base, c.info, tint);
    const double soft = dark ? 0.16 : 0.08;
    c.errorPanel = blend(base, c.error, soft);
    c.warningPanel = blend(base, c.warning, soft);
    c.infoPanel = blend(base, c.info, soft);
    c.neutralFill = blend(base, palette.color(QPalette::WindowText), dark ? 0.08 : 0.05);
    c.border = blend(base, palette.color(QPalette::WindowText), dark ? 0.35 : 0.3);
    c.text = palette.color(QPalette::Text);
    c.mutedText = blend(base, palette.color(QPalette::Text), 0.6);
    return c;
}

QColor StatusColors::strong(Severity severity) const
{
    switch (severity) {
    case Severity::Error:
        return error;
    case Severity::Warning:
        return warning;
    case Severity::Info:
        return info;
    }
    return info;
}

QColor StatusColors::fill(Severity severity) const
{
    switch (severity) {
    case Severity::Error:
        return errorFill;
    case Severity::Warning:
        return warningFill;
    case Severity::Info:
        return infoFill;
    }
    return infoFill;
}

} // namespace shapescope

namespace shapescope {

QColor StatusColors::panel(Severity severity) const
{
    switch (severity) {
    case Severity::Error:
        return errorPanel;
    case Severity::Warning:
        return warningPanel;
    case Severity::Info:
        return infoPanel;
    }
    return infoPanel;
}

} // namespace shapescope
