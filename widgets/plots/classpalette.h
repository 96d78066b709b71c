// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/classnames.h" // classLabel: "3" or "3 (road)"

#include <QColor>
#include <QStringList>

namespace shapescope {

// Colours of class ids in masks: a categorical palette, not a hue scale, so neighbouring ids
// and the first and last class stay apart. The first 20 are a fixed qualitative set; beyond,
// hues step by the golden angle (never repeating) with alternating saturation and value. No
// class is grey: grey is kept for ignored positions.
QColor classColor(qint64 classId);

// The colours of what a position of an error map is.
struct OutcomeColors
{
    QColor correct;
    QColor wrong;
    QColor ignored;
    QColor unscorable; // target out of range, or no prediction
};
OutcomeColors outcomeColors(bool dark);

} // namespace shapescope
