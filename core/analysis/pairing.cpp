// SPDX-License-Identifier: GPL-3.0-or-later
#include "pairing.h"

#include "common/naturalsort.h"
#include "ctctensors.h"
#include "tensorrole.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <map>
#include <unordered_map>

namespace shapescope {

namespace {

struct GroupMembers
{
    std::vector<int> inputs;
    std::vector<int> targets;
    std::vector<int> unnamed; // role None: candidates for a guessed pair
};

// Prefer the most specific target word when a group has several unmatched targets.
int targetPriority(const TensorInfo& tensor)
{
    static const QStringList order = {QStringLiteral("target"), QStringLiteral("targets"),
                                      QStringLiteral("labels"), QStringLiteral("label"),
                                      QStringLiteral("y"),      QStringLiteral("gt"),
                                      QStringLiteral("mask"),   QStringLiteral("masks")};
    const QStringList parts = nameParts(tensor.name);
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (parts.contains(order[i]))
            return static_cast<int>(i);
    }
    return static_cast<int>(order.size());
}

void pairGroup(const std::vector<TensorInfo>& tensors, const QString& group,
               const GroupMembers& members, std::vector<TensorPair>& pairs)
{
    if (members.inputs.empty() || members.targets.empty())
        return;
    if (members.inputs.size() == 1 && members.targets.size() == 1) {
        pairs.push_back({members.inputs[0], members.targets[0], group});
        return;
    }
    std::vector<int> looseInputs;
    std::vector<bool> targetUsed(members.targets.size(), false);
    // Each name's key once: a folder of 1000 steps holds 2000 files in one group, and keys
    // compared pair by pair made pairing quadratic in string work (12 s for that folder).
    std::unordered_map<QString, std::vector<size_t>> targetsByKey;
    for (size_t t = 0; t < members.targets.size(); ++t)
        targetsByKey[roleFreeKey(tensors[members.targets[t]].name)].push_back(t);
    for (int input : members.inputs) {
        const auto sameKey = targetsByKey.find(roleFreeKey(tensors[input].name));
        int match = -1;
        if (sameKey == targetsByKey.end()) {
            looseInputs.push_back(input);
            continue;
        }
        for (size_t t : sameKey->second) {
            const TensorInfo& candidate = tensors[members.targets[t]];
            if (targetUsed[t])
                continue;
            if (match < 0 ||
                targetPriority(candidate) < targetPriority(tensors[members.targets[match]]))
                match = static_cast<int>(t);
        }
        if (match >= 0) {
            targetUsed[match] = true;
            pairs.push_back({input, members.targets[match], group});
        } else {
            looseInputs.push_back(input);
        }
    }
    if (looseInputs.empty())
        return;
    // Inputs without a name match (logits and aux_logits) share the group's best target.
    std::vector<int> candidates;
    for (size_t t = 0; t < members.targets.size(); ++t) {
        if (!targetUsed[t])
            candidates.push_back(members.targets[t]);
    }
    if (candidates.empty() && members.targets.size() == 1)
        candidates.push_back(members.targets[0]);
    if (candidates.empty())
        return;
    const int best = *std::min_element(candidates.begin(), candidates.end(), [&](int a, int b) {
        return targetPriority(tensors[a]) < targetPriority(tensors[b]);
    });
    for (int input : looseInputs)
        pairs.push_back({input, best, group});
}

// A group whose names give no pair: a float output (named so, or unnamed) whose leading axis
// equals the length of an integer target (named so, or unnamed). At least one side is unnamed.
void guessPair(const std::vector<TensorInfo>& tensors, const QString& group,
               const GroupMembers& members, std::vector<TensorPair>& pairs)
{
    auto candidates = [&](const std::vector<int>& named, bool floating) {
        std::vector<int> found;
        for (int index : named.empty() ? members.unnamed : named) {
            const TensorInfo& t = tensors[index];
            if (!t.shape.empty() && isFloating(t.dtype) == floating &&
                (floating || isInteger(t.dtype)))
                found.push_back(index);
        }
        return found;
    };
    if (members.unnamed.empty())
        return;
    for (int output : candidates(members.inputs, true)) {
        for (int target : candidates(members.targets, false)) {
            if (output != target && tensors[output].shape[0] == tensors[target].shape[0] &&
                tensors[output].shape.size() > tensors[target].shape.size()) {
                pairs.push_back({output, target, group, -1, -1, true});
                return;
            }
        }
    }
}

void findRuns(const std::vector<TensorInfo>& tensors, Pairing& pairing)
{
    // Key: the input's path with numbers as '#'. Pairs sharing a key that has a number form a run.
    std::map<QString, std::vector<int>> byKey;
    for (size_t p = 0; p < pairing.pairs.size(); ++p) {
        const QString key = stepPattern(tensors[pairing.pairs[p].input].path);
        if (key.contains(QLatin1Char('#')))
            byKey[key].push_back(static_cast<int>(p));
    }
    for (auto& [key, members] : byKey) {
        if (members.size() < 2)
            continue;
        std::sort(members.begin(), members.end(), [&](int a, int b) {
            return naturalLess(tensors[pairing.pairs[a].input].path,
                               tensors[pairing.pairs[b].input].path);
        });
        const TensorPair& first = pairing.pairs[members.front()];
        const QString group = first.group;
        Run run;
        // Name the run by its groups when the numbers are in the groups, else by the names.
        const QString groupPattern = stepPattern(group);
        run.name = groupPattern.contains(QLatin1Char('#')) ? groupPattern : key;
        run.pairs = members;
        const int runIndex = static_cast<int>(pairing.runs.size());
        for (size_t step = 0; step < members.size(); ++step) {
            pairing.pairs[members[step]].run = runIndex;
            pairing.pairs[members[step]].step = static_cast<int>(step);
        }
        pairing.runs.push_back(std::move(run));
    }
}

} // namespace

