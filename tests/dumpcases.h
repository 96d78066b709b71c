// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The analysis dumps of data/dumps/expected.json (written by data/gen_dumps.py with torch):
// their list, their loss options as a LossSpec, their paths.
#include "analysis/lossspec.h"
#include "testutils.h"

#include <QVersionNumber>
#include <algorithm>

namespace shapescope::test {

inline QJsonArray dumpCases()
{
    static const QJsonArray all = readJson(QFINDTESTDATA("data/dumps/expected.json")).array();
    return all;
}

// The torch releases the generator ran every case under ("1.13", "2.15"), oldest first: the keys
// of each pair's "torch" object.
inline QStringList measuredTorchVersions()
{
    static const QStringList versions = [] {
        QStringList keys = dumpCases()
                               .first()
                               .toObject()
                               .value(QStringLiteral("pairs"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("torch"))
                               .toObject()
                               .keys();
        std::sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
            return QVersionNumber::fromString(a) < QVersionNumber::fromString(b);
        });
        return keys;
    }();
    return versions;
}

inline QString dumpPath(const QString& file)
{
    return QFINDTESTDATA(QStringLiteral("data/dumps/") + file);
}

// The "options" object of a case: the generator's names for PyTorch's loss arguments.
inline LossSpec specForCase(const QJsonObject& json)
{
    LossSpec spec;
    spec.kind = *lossKindFromName(
        json.value(QStringLiteral("loss")).toString(QStringLiteral("cross_entropy")));
    spec.ignoreIndex = json.value(QStringLiteral("ignore_index")).toInteger(-100);
    spec.labelSmoothing = json.value(QStringLiteral("label_smoothing")).toDouble(0.0);
    if (json.contains(QStringLiteral("weight_tensor"))) {
        spec.weightTensor = json.value(QStringLiteral("weight_tensor")).toString();
    } else {
        for (const QJsonValue& v : json.value(QStringLiteral("weight")).toArray())
            spec.weight.push_back(v.toDouble());
    }
    for (const QJsonValue& v : json.value(QStringLiteral("pos_weight")).toArray())
        spec.posWeight.push_back(v.toDouble());
    if (json.contains(QStringLiteral("class_dim")))
        spec.classDim = json.value(QStringLiteral("class_dim")).toInt();
    spec.inputPath = json.value(QStringLiteral("input")).toString();
    spec.targetPath = json.value(QStringLiteral("target")).toString();
    return spec;
}

} // namespace shapescope::test
