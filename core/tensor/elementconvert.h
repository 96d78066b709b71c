// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dtype.h"

#include <QtGlobal>

namespace shapescope {

// Converts `count` elements of type `from`, stored in byte order `order` at `src`, to type `to`
// in native byte order at `dst`. Conversions follow numpy's astype, with two safety rules numpy
// leaves undefined: float to integer saturates at the target's limits, and NaN becomes 0 (the
// analysis reads float targets as floats and diagnoses them instead of relying on this).
// Bool reads any non-zero byte as true. `src` and `dst` must not overlap unless equal types.
void convertElements(const void* src, DType from, ByteOrder order, void* dst, DType to,
                     qint64 count);

// Reverses the byte order of `count` elements of `elementSize` bytes in place.
void swapBytesInPlace(void* data, int elementSize, qint64 count);

} // namespace shapescope
