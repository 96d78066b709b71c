// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossguess.h"

#include "advicesupport.h"
#include "ctctensors.h"

namespace shapescope {

namespace {

// The shapes equal up to one axis of extent 1 that one of them lacks.
bool equalButForUnitAxis(const Shape& a, const Shape& b)
{
    const Shape& longer = a.size() > b.size() ? a : b;
    const Shape& shorter = a.size() > b.size() ? b : a;
    if (longer.size() != shorter.size() + 1)
        return false;
    for (size_t axis = 0; axis < longer.size(); ++axis) {
        Shape rest = longer;
        rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(axis));
        if (longer[axis] == 1 && rest == shorter)
            return true;
    }
    return false;
}

QString howToChange()
{
    return QStringLiteral("; choose another with --loss or in Loss settings");
}

} // namespace

LossGuess guessLossKind(const std::vector<TensorInfo>& tensors, const Pairing& pairing)
{
    if (pairing.pairs.empty())
        return {LossKind::CrossEntropy,
                QStringLiteral("guessed: cross_entropy, the default, because no pair was found") +
                    howToChange()};
    const TensorInfo& input = tensors[pairing.pairs.front().input];
    const TensorInfo& target = tensors[pairing.pairs.front().target];
    const QString pair =
        QStringLiteral("%1 against %2").arg(advice::describe(input), advice::describe(target));
    if (!isFloating(target.dtype)) {
        return {LossKind::CrossEntropy,
                QStringLiteral("guessed: cross_entropy, because the target holds integers "
                               "(class indices): %1")
                        .arg(pair) +
                    howToChange()};
    }
    const Shape& in = input.shape;
    const bool noClassAxis = in.size() <= 1 || in[1] == 1 || equalButForUnitAxis(in, target.shape);
    if (noClassAxis && (in == target.shape || equalButForUnitAxis(in, target.shape))) {
        return {LossKind::Mse,
                QStringLiteral("guessed: mse, because the target is float, of the input's shape, "
                               "and the input has no class axis (one value per element): %1")
                        .arg(pair) +
                    howToChange()};
    }
    if (in == target.shape) {
        return {LossKind::CrossEntropy,
                QStringLiteral("guessed: cross_entropy, because the float target of the input's "
                               "shape reads as class probabilities along axis 1 (%2 classes): %1")
                        .arg(pair)
                        .arg(in[1]) +
                    howToChange()};
    }
    return {LossKind::CrossEntropy,
            QStringLiteral("guessed: cross_entropy, the default, because the float target is "
                           "not of the input's shape: %1")
                    .arg(pair) +
                howToChange()};
}

std::optional<LossGuess> guessLossKindByNames(const std::vector<TensorInfo>& tensors)
{
    const std::optional<QString> ctc = ctcGuessReason(tensors);
    if (!ctc)
        return std::nullopt;
    return LossGuess{LossKind::Ctc,
                     QStringLiteral("guessed: ctc, because %1").arg(*ctc) + howToChange()};
}

} // namespace shapescope
