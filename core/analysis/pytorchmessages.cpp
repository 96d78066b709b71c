// SPDX-License-Identifier: GPL-3.0-or-later
#include "pytorchmessages.h"

#include "torchchanges.h"

#include <QStringList>
#include <algorithm>

namespace shapescope::pytorch {

QString sizes(const Shape& shape)
{
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString torchSize(const Shape& shape)
{
    return QStringLiteral("torch.Size(%1)").arg(sizes(shape));
}

QString scalarTypeName(DType type, TorchVersion torch)
{
    const bool unsigned64 = torchHas(torch, TorchChange::UnsignedNumpyTensors);
    switch (type) {
    case DType::Bool:
        return QStringLiteral("Bool");
    case DType::Int8:
        return QStringLiteral("Char");
    case DType::Int16:
        return QStringLiteral("Short");
    case DType::Int32:
        return QStringLiteral("Int");
    case DType::Int64:
        return QStringLiteral("Long");
    case DType::UInt8:
        return QStringLiteral("Byte");
    case DType::Float16:
        return QStringLiteral("Half");
    case DType::Float32:
        return QStringLiteral("Float");
    case DType::Float64:
        return QStringLiteral("Double");
    case DType::BFloat16:
        return QStringLiteral("BFloat16");
    case DType::UInt16:
        return unsigned64 ? QStringLiteral("UInt16") : QString();
    case DType::UInt32:
        return unsigned64 ? QStringLiteral("UInt32") : QString();
    case DType::UInt64:
        return unsigned64 ? QStringLiteral("UInt64") : QString();
    }
    return {};
}

QString batchSizeMismatch(qint64 input, qint64 target)
{
    return QStringLiteral("Expected input batch_size (%1) to match target batch_size (%2).")
        .arg(input)
        .arg(target);
}

QString multiTargetNotSupported()
{
    return QStringLiteral("0D or 1D target tensor expected, multi-target not supported");
}

QString sizeMismatch1d(const Shape& input, const Shape& target)
{
    return QStringLiteral("size mismatch (got input: %1, target: %2)")
        .arg(sizes(input), sizes(target));
}

QString sizeMismatch2d(const Shape& input, const Shape& target)
{
    // nll_loss2d's message really has a space before the comma and no closing parenthesis.
    return QStringLiteral("size mismatch (got input: %1 , target: %2")
        .arg(sizes(input), sizes(target));
}

QString spatialTargetsOnly(qsizetype targetRank)
{
    return QStringLiteral("only batches of spatial targets supported (3D tensors) but got targets "
                          "of dimension: %1")
        .arg(targetRank);
}

QString expectedTargetSize(const Shape& expected, const Shape& target)
{
    return QStringLiteral("Expected target size %1, got %2").arg(sizes(expected), sizes(target));
}

QString weightForAllClasses(qint64 classes, const Shape& weightShape, bool probabilityTarget)
{
    const QString text = QStringLiteral("weight tensor should be defined either for all %1 classes "
                                        "or no classes but got weight tensor of shape: %2")
                             .arg(classes)
                             .arg(sizes(weightShape));
    return probabilityTarget ? QStringLiteral("cross_entropy: ") + text : text;
}

QString weightForAllOrNoClasses()
{
    return QStringLiteral("weight tensor should be defined either for all or no classes");
}

QString targetDtype(TorchVersion torch, DType found, bool spatial)
{
    const QString name = scalarTypeName(found, torch);
    if (torchHas(torch, TorchChange::TargetDtypeCheckedFirst) &&
        !(spatial && found == DType::UInt8))
        return QStringLiteral("expected target dtype to be Long or Byte, but got %1").arg(name);
    return QStringLiteral("expected scalar type Long but found %1").arg(name);
}

QString oneDimTargetSize(qint64 targetSize)
{
    return QStringLiteral("For 1D input, 1D target must have size 1, but got target size: %1")
        .arg(targetSize);
}

QString expectedFloatingProbabilities(TorchVersion torch, DType found)
{
    return QStringLiteral(
               "Expected floating point type for target with class probabilities, got %1")
        .arg(scalarTypeName(found, torch));
}

QString ignoreIndexWithProbabilities()
{
    return QStringLiteral("ignore_index is not supported for floating point target");
}

QString labelSmoothingRange(double value)
{
    // c10 prints doubles like std::ostream: %g with 6 significant digits.
    return QStringLiteral("label_smoothing must be between 0.0 and 1.0. Got: %1")
        .arg(value, 0, 'g', 6);
}

QString targetOutOfBounds(qint64 target)
{
    return QStringLiteral("Target %1 is out of bounds.").arg(target);
}

QString expectedDimensions(qsizetype rank)
{
    return QStringLiteral("Expected 1 or more dimensions (got %1)").arg(rank);
}

QString dimensionOutOfRange(qsizetype rank, qsizetype dim)
{
    // c10::maybe_wrap_dim treats a 0-d tensor as having one dimension.
    const qsizetype dims = std::max<qsizetype>(rank, 1);
    return QStringLiteral(
               "Dimension out of range (expected to be in range of [%1, %2], but got %3)")
        .arg(-dims)
        .arg(dims - 1)
        .arg(dim);
}

QString softmaxNotImplemented(TorchVersion torch, DType input, bool lastDim)
{
    const QString kernel = lastDim ? QStringLiteral("log_softmax_lastdim_kernel_impl")
                           : torchHas(torch, TorchChange::LogSoftmaxKernelName)
                               ? QStringLiteral("log_softmax_kernel_impl")
                               : QStringLiteral("softmax_kernel_impl");
    return QStringLiteral("\"%1\" not implemented for '%2'")
        .arg(kernel, scalarTypeName(input, torch));
}

QString bceTargetSize(const Shape& target, const Shape& input)
{
    return QStringLiteral("Target size (%1) must be the same as input size (%2)")
        .arg(torchSize(target), torchSize(input));
}

QString bceCannotCast(TorchVersion torch, DType input, DType target)
{
    // The unsigned types torch 2.x converts have no subtraction kernel: the first op fails.
    if (target == DType::UInt16 || target == DType::UInt32 || target == DType::UInt64)
        return QStringLiteral("\"add_stub\" not implemented for '%1'")
            .arg(scalarTypeName(target, torch));
    if (target == DType::Bool) {
        return QStringLiteral("Subtraction, the `-` operator, with two bool tensors is not "
                              "supported. Use the `^` or `logical_xor()` operator instead.");
    }
    const DType result = input == DType::Float64 ? DType::Float64 : DType::Float32;
    return QStringLiteral("result type %1 can't be cast to the desired output type %2")
        .arg(scalarTypeName(result, torch), scalarTypeName(target, torch));
}

QString numpyConversion(DType type)
{
    return QStringLiteral("can't convert np.ndarray of type numpy.%1. The only supported types "
                          "are: float64, float32, float16, complex64, complex128, int64, int32, "
                          "int16, int8, uint8, and bool.")
        .arg(dtypeName(type));
}

QString broadcastTargetWarning(const Shape& target, const Shape& input)
{
    return QStringLiteral("Using a target size (%1) that is different to the input size (%2). This "
                          "will likely lead to incorrect results due to broadcasting. Please "
                          "ensure they have the same size.")
        .arg(torchSize(target), torchSize(input));
}

QString cannotBroadcast(qint64 sizeA, qint64 sizeB, int dim)
{
    return QStringLiteral(
               "The size of tensor a (%1) must match the size of tensor b (%2) at non-singleton "
               "dimension %3")
        .arg(sizeA)
        .arg(sizeB)
        .arg(dim);
}

QString bceProbabilityTargetSize(const Shape& target, const Shape& input)
{
    return QStringLiteral("Using a target size (%1) that is different to the input size (%2) is "
                          "deprecated. Please ensure they have the same size.")
        .arg(torchSize(target), torchSize(input));
}

QString bceInputRange()
{
    return QStringLiteral("all elements of input should be between 0 and 1");
}

} // namespace shapescope::pytorch
