// SPDX-License-Identifier: GPL-3.0-or-later
#include "examplecatalog.h"

#include "common/icons.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace shapescope {

ExampleCatalog::ExampleCatalog()
{
    initResources();
    QFile catalog(QStringLiteral(":/examples/examples.json"));
    if (!catalog.open(QIODevice::ReadOnly))
        return;
    const QJsonArray entries = QJsonDocument::fromJson(catalog.readAll()).array();
    for (const QJsonValue& value : entries) {
        const QJsonObject entry = value.toObject();
        Example example{entry.value(QStringLiteral("file")).toString(),
                        entry.value(QStringLiteral("title")).toString(),
                        entry.value(QStringLiteral("description")).toString()};
        if (!example.file.isEmpty() && QFile::exists(QStringLiteral(":/examples/") + example.file))
            m_examples << example;
    }
}

ExampleCatalog::~ExampleCatalog() = default;

const Example* ExampleCatalog::find(const QString& file) const
{
    for (const Example& example : m_examples) {
        if (example.file == file)
            return &example;
    }
    return nullptr;
}

bool ExampleCatalog::isCopy(const QString& path) const
{
    return m_dir && QFileInfo(path).absolutePath() == QFileInfo(m_dir->path()).absoluteFilePath();
}

Expected<QString> ExampleCatalog::materialize(const QString& file)
{
    if (!find(file))
        return Error{QStringLiteral("%1: there is no such example").arg(file)};
    if (!m_dir) {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid()) {
            const QString reason = m_dir->errorString();
            m_dir.reset();
            return Error{QStringLiteral("cannot create a temporary folder for the examples: %1")
                             .arg(reason)};
        }
    }
    const QString target = m_dir->filePath(file);
    if (QFile::exists(target)) {
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
        QFile::remove(target);
    }
    QFile source(QStringLiteral(":/examples/") + file);
    if (!source.copy(target))
        return Error{
            QStringLiteral("%1: cannot copy the example: %2").arg(target, source.errorString())};
    // Resource files copy read-only; the copy is ours to replace later.
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    return target;
}

} // namespace shapescope
