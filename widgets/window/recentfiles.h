// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace shapescope {

// The most recently opened dumps, newest first, kept in QSettings.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    explicit RecentFiles(QObject* parent = nullptr);

    QStringList files() const { return m_files; }
    void add(const QString& path);
    void remove(const QString& path);
    void clear();
    // Fills `menu` with the files that still exist; choosing one emits openRequested.
    void populate(QMenu* menu);

    static constexpr int kMaximum = 10;

Q_SIGNALS:
    void changed();
    void openRequested(const QString& path);

private:
    void save();

    QStringList m_files;
};

} // namespace shapescope
