// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QList>
#include <QString>
#include <memory>

class QTemporaryDir;

namespace shapescope {

struct Example
{
    QString file;  // "batch_mismatch.h5", under :/examples
    QString title; // "Batch size mismatch (32 vs 64)"
    QString description;
};

// The example dumps embedded in the executable (resources/examples, described by
// examples.json). Opening one copies it to a private temporary directory first: the readers
// (HDF5 above all) read files, not Qt resources.
class ExampleCatalog
{
public:
    ExampleCatalog();
    ~ExampleCatalog();

    const QList<Example>& examples() const { return m_examples; }
    const Example* find(const QString& file) const;
    // The example that opens when ShapeScope starts without a file: the 32-vs-64 mismatch.
    static QString defaultFile() { return QStringLiteral("batch_mismatch.h5"); }

    // A fresh copy of the example on disk; its path.
    Expected<QString> materialize(const QString& file);
    // Whether `path` is one of those copies (they do not belong in the recent files).
    bool isCopy(const QString& path) const;

private:
    QList<Example> m_examples;
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace shapescope
