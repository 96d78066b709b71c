// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/diagnostic.h"

#include <QColor>
#include <QPalette>

namespace shapescope {

// The colours that carry meaning (a mismatched axis is red, a healthy pair green), derived from
// the palette so they read on light and dark themes alike: strong colours for text and borders,
// soft fills blended into the palette's base colour for backgrounds.
struct StatusColors
{
    QColor error;
    QColor warning;
    QColor ok;
    QColor info;
    QColor errorFill;
    QColor warningFill;
    QColor okFill;
    QColor infoFill;
    QColor neutralFill;
    QColor errorPanel; // large areas (cards, banners): a softer tint than the fills
    QColor warningPanel;
    QColor infoPanel;
    QColor border;
    QColor text;
    QColor mutedText;

    static StatusColors from(const QPalette& palette);
    static bool isDark(const QPalette& palette);

    QColor strong(Severity severity) const;
    QColor fill(Severity severity) const;
    QColor panel(Severity severity) const;
};

} // namespace shapescope
