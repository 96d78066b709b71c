// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchpickleglobals.h"

#include <QSet>

namespace shapescope::torchpickle {

namespace {

using Kind = Value::Kind;

const QLatin1String rebuildTensor("torch._utils._rebuild_tensor_v2");
const QLatin1String rebuildParameter("torch._utils._rebuild_parameter");
const QLatin1String rebuildParameterWithState("torch._utils._rebuild_parameter_with_state");
const QLatin1String orderedDict("collections.OrderedDict");
const QLatin1String torchSize("torch.Size");
const QLatin1String codecsEncode("_codecs.encode");
const QLatin1String numpyNdarray("numpy.ndarray");
const QLatin1String numpyDtype("numpy.dtype");

bool isNumpyReconstruct(const QString& name)
{
    return name == QLatin1String("numpy.core.multiarray._reconstruct") ||
           name == QLatin1String("numpy._core.multiarray._reconstruct");
}

const std::vector<std::pair<QLatin1String, StorageType>>& storageTypes()
{
    const QString complex = QStringLiteral("complex tensors are not analysed (no loss takes them)");
    const QString quantized = QStringLiteral("quantized tensors are not analysed");
    static const std::vector<std::pair<QLatin1String, StorageType>> types = {
        {QLatin1String("DoubleStorage"), {DType::Float64, 8, QStringLiteral("torch.float64"), {}}},
        {QLatin1String("FloatStorage"), {DType::Float32, 4, QStringLiteral("torch.float32"), {}}},
        {QLatin1String("HalfStorage"), {DType::Float16, 2, QStringLiteral("torch.float16"), {}}},
        {QLatin1String("BFloat16Storage"),
         {DType::BFloat16, 2, QStringLiteral("torch.bfloat16"), {}}},
        {QLatin1String("LongStorage"), {DType::Int64, 8, QStringLiteral("torch.int64"), {}}},
        {QLatin1String("IntStorage"), {DType::Int32, 4, QStringLiteral("torch.int32"), {}}},
        {QLatin1String("ShortStorage"), {DType::Int16, 2, QStringLiteral("torch.int16"), {}}},
        {QLatin1String("CharStorage"), {DType::Int8, 1, QStringLiteral("torch.int8"), {}}},
        {QLatin1String("ByteStorage"), {DType::UInt8, 1, QStringLiteral("torch.uint8"), {}}},
        {QLatin1String("BoolStorage"), {DType::Bool, 1, QStringLiteral("torch.bool"), {}}},
        {QLatin1String("ComplexFloatStorage"),
         {std::nullopt, 8, QStringLiteral("torch.complex64"), complex}},
        {QLatin1String("ComplexDoubleStorage"),
         {std::nullopt, 16, QStringLiteral("torch.complex128"), complex}},
        {QLatin1String("ComplexHalfStorage"),
         {std::nullopt, 4, QStringLiteral("torch.complex32"), complex}},
        {QLatin1String("QInt8Storage"),
         {std::nullopt, 1, QStringLiteral("torch.qint8"), quantized}},
        {QLatin1String("QUInt8Storage"),
         {std::nullopt, 1, QStringLiteral("torch.quint8"), quantized}},
        {QLatin1String("QInt32Storage"),
         {std::nullopt, 4, QStringLiteral("torch.qint32"), quantized}},
    };
    return types;
}

const Value* item(const Value* tuple, size_t i)
{
    return tuple && tuple->kind == Kind::Tuple && i < tuple->items.size() ? tuple->items[i]
                                                                          : nullptr;
}

bool isKind(const Value* value, Kind kind)
{
    return value && value->kind == kind;
}

// A tuple of non-negative integers (a torch.Size, a stride, a numpy shape).
std::optional<Shape> toShape(const Value* tuple)
{
    if (!isKind(tuple, Kind::Tuple) || tuple->items.size() > 64)
        return std::nullopt;
    Shape shape;
    for (const Value* v : tuple->items) {
        if (!isKind(v, Kind::Int) || v->integer < 0)
            return std::nullopt;
        shape.push_back(v->integer);
    }
    return shape;
}

Expected<Value*> rebuildTensorV2(const Value* args, const MakeValue& make)
{
    const Value* storage = item(args, 0);
    const Value* offset = item(args, 1);
    const std::optional<Shape> shape = toShape(item(args, 2));
    const std::optional<Shape> stride = toShape(item(args, 3));
    if (!isKind(storage, Kind::Storage) || !isKind(offset, Kind::Int) || offset->integer < 0 ||
        !shape || !stride || shape->size() != stride->size())
        return Error{QStringLiteral("_rebuild_tensor_v2 with arguments that are not (storage, "
                                    "offset, size, stride, ...)")};
    Value* tensor = make(Kind::Tensor);
    tensor->tensor = std::make_shared<TensorRef>();
    tensor->tensor->storage = storage->storage;
    tensor->tensor->storageOffset = offset->integer;
    tensor->tensor->shape = *shape;
    tensor->tensor->stride = *stride;
    const Value* requiresGrad = item(args, 4);
    tensor->tensor->requiresGrad = isKind(requiresGrad, Kind::Bool) && requiresGrad->boolean;
    return tensor;
}

Expected<Value*> rebuildParameterFrom(const Value* args, const MakeValue& make)
{
    const Value* data = item(args, 0);
    if (!isKind(data, Kind::Tensor))
        return Error{QStringLiteral("_rebuild_parameter of something that is not a tensor")};
    Value* parameter = make(Kind::Tensor);
    parameter->tensor = std::make_shared<TensorRef>(*data->tensor);
    parameter->tensor->parameter = true;
    const Value* requiresGrad = item(args, 1);
    parameter->tensor->requiresGrad = isKind(requiresGrad, Kind::Bool) && requiresGrad->boolean;
    return parameter;
}

} // namespace

std::optional<StorageType> storageType(const QString& typeName)
{
    for (const auto& [name, type] : storageTypes()) {
        if (typeName == name)
            return type;
    }
    return std::nullopt;
}

bool isAllowedGlobal(const QString& name)
{
    static const QSet<QString> allowed = {
        rebuildTensor,
        rebuildParameter,
        rebuildParameterWithState,
        orderedDict,
        torchSize,
        codecsEncode,
        numpyNdarray,
        numpyDtype,
        QStringLiteral("torch.UntypedStorage"),
        QStringLiteral("torch.storage.UntypedStorage"),
    };
    if (allowed.contains(name) || isNumpyReconstruct(name))
        return true;
    return name.startsWith(QLatin1String("torch.")) && storageType(name.mid(6)).has_value();
}

Expected<Value*> persistentLoad(const Value* pid, const MakeValue& make)
{
    const Value* tag = item(pid, 0);
    const Value* type = item(pid, 1);
    const Value* key = item(pid, 2);
    const Value* location = item(pid, 3);
    const Value* size = item(pid, 4);
    if (!isKind(tag, Kind::String) || tag->text != QLatin1String("storage") ||
        !isKind(type, Kind::Global) || !isKind(key, Kind::String) ||
        !isKind(location, Kind::String) || !isKind(size, Kind::Int) || size->integer < 0)
        return Error{QStringLiteral("a persistent id that is not a torch storage")};
    auto storage = std::make_shared<StorageRef>();
    storage->typeName = type->text.mid(type->text.lastIndexOf(u'.') + 1);
    storage->key = key->text;
    storage->location = location->text;
    storage->declaredSize = size->integer;
    Value* value = make(Kind::Storage);
    value->storage = std::move(storage);
    return value;
}

Expected<Value*> reduce(const Value* callable, const Value* args, const MakeValue& make)
{
    if (!isKind(callable, Kind::Global) || !isKind(args, Kind::Tuple))
        return Error{QStringLiteral("REDUCE of something that is not an allowed global")};
    const QString& name = callable->text;
    if (name == rebuildTensor)
        return rebuildTensorV2(args, make);
    if (name == rebuildParameter || name == rebuildParameterWithState)
        return rebuildParameterFrom(args, make);
    if (name == orderedDict && args->items.empty())
        return make(Kind::Dict);
    if (name == torchSize && args->items.size() == 1 && toShape(item(args, 0))) {
        Value* size = make(Kind::Tuple);
        size->items = args->items[0]->items;
        return size;
    }
    if (name == codecsEncode && isKind(item(args, 0), Kind::String) &&
        isKind(item(args, 1), Kind::String) && item(args, 1)->text == QLatin1String("latin1")) {
        Value* bytes = make(Kind::Bytes);
        bytes->bytes = item(args, 0)->text.toLatin1();
        return bytes;
    }
    if (isNumpyReconstruct(name) && isKind(item(args, 0), Kind::Global) &&
        item(args, 0)->text == numpyNdarray) {
        Value* array = make(Kind::NdArray);
        array->array = std::make_shared<NdArray>();
        return array;
    }
    if (name == numpyDtype && isKind(item(args, 0), Kind::String) &&
        item(args, 0)->text.size() <= 8) {
        Value* dtype = make(Kind::NumpyDType);
        dtype->text = item(args, 0)->text;
        return dtype;
    }
    return Error{QStringLiteral("REDUCE of '%1' with arguments it does not take").arg(name)};
}

Status build(Value* object, const Value* state)
{
    // An OrderedDict's instance attributes (a state_dict's _metadata: versions of its modules),
    // which are not items of the dict.
    if (isKind(object, Kind::Dict) && (isKind(state, Kind::None) || isKind(state, Kind::Dict)))
        return Status::success();
    if (isKind(object, Kind::NumpyDType) && isKind(item(state, 1), Kind::String)) {
        // (3, '<', None, None, None, -1, -1, 0): the byte order joins the type code.
        const QString order = item(state, 1)->text;
        if (!object->text.isEmpty() && !QStringLiteral("<>|=").contains(object->text[0]))
            object->text =
                (order == QLatin1String("=") ? QStringLiteral("<") : order) + object->text;
        return Status::success();
    }
    if (isKind(object, Kind::NdArray)) {
        // (version, shape, dtype, is_fortran, raw bytes)
        const std::optional<Shape> shape = toShape(item(state, 1));
        const Value* dtype = item(state, 2);
        const Value* fortran = item(state, 3);
        const Value* data = item(state, 4);
        if (!shape || !isKind(dtype, Kind::NumpyDType) || !isKind(fortran, Kind::Bool) ||
            !isKind(data, Kind::Bytes))
            return Error{QStringLiteral("a numpy array state ShapeScope does not read (object "
                                        "arrays are pickled element by element)")};
        object->array->shape = *shape;
        object->array->descr = dtype->text;
        object->array->fortranOrder = fortran->boolean;
        object->array->data = data->bytes;
        return Status::success();
    }
    return Error{QStringLiteral("BUILD of an object that takes no state")};
}

} // namespace shapescope::torchpickle
