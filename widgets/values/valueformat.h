// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/dtype.h"

#include <QString>

namespace shapescope {

// A value as the values view shows it: integers exact, floats in the shortest text that reads
// back to the same value of the tensor's type (float32 values as float32, so 0.1f is "0.1"),
// bools as True/False (numpy's spelling), and the non-finite values as "NaN", "+Inf", "-Inf".
// `value` is what Session::readSlice returned (a double, exact for every type but 64-bit
// integers beyond 2^53).
QString formatValue(double value, DType type);

// NaN and infinities, which the view draws in a warning colour.
bool isSpecialValue(double value);

} // namespace shapescope
