#pragma once

#include "tensor/dtype.h"
#include "tensor/tensorinfo.h"

#include <QString>

// The exception texts PyTorch (1.13, ATen's LossNLL.cpp, Loss.cpp and torch/nn/functional.py)
// raises for bad loss inputs, verbatim, including its quirks (the missing ')' of nll_loss2d's
// size mismatch). Tests compare them with the text torch itself raised on the same dumps.
namespace shapescope::pytorch {

QString sizes(const Shape& shape);     // "[2, 5, 8, 8]" as c10 prints IntArrayRef
QString torchSize(const Shape& shape); // "torch.Size([4, 9])" as Python prints it
// c10's ScalarType name: "Long", "Float", "Byte", "Char"; empty for types torch lacks (uint16).
QString scalarTypeName(DType type);

QString batchSizeMismatch(qint64 input, qint64 target);
QString multiTargetNotSupported();
QString sizeMismatch1d(const Shape& input, const Shape& target);
QString sizeMismatch2d(const Shape& input, const Shape& target);
QString spatialTargetsOnly(qsizetype targetRank);
QString expectedTargetSize(const Shape& expected, const Shape& target);
QString weightForAllClasses(qint64 classes, const Shape& weightShape, bool probabilityTarget);
QString weightForAllOrNoClasses();
QString expectedLong(DType found);
QString expectedFloatingProbabilities(DType found);
QString ignoreIndexWithProbabilities();
QString labelSmoothingRange(double value);
QString targetOutOfBounds(qint64 target);
QString expectedDimensions(qsizetype rank);
QString dimensionOutOfRange(qsizetype rank, qsizetype dim);
QString softmaxNotImplemented(DType input, bool lastDim);
QString bceTargetSize(const Shape& target, const Shape& input);
QString bceCannotCast(DType input, DType target);
QString numpyConversion(DType type);

} // namespace shapescope::pytorch
