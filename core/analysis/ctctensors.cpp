// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctctensors.h"

namespace shapescope {

namespace {

bool hasAny(const QStringList& parts, std::initializer_list<const char*> words)
{
    for (const char* word : words) {
        if (parts.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

bool isLengthName(const QStringList& parts)
{
    return hasAny(parts, {"lengths", "length", "lens", "len"});
}

bool isLogProbsName(const QStringList& parts)
{
    return (parts.contains(QLatin1String("log")) && hasAny(parts, {"probs", "prob", "probas"})) ||
           hasAny(parts, {"logprobs", "lprobs", "emissions"});
}

enum class LengthKind
{
    None,
    Input,
    Target
};

LengthKind lengthKind(const TensorInfo& tensor)
{
    const QStringList parts = nameParts(tensor.name);
    if (tensor.shape.size() != 1 || !isLengthName(parts))
        return LengthKind::None;
    if (hasAny(parts, {"target", "targets", "label", "labels", "tgt", "y", "transcript", "text"}))
        return LengthKind::Target;
    if (hasAny(parts, {"input", "inputs", "output", "outputs", "logits", "log", "probs", "pred",
                       "frame", "frames", "feature", "features", "audio", "x", "emissions"}))
        return LengthKind::Input;
    return LengthKind::None;
}

int indexOf(const std::vector<TensorInfo>& tensors, const QString& path)
{
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].path == path)
            return int(i);
    }
    return -1;
}

} // namespace

TensorRole ctcRole(const TensorInfo& tensor, const std::vector<RoleOverride>& overrides)
{
    for (const RoleOverride& o : overrides) {
        if (samePath(tensor.path, o.path))
            return o.role;
    }
    const QStringList parts = nameParts(tensor.name);
    if (isLengthName(parts))
        return TensorRole::Extra;
    if (isLogProbsName(parts))
        return TensorRole::Output;
    return classifyTensor(tensor);
}

CtcLengthTensors findCtcLengths(const std::vector<TensorInfo>& tensors, int input,
                                const LossSpec& spec)
{
    CtcLengthTensors found;
    if (!spec.inputLengthsPath.isEmpty())
        found.input = indexOf(tensors, spec.inputLengthsPath);
    if (!spec.targetLengthsPath.isEmpty())
        found.target = indexOf(tensors, spec.targetLengthsPath);
    const QString& group = tensors[size_t(input)].group;
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].group != group)
            continue;
        const LengthKind kind = lengthKind(tensors[i]);
        if (kind == LengthKind::Input && found.input < 0 && spec.inputLengthsPath.isEmpty())
            found.input = int(i);
        else if (kind == LengthKind::Target && found.target < 0 && spec.targetLengthsPath.isEmpty())
            found.target = int(i);
    }
    return found;
}

std::optional<QString> ctcGuessReason(const std::vector<TensorInfo>& tensors)
{
    for (size_t i = 0; i < tensors.size(); ++i) {
        const TensorInfo& tensor = tensors[i];
        if (tensor.shape.size() != 3 || !isFloating(tensor.dtype) ||
            !isLogProbsName(nameParts(tensor.name)))
            continue;
        const CtcLengthTensors lengths = findCtcLengths(tensors, int(i), LossSpec{});
        if (lengths.input >= 0 && lengths.target >= 0) {
            return QStringLiteral("%1 is 3-D and named like log_probs, beside %2 and %3")
                .arg(tensor.path, tensors[size_t(lengths.input)].path,
                     tensors[size_t(lengths.target)].path);
        }
    }
    return std::nullopt;
}

} // namespace shapescope
