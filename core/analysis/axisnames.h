// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pairlayout.h"

#include <QStringList>

namespace shapescope {

// Whether the pair is a sequence model's: (B, T, V) with the classes (a vocabulary) last and
// one axis between batch and classes, or time before the batch ((T, B, V), CTC's (T, N, C)).
bool isSequenceLayout(const PairLayout& layout);

// The one naming of a pair's axes that reports, JSON and the GUI show: "N" batch, "C" classes,
// "d1".. spatial; in a sequence layout "T" time and "V" vocabulary; "S" a target's labels (CTC).
// `roles` is the layout's inputRoles or targetRoles; axes beyond them get "".
QStringList axisLabels(const PairLayout& layout, const std::vector<AxisRole>& roles, size_t rank);

} // namespace shapescope
