// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/dtype.h"
#include "tensor/tensorinfo.h"
#include "torchversion.h"

#include <QString>

// The exception texts PyTorch (ATen's LossNLL.cpp, Loss.cpp and torch/nn/functional.py) raises
// for bad loss inputs, verbatim, including its quirks (the missing ')' of nll_loss2d's size
// mismatch). Texts that changed between releases take the version (torchchanges.h says which
// and when). Tests compare them with the text each torch itself raised on the same dumps.
namespace shapescope::pytorch {

QString sizes(const Shape& shape);     // "[2, 5, 8, 8]" as c10 prints IntArrayRef
QString torchSize(const Shape& shape); // "torch.Size([4, 9])" as Python prints it
// c10's ScalarType name: "Long", "Float", "Byte", "Char", "UInt16"; empty for the types
// torch.from_numpy does not take in that version (uint16, uint32, uint64 before 2.3).
QString scalarTypeName(DType type, TorchVersion torch);

QString batchSizeMismatch(qint64 input, qint64 target);
QString multiTargetNotSupported();
QString sizeMismatch1d(const Shape& input, const Shape& target);
QString sizeMismatch2d(const Shape& input, const Shape& target);
QString spatialTargetsOnly(qsizetype targetRank);
QString expectedTargetSize(const Shape& expected, const Shape& target);
QString weightForAllClasses(qint64 classes, const Shape& weightShape, bool probabilityTarget);
QString weightForAllOrNoClasses();
// nll_loss's target dtype check; `spatial`: nll_loss2d's (input of rank 3 or more), which still
// wants Long where nll_loss takes Byte too.
QString targetDtype(TorchVersion torch, DType found, bool spatial);
QString oneDimTargetSize(qint64 targetSize);
QString expectedFloatingProbabilities(TorchVersion torch, DType found);
QString ignoreIndexWithProbabilities();
QString labelSmoothingRange(double value);
QString targetOutOfBounds(qint64 target);
QString expectedDimensions(qsizetype rank);
QString dimensionOutOfRange(qsizetype rank, qsizetype dim);
QString softmaxNotImplemented(TorchVersion torch, DType input, bool lastDim);
QString bceTargetSize(const Shape& target, const Shape& input);
QString bceCannotCast(TorchVersion torch, DType input, DType target);
QString numpyConversion(DType type);
// The elementwise losses (torch/nn/functional.py and ATen's broadcasting), the same in 1.13 and
// 2.x: mse/l1/smooth_l1/huber warn when the sizes differ, then broadcast or fail to; BCELoss
// refuses any difference; binary_cross_entropy's kernel checks every input value.
QString broadcastTargetWarning(const Shape& target, const Shape& input);
QString cannotBroadcast(qint64 sizeA, qint64 sizeB, int dim);
QString bceProbabilityTargetSize(const Shape& target, const Shape& input);
QString bceInputRange();

} // namespace shapescope::pytorch
