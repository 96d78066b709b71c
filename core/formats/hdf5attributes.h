// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/tensorinfo.h"

#include <QStringList>
#include <hdf5.h>
#include <optional>
#include <vector>

namespace shapescope {

// Reads the attributes of an open group or dataset for display, in natural order of names.
// Never fails: an attribute it cannot show gets type "unsupported" and its kind as the value.
//
// Display rules (tests/data/gen_hdf5.py writes its expectations by the same rules, with numpy):
// a number as numpy prints a scalar of its type (str(np.float32(x)): shortest round-trip digits,
// positional for 1e-4 <= |x| < 1e16, else scientific); bools "True"/"False"; arrays flattened
// "[1, 2, 3]" with at most 16 elements then "…"; strings as text, at most 1024 characters then
// "…", in arrays quoted ["a", "b"]; a null dataspace (h5py.Empty) "(empty)".
std::vector<Attribute> readAttributes(hid_t object);

// Every string of the attribute `name` of `object` (a string array, or one string), in full
// (at most 2^20 of them); nullopt when there is no such attribute or it holds no strings.
std::optional<QStringList> readStringAttribute(hid_t object, const QString& name);

// A number as numpy prints a scalar of `dtype` ("0.1", "1e-05", "65500.0", "True", "-7").
// `element` points at one native-order element of `dtype`.
QString formatElement(const void* element, DType dtype);

} // namespace shapescope
