// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/diagnostic.h"
#include "analysis/lossspec.h"
#include "analysis/pairlayout.h"
#include "common/displaytext.h"
#include "formats/dumpformat.h"

#include <QString>
#include <QStringList>

namespace shapescope::text {

// "512 B", "1.3 KiB", "1.0 GiB".
QString bytes(qint64 count);
// Role labels per axis in PyTorch's (N, C, d1, ..., dk) naming: {"N", "C", "d1"}. Axes beyond
// `roles` get "". Core's axisLabels names them; without a layout no axis reads as time.
QStringList roleLabels(const std::vector<AxisRole>& roles, size_t rank);
// "32 (N) x 10 (C)": the shape with each axis's role, as the tree shows paired tensors.
QString shapeWithRoles(const Shape& shape, const std::vector<AxisRole>& roles);
// The same with the pair's layout, so a sequence's axes read "4 (N) x 12 (T) x 50 (V)".
QString shapeWithRoles(const Shape& shape, const PairLayout& layout,
                       const std::vector<AxisRole>& roles);
// "HDF5", "NumPy .npy", "NumPy .npz", "folder of .npy".
QString formatTitle(DumpFormat format);
// "1 error", "2 warnings".
QString count(int n, const QString& singular, const QString& plural);

} // namespace shapescope::text
