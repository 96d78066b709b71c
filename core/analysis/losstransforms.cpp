// SPDX-License-Identifier: GPL-3.0-or-later
#include "losstransforms.h"

#include "formats/dumpreader.h"
#include "transform/transformexpr.h"

#include <QRegularExpression>

namespace shapescope {

namespace {

const QString identifier = QStringLiteral(R"(/?[A-Za-z_][\w./]*)");

Expected<LossTransform> malformed(const QString& text, const QString& expected)
{
    return Error{QStringLiteral("\"%1\": expected %2").arg(text, expected)};
}

Expected<LossTransform> parseIgnoreIndex(const QString& text, const QString& value)
{
    bool ok = false;
    const qint64 index = value.toLongLong(&ok);
    if (!ok)
        return malformed(text, QStringLiteral("an integer after ignore_index="));
    LossTransform t;
    t.kind = LossTransform::Kind::IgnoreIndex;
    t.ignoreIndex = index;
    return t;
}

Expected<LossTransform> parseWeight(const QString& text, QString value)
{
    LossTransform t;
    t.kind = LossTransform::Kind::Weight;
    static const QRegularExpression tensorCall(QStringLiteral(R"(^(?:torch\.)?tensor\((.*)\)$)"));
    if (const QRegularExpressionMatch m = tensorCall.match(value); m.hasMatch())
        value = m.captured(1).trimmed();
    if (value.startsWith(QLatin1Char('[')) && value.endsWith(QLatin1Char(']'))) {
        const QStringList parts = value.mid(1, value.size() - 2).split(QLatin1Char(','));
        for (const QString& part : parts) {
            bool ok = false;
            const double w = part.trimmed().toDouble(&ok);
            if (!ok || !(w >= 0) || std::isinf(w))
                return malformed(text, QStringLiteral("a list of finite, non-negative numbers "
                                                      "after weight="));
            t.weight.push_back(w);
        }
        return t;
    }
    t.weightTensor = value;
    return t;
}

QString weightText(const std::vector<double>& weight)
{
    QStringList parts;
    for (double w : weight)
        parts << QString::number(w, 'g', 6);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

// Every tensor the name stands for: that name in every step, or the one path.
std::vector<int> tensorsNamed(const DumpReader& reader, const QString& name)
{
    std::vector<int> found;
    const std::vector<TensorInfo>& tensors = reader.tensors();
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].name == name || samePath(tensors[i].path, name))
            found.push_back(int(i));
    }
    return found;
}

Status setPair(const LossTransform& t, const DumpReader& reader, LossSpec& spec)
{
    const std::vector<int> inputs = tensorsNamed(reader, t.input);
    const std::vector<int> targets = tensorsNamed(reader, t.target);
    for (const auto& [name, found] : {std::pair{t.input, inputs}, std::pair{t.target, targets}}) {
        if (found.empty())
            return Error{QStringLiteral("\"%1\": %2 has no tensor named %3")
                             .arg(t.text(), reader.filePath(), name)};
    }
    const std::vector<TensorInfo>& tensors = reader.tensors();
    if (inputs.size() == 1 && targets.size() == 1) {
        spec.inputPath = tensors[size_t(inputs.front())].path;
        spec.targetPath = tensors[size_t(targets.front())].path;
        return {};
    }
    // One pair per step: the roles decide, and the step's other outputs and targets stand
    // aside (as extras, still traced through the step) so they cannot take the pair.
    QStringList groups;
    for (int i : inputs)
        groups << tensors[size_t(i)].group;
    auto give = [&spec](const QString& path, TensorRole role) {
        std::erase_if(spec.roles, [&](const RoleOverride& r) { return samePath(r.path, path); });
        spec.roles.push_back({path, role});
    };
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (!groups.contains(tensors[i].group))
            continue;
        const TensorRole now = roleOf(tensors[i], spec.roles);
        if (now == TensorRole::Output || now == TensorRole::Target)
            give(tensors[i].path, TensorRole::Extra);
    }
    for (int i : inputs)
        give(tensors[size_t(i)].path, TensorRole::Output);
    for (int i : targets)
        give(tensors[size_t(i)].path, TensorRole::Target);
    spec.inputPath.clear();
    spec.targetPath.clear();
    return {};
}

} // namespace

