// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorrole.h"

#include <QSet>

namespace shapescope {

namespace {

const QSet<QString>& inputWords()
{
    static const QSet<QString> words = {
        QStringLiteral("logits"),    QStringLiteral("logit"),      QStringLiteral("output"),
        QStringLiteral("outputs"),   QStringLiteral("out"),        QStringLiteral("pred"),
        QStringLiteral("preds"),     QStringLiteral("prediction"), QStringLiteral("predictions"),
        QStringLiteral("predicted"), QStringLiteral("scores"),     QStringLiteral("score"),
        QStringLiteral("yhat")};
    return words;
}

const QSet<QString>& targetWords()
{
    static const QSet<QString> words = {
        QStringLiteral("target"), QStringLiteral("targets"), QStringLiteral("label"),
        QStringLiteral("labels"), QStringLiteral("y"),       QStringLiteral("gt"),
        QStringLiteral("truth"),  QStringLiteral("mask"),    QStringLiteral("masks"),
        QStringLiteral("tgt"),    QStringLiteral("true")};
    return words;
}

const QSet<QString>& loaderWords()
{
    static const QSet<QString> words = {
        QStringLiteral("x"),      QStringLiteral("input"),    QStringLiteral("inputs"),
        QStringLiteral("image"),  QStringLiteral("images"),   QStringLiteral("img"),
        QStringLiteral("imgs"),   QStringLiteral("features"), QStringLiteral("ids"),
        QStringLiteral("pixel"),  QStringLiteral("tokens"),   QStringLiteral("src"),
        QStringLiteral("samples")};
    return words;
}

// Tensors that travel beside the batch: they describe it rather than being the data.
const QSet<QString>& extraWords()
{
    static const QSet<QString> words = {
        QStringLiteral("attention"), QStringLiteral("padding"), QStringLiteral("pad"),
        QStringLiteral("lengths"),   QStringLiteral("length"),  QStringLiteral("lens"),
        QStringLiteral("weight"),    QStringLiteral("weights"), QStringLiteral("position"),
        QStringLiteral("positions"), QStringLiteral("type"),    QStringLiteral("segment")};
    return words;
}

// Words that make a name about something other than the step's data.
const QSet<QString>& otherWords()
{
    static const QSet<QString> words = {QStringLiteral("loss"),       QStringLiteral("embedding"),
                                        QStringLiteral("embeddings"), QStringLiteral("hidden"),
                                        QStringLiteral("grad"),       QStringLiteral("grads")};
    return words;
}

struct RoleName
{
    TensorRole role;
    const char* name;
};

constexpr RoleName kRoleNames[] = {
    {TensorRole::None, "none"},     {TensorRole::Output, "output"}, {TensorRole::Target, "target"},
    {TensorRole::Loader, "loader"}, {TensorRole::Extra, "extra"},
};

bool containsAny(const QStringList& parts, const QSet<QString>& words)
{
    for (const QString& part : parts) {
        if (words.contains(part))
            return true;
    }
    return false;
}

} // namespace

QStringList nameParts(const QString& name)
{
    QString base = name;
    if (base.endsWith(QLatin1String(".npy"), Qt::CaseInsensitive))
        base.chop(4);
    QStringList parts;
    QString current;
    auto flush = [&] {
        if (!current.isEmpty())
            parts << current.toLower();
        current.clear();
    };
    for (qsizetype i = 0; i < base.size(); ++i) {
        const QChar c = base[i];
        if (!c.isLetterOrNumber()) {
            flush();
            continue;
        }
        if (!current.isEmpty()) {
            const QChar previous = base[i - 1];
            const bool digitBoundary = c.isDigit() != previous.isDigit();
            const bool camelHump = c.isUpper() && previous.isLower();
            if (digitBoundary || camelHump)
                flush();
        }
        current += c;
    }
    flush();
    return parts;
}

QString tensorRoleName(TensorRole role)
{
    return QString::fromLatin1(kRoleNames[static_cast<size_t>(role)].name);
}

std::optional<TensorRole> tensorRoleFromName(const QString& name)
{
    for (const RoleName& entry : kRoleNames) {
        if (name.compare(QLatin1String(entry.name), Qt::CaseInsensitive) == 0)
            return entry.role;
    }
    return std::nullopt;
}

TensorRole roleOf(const TensorInfo& tensor, const std::vector<RoleOverride>& overrides)
{
    for (const RoleOverride& o : overrides) {
        if (samePath(tensor.path, o.path))
            return o.role;
    }
    return classifyTensor(tensor);
}

TensorRole classifyTensor(const TensorInfo& tensor)
{
    const QStringList parts = nameParts(tensor.name.isEmpty() ? tensor.path : tensor.name);
    if (parts.isEmpty() || containsAny(parts, otherWords()))
        return TensorRole::None;
    // attention_mask, padding_mask, input_lengths, token_type_ids: beside the batch.
    if (containsAny(parts, extraWords()))
        return TensorRole::Extra;
    // y_pred / y_hat / y_true: the "y" is not the target word there.
    QStringList words = parts;
    const qsizetype y = words.indexOf(QStringLiteral("y"));
    if (y >= 0 && y + 1 < words.size()) {
        const QString& next = words[y + 1];
        if (next == QLatin1String("pred")) {
            words.removeAt(y);
        } else if (next == QLatin1String("hat")) {
            words[y] = QStringLiteral("yhat");
            words.removeAt(y + 1);
        }
    }
    const bool input = containsAny(words, inputWords());
    // "true" only names a target after "y" (y_true); "is_true" is not a target.
    if (!(y >= 0 && y + 1 < words.size() && words[y + 1] == QLatin1String("true")))
        words.removeAll(QStringLiteral("true"));
    const bool target = containsAny(words, targetWords());
    if (input && target)
        return isFloating(tensor.dtype) ? TensorRole::Output : TensorRole::None;
    if (input)
        return TensorRole::Output;
    if (target)
        return TensorRole::Target;
    if (containsAny(words, loaderWords()))
        return TensorRole::Loader;
    return TensorRole::None;
}

QString roleFreeKey(const QString& name)
{
    QStringList kept;
    const QStringList parts = nameParts(name);
    for (const QString& part : parts) {
        if (!inputWords().contains(part) && !targetWords().contains(part) &&
            part != QLatin1String("model") && part != QLatin1String("ground") &&
            part != QLatin1String("hat"))
            kept << part;
    }
    return kept.join(QLatin1Char('_'));
}

} // namespace shapescope
