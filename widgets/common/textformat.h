#pragma once

#include "analysis/diagnostic.h"
#include "analysis/lossspec.h"
#include "analysis/pairlayout.h"
#include "formats/dumpformat.h"

#include <QString>
#include <QStringList>

namespace shapescope::text {

// "512 B", "1.3 KiB", "1.0 GiB".
QString bytes(qint64 count);
// "32 x 10", "scalar" for 0-d.
QString shape(const Shape& shape);
// Role labels per axis in PyTorch's (N, C, d1, ..., dk) naming: {"N", "C", "d1"}. Axes beyond
// `roles` get "".
QStringList roleLabels(const std::vector<AxisRole>& roles, size_t rank);
// "32 (N) x 10 (C)": the shape with each axis's role, as the tree shows paired tensors.
QString shapeWithRoles(const Shape& shape, const std::vector<AxisRole>& roles);
// "HDF5", "NumPy .npy", "NumPy .npz", "folder of .npy".
QString formatTitle(DumpFormat format);
// "Error", "Warning", "Info".
QString severityTitle(Severity severity);
// "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss".
QString lossClassName(LossKind kind);
// The PyTorch constructor the settings amount to: "nn.CrossEntropyLoss(ignore_index=255)".
QString pytorchConstructor(const LossSpec& spec);
// A loss or probability for display: 4 significant digits, "nan", "inf".
QString number(double value);
// "1 error", "2 warnings".
QString count(int n, const QString& singular, const QString& plural);

} // namespace shapescope::text
