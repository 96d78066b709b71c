// SPDX-License-Identifier: GPL-3.0-or-later
#include "recentfiles.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace shapescope {

namespace {

const QString kKey = QStringLiteral("recentFiles");

} // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent)
{
    m_files = QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_files.removeAll(absolute);
    m_files.prepend(absolute);
    while (m_files.size() > kMaximum)
        m_files.removeLast();
    save();
}

void RecentFiles::remove(const QString& path)
{
    if (m_files.removeAll(QFileInfo(path).absoluteFilePath()) > 0)
        save();
}

void RecentFiles::clear()
{
    m_files.clear();
    save();
}

void RecentFiles::save()
{
    QSettings().setValue(kKey, m_files);
    Q_EMIT changed();
}

void RecentFiles::populate(QMenu* menu)
{
    menu->clear();
    int number = 0;
    for (const QString& path : std::as_const(m_files)) {
        if (!QFileInfo::exists(path))
            continue;
        ++number;
        const QString label =
            QStringLiteral("&%1  %2").arg(number % 10).arg(QDir::toNativeSeparators(path));
        QAction* action = menu->addAction(label);
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (number == 0)
        menu->addAction(tr("No recent files"))->setEnabled(false);
    menu->addSeparator();
    QAction* clearAction = menu->addAction(tr("Clear Recent Files"));
    clearAction->setEnabled(number > 0);
    connect(clearAction, &QAction::triggered, this, &RecentFiles::clear);
}

} // namespace shapescope
