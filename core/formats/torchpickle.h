// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/tensorinfo.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace shapescope {

// A restricted interpreter for the pickle in a torch.save archive (data.pkl), the idea of
// torch's own weights_only unpickler: it knows only the opcodes torch.save and numpy emit and a
// short allowlist of globals, each of which it models itself (nothing is ever imported, called
// or executed). Any other opcode or global refuses the whole pickle with one line naming it and
// its byte offset.
namespace torchpickle {

struct Value;
using ValuePtr = const Value*; // owned by the Pickle that holds it

// A storage named by a persistent id: ('storage', torch.FloatStorage, '0', 'cpu', numel).
struct StorageRef
{
    QString typeName;        // "FloatStorage", "UntypedStorage"
    QString key;             // the archive entry data/<key>
    QString location;        // "cpu", "cuda:0"
    qint64 declaredSize = 0; // elements (bytes for UntypedStorage)
};

// torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...), in elements.
struct TensorRef
{
    std::shared_ptr<const StorageRef> storage;
    qint64 storageOffset = 0;
    Shape shape;
    Shape stride;
    bool parameter = false;
    bool requiresGrad = false;
};

// numpy.core.multiarray._reconstruct + BUILD: an array pickled inside the file.
struct NdArray
{
    QString descr; // numpy's dtype string, "<f4"
    Shape shape;
    bool fortranOrder = false;
    QByteArray data;
};

struct Value
{
    enum class Kind
    {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global, // an allowed class or function, before it is called
        Storage,
        Tensor,
        NdArray,
        NumpyDType,
    };
    Kind kind = Kind::None;
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    QString text;              // String; Global's "module.name"; NumpyDType's descr
    QByteArray bytes;          // Bytes
    std::vector<Value*> items; // Tuple, List
    std::vector<std::pair<Value*, Value*>> pairs; // Dict, in insertion order
    std::shared_ptr<const StorageRef> storage;
    std::shared_ptr<TensorRef> tensor;
    std::shared_ptr<NdArray> array;
};

struct Limits
{
    qint64 maxMemo = 1 << 20;
    qint64 maxStack = 1 << 20;
    qint64 maxValues = qint64(8) << 20; // objects built in all; bounds memory on a long pickle
    qint64 maxDepth = 256;              // container nesting
    qint64 maxStringBytes = qint64(1) << 30;
};

// Every value a pickle built, owned in one place: a pickle may make reference cycles (a list
// appended to itself through the memo), which plain shared ownership would leak. Readers walk
// the tree with a depth limit.
struct Pickle
{
    std::vector<std::unique_ptr<Value>> values;
    const Value* root = nullptr;
};

// Runs `pickle` (named `where` in errors, "run.pt: archive/data.pkl") to its STOP.
Expected<std::unique_ptr<Pickle>> load(const QByteArray& pickle, const QString& where,
                                       const Limits& limits = {});

// "FloatStorage" -> float32; nullopt and a reason for storages ShapeScope does not analyse.
struct StorageType
{
    std::optional<DType> dtype;
    int elementSize = 0; // bytes, also for unsupported types whose size is known
    QString torchName;   // "torch.float32"
    QString unsupportedReason;
};
std::optional<StorageType> storageType(const QString& typeName);

} // namespace torchpickle
} // namespace shapescope