QString stepPattern(const QString& path)
{
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    QString pattern = path;
    pattern.replace(digits, QStringLiteral("#"));
    return pattern;
}

Expected<Pairing> pairTensors(const std::vector<TensorInfo>& tensors, const LossSpec& spec)
{
    Pairing pairing;
    auto indexOf = [&](const QString& path) {
        for (size_t i = 0; i < tensors.size(); ++i) {
            if (samePath(tensors[i].path, path))
                return static_cast<int>(i);
        }
        return -1;
    };
    if (!spec.inputPath.isEmpty() || !spec.targetPath.isEmpty()) {
        if (spec.inputPath.isEmpty() || spec.targetPath.isEmpty())
            return Error{QStringLiteral("--input and --target go together: give both or neither")};
        const int input = indexOf(spec.inputPath);
        const int target = indexOf(spec.targetPath);
        if (input < 0)
            return Error{QStringLiteral("there is no tensor %1 in the dump").arg(spec.inputPath)};
        if (target < 0)
            return Error{QStringLiteral("there is no tensor %1 in the dump").arg(spec.targetPath)};
        pairing.pairs.push_back({input, target, tensors[input].group});
    } else {
        // Group order follows the dump's (natural) order of tensors.
        std::vector<QString> groupOrder;
        QHash<QString, GroupMembers> groups;
        for (size_t i = 0; i < tensors.size(); ++i) {
            const TensorInfo& tensor = tensors[i];
            const TensorRole role = spec.kind == LossKind::Ctc ? ctcRole(tensor, spec.roles)
                                                               : roleOf(tensor, spec.roles);
            if (role == TensorRole::Loader || role == TensorRole::Extra ||
                role == TensorRole::None && spec.kind == LossKind::Ctc ||
                samePath(tensor.path, spec.weightTensor))
                continue;
            if (!groups.contains(tensor.group))
                groupOrder.push_back(tensor.group);
            GroupMembers& members = groups[tensor.group];
            std::vector<int>& list = role == TensorRole::Output   ? members.inputs
                                     : role == TensorRole::Target ? members.targets
                                                                  : members.unnamed;
            list.push_back(static_cast<int>(i));
        }
        // Root first, then groups in natural order ("/batch_2" before "/batch_10").
        std::stable_sort(groupOrder.begin(), groupOrder.end(), naturalLess);
        for (const QString& group : groupOrder) {
            const size_t before = pairing.pairs.size();
            pairGroup(tensors, group, groups[group], pairing.pairs);
            if (pairing.pairs.size() == before)
                guessPair(tensors, group, groups[group], pairing.pairs);
        }
        findRuns(tensors, pairing);
    }
    std::vector<bool> used(tensors.size(), false);
    for (const TensorPair& pair : pairing.pairs) {
        used[pair.input] = true;
        used[pair.target] = true;
        if (spec.kind == LossKind::Ctc) { // the lengths belong to the pair
            const CtcLengthTensors lengths = findCtcLengths(tensors, pair.input, spec);
            for (int index : {lengths.input, lengths.target}) {
                if (index >= 0)
                    used[size_t(index)] = true;
            }
        }
    }
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (!used[i])
            pairing.unpaired.push_back(static_cast<int>(i));
    }
    return pairing;
}

} // namespace shapescope