QString LossTransform::text() const
{
    switch (kind) {
    case Kind::IgnoreIndex:
        return QStringLiteral("ignore_index=%1").arg(ignoreIndex);
    case Kind::Weight:
        return QStringLiteral("weight=") +
               (weightTensor.isEmpty() ? weightText(weight) : weightTensor);
    case Kind::Pair:
        return QStringLiteral("criterion(%1, %2)").arg(input, target);
    }
    return {};
}

std::optional<Expected<LossTransform>> parseLossTransform(const QString& text)
{
    const QString trimmed = text.trimmed();
    static const QRegularExpression option(QStringLiteral(R"(^(ignore_index|weight)\s*=\s*(.*)$)"));
    if (const QRegularExpressionMatch m = option.match(trimmed); m.hasMatch()) {
        const QString value = m.captured(2).trimmed();
        if (m.captured(1) == QLatin1String("ignore_index"))
            return parseIgnoreIndex(trimmed, value);
        // "weight=w.reshape(-1)" transforms a tensor named weight; a bare name or a list is
        // the loss's weight.
        static const QRegularExpression name(QStringLiteral("^%1$").arg(identifier));
        static const QRegularExpression list(QStringLiteral(R"(^(?:(?:torch\.)?tensor\()?\[)"));
        if (name.match(value).hasMatch() || list.match(value).hasMatch())
            return parseWeight(trimmed, value);
        return std::nullopt;
    }
    static const QRegularExpression pair(
        QStringLiteral(R"(^(?:criterion|loss_fn)\s*\(\s*(%1)\s*,\s*(%1)\s*\)$)").arg(identifier));
    if (const QRegularExpressionMatch m = pair.match(trimmed); m.hasMatch()) {
        LossTransform t;
        t.kind = LossTransform::Kind::Pair;
        t.input = m.captured(1);
        t.target = m.captured(2);
        if (t.input == t.target)
            return malformed(trimmed, QStringLiteral("two different tensors in criterion(...)"));
        return Expected<LossTransform>(t);
    }
    if (trimmed.startsWith(QLatin1String("criterion")) ||
        trimmed.startsWith(QLatin1String("loss_fn")))
        return malformed(trimmed,
                         QStringLiteral("criterion(OUTPUT, TARGET) with two tensor names"));
    return std::nullopt;
}

Status applyLossTransform(const LossTransform& transform, const DumpReader& reader, LossSpec& spec)
{
    switch (transform.kind) {
    case LossTransform::Kind::IgnoreIndex:
        spec.ignoreIndex = transform.ignoreIndex;
        return {};
    case LossTransform::Kind::Weight: {
        if (transform.weightTensor.isEmpty()) {
            spec.weight = transform.weight;
            spec.weightTensor.clear();
            return {};
        }
        const std::vector<int> found = tensorsNamed(reader, transform.weightTensor);
        if (found.size() != 1)
            return Error{
                QStringLiteral("\"%1\": %2 has %3 tensor named %4")
                    .arg(transform.text(), reader.filePath(),
                         found.empty() ? QStringLiteral("no") : QStringLiteral("more than one"),
                         transform.weightTensor)};
        spec.weightTensor = reader.tensors()[size_t(found.front())].path;
        spec.weight.clear();
        return {};
    }
    case LossTransform::Kind::Pair:
        return setPair(transform, reader, spec);
    }
    return {};
}

Expected<SplitTransforms> splitTransforms(const QStringList& statements)
{
    SplitTransforms split;
    for (const QString& statement : statements) {
        std::optional<Expected<LossTransform>> loss = parseLossTransform(statement);
        if (!loss) {
            split.tensors << statement;
            continue;
        }
        if (!*loss)
            return loss->failure();
        split.loss.push_back(**loss);
    }
    return split;
}

Status parseTransforms(const QStringList& statements)
{
    const Expected<SplitTransforms> split = splitTransforms(statements);
    if (!split)
        return split.failure();
    for (const QString& statement : split->tensors) {
        if (const Expected<TransformStatement> parsed = parseTransform(statement); !parsed)
            return parsed.failure();
    }
    return {};
}

} // namespace shapescope
