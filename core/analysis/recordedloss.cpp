// SPDX-License-Identifier: GPL-3.0-or-later
#include "recordedloss.h"

#include <QRegularExpression>
#include <QStringList>

namespace shapescope {

namespace {

const Attribute* rootAttribute(const std::vector<GroupInfo>& groups, const char* name)
{
    for (const GroupInfo& group : groups) {
        if (!group.path.isEmpty() && group.path != QLatin1String("/"))
            continue;
        for (const Attribute& attribute : group.attributes) {
            if (attribute.name == QLatin1String(name))
                return &attribute;
        }
    }
    return nullptr;
}

// "[1, 2.5]", "[1. 2.5]" (numpy's text) or one number; empty for "None".
std::optional<std::vector<double>> numbers(const QString& text)
{
    QString inner = text.trimmed();
    if (inner == QLatin1String("None") || inner.isEmpty())
        return std::vector<double>{};
    if (inner.startsWith(u'[') && inner.endsWith(u']'))
        inner = inner.mid(1, inner.size() - 2);
    std::vector<double> values;
    const QStringList parts =
        inner.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        bool ok = false;
        values.push_back(part.toDouble(&ok));
        if (!ok)
            return std::nullopt;
    }
    return values;
}

} // namespace

Expected<std::optional<LossSpec>> recordedLossSpec(const std::vector<GroupInfo>& groups)
{
    const Attribute* loss = rootAttribute(groups, "loss_class");
    if (!loss)
        return std::optional<LossSpec>();
    LossSpec spec;
    const QString name = loss->value.trimmed();
    bool known = false;
    for (LossKind kind : allLossKinds()) {
        if (name == lossClassName(kind)) {
            spec.kind = kind;
            known = true;
        }
    }
    const auto bad = [](const QString& what) {
        return Error{QStringLiteral("the dump records the loss setting %1, which ShapeScope cannot "
                                    "apply; choose the settings with --loss and its options")
                         .arg(what)};
    };
    // Another loss (MSELoss, a custom class): nothing here applies to it; the report's loss
    // line says what was used instead.
    if (!known)
        return std::optional<LossSpec>();
    if (const Attribute* a = rootAttribute(groups, "ignore_index")) {
        bool ok = false;
        spec.ignoreIndex = a->value.trimmed().toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("ignore_index=%1").arg(a->value));
    }
    if (const Attribute* a = rootAttribute(groups, "label_smoothing")) {
        bool ok = false;
        spec.labelSmoothing = a->value.trimmed().toDouble(&ok);
        if (!ok)
            return bad(QStringLiteral("label_smoothing=%1").arg(a->value));
    }
    for (auto [attribute, target] :
         {std::pair{"weight", &spec.weight}, std::pair{"pos_weight", &spec.posWeight}}) {
        if (const Attribute* a = rootAttribute(groups, attribute)) {
            const std::optional<std::vector<double>> values = numbers(a->value);
            if (!values)
                return bad(QStringLiteral("%1=%2").arg(QLatin1String(attribute), a->value));
            *target = *values;
        }
    }
    return std::optional<LossSpec>(std::move(spec));
}

Expected<LossSpec> effectiveLossSpec(const LossSpec& requested,
                                     const std::vector<GroupInfo>& groups)
{
    // A request for a guess is still the defaults: the dump's recorded loss beats a guess.
    LossSpec defaults = requested;
    defaults.guessKind = false;
    if (!(defaults == LossSpec{}))
        return requested;
    Expected<std::optional<LossSpec>> recorded = recordedLossSpec(groups);
    if (!recorded)
        return recorded.failure();
    return recorded->value_or(requested);
}

} // namespace shapescope
