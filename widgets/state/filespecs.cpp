// SPDX-License-Identifier: GPL-3.0-or-later
#include "filespecs.h"

#include "session/wireformat.h"
#include "session/workerprotocol.h"

#include <QSettings>
#include <QVariantList>

namespace shapescope::filespecs {

namespace {

const QString kKey = QStringLiteral("lossSettingsPerFile");

// Most recent first: [path, version, bytes] triples.
QVariantList entries()
{
    return QSettings().value(kKey).toList();
}

int find(const QVariantList& list, const QString& path)
{
    for (int i = 0; i < list.size(); ++i) {
        const QVariantList entry = list.at(i).toList();
        if (entry.size() == 3 && entry.at(0).toString() == path)
            return i;
    }
    return -1;
}

} // namespace

std::optional<LossSpec> load(const QString& path)
{
    const QVariantList list = entries();
    const int index = find(list, path);
    if (index < 0)
        return std::nullopt;
    const QVariantList entry = list.at(index).toList();
    if (entry.at(1).toUInt() != worker::protocolVersion)
        return std::nullopt;
    Expected<LossSpec> spec = wire::decode<LossSpec>(entry.at(2).toByteArray(), "loss settings");
    if (!spec)
        return std::nullopt;
    return *spec;
}

void save(const QString& path, const LossSpec& spec)
{
    QVariantList list = entries();
    if (const int index = find(list, path); index >= 0)
        list.removeAt(index);
    if (spec != guessingSpec())
        list.prepend(QVariant(QVariantList{path, worker::protocolVersion, wire::encode(spec)}));
    while (list.size() > kMaxFiles)
        list.removeLast();
    QSettings settings;
    if (list.isEmpty())
        settings.remove(kKey);
    else
        settings.setValue(kKey, list);
}

} // namespace shapescope::filespecs
