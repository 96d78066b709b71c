// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumpwatcher.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace shapescope {

DumpWatcher::DumpWatcher(QObject* parent) : QObject(parent)
{
    m_settle.setSingleShot(true);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &DumpWatcher::onEvent);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &DumpWatcher::onEvent);
    connect(&m_settle, &QTimer::timeout, this, &DumpWatcher::onSettled);
}

void DumpWatcher::setPath(const QString& path)
{
    m_path = path;
    m_baseline = signature();
    m_pending.clear();
    m_settle.stop();
    rewatch();
}

void DumpWatcher::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (enabled)
        m_baseline = signature();
    rewatch();
}

QString DumpWatcher::signature() const
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return {};
    auto stamp = [](const QFileInfo& f) {
        return QStringLiteral("%1:%2:%3;")
            .arg(f.fileName())
            .arg(f.size())
            .arg(f.lastModified().toMSecsSinceEpoch());
    };
    if (!info.isDir())
        return stamp(info);
    QString text;
    const QFileInfoList entries =
        QDir(m_path).entryInfoList({QStringLiteral("*.npy")}, QDir::Files, QDir::Name);
    for (const QFileInfo& entry : entries)
        text += stamp(entry);
    return text;
}

void DumpWatcher::rewatch()
{
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    if (!m_enabled || m_path.isEmpty())
        return;
    const QFileInfo info(m_path);
    if (info.exists())
        m_watcher.addPath(m_path);
    const QString parent = info.absolutePath();
    if (parent != m_path && QFileInfo::exists(parent))
        m_watcher.addPath(parent);
}

void DumpWatcher::onEvent()
{
    if (!m_enabled)
        return;
    // A replaced file drops out of the watch list; watch the new one.
    if (!m_watcher.files().contains(m_path) && !m_watcher.directories().contains(m_path))
        rewatch();
    const QString now = signature();
    if (now == m_baseline && m_pending.isEmpty())
        return; // a sibling in the folder changed
    if (m_pending.isEmpty())
        m_changingSince.start();
    m_pending = now;
    startSettle();
}

void DumpWatcher::startSettle()
{
    // A run that writes a batch every few hundred ms never settles: show what it has written
    // at most m_maxWait after it started changing.
    const qint64 left = m_maxWaitMs - m_changingSince.elapsed();
    m_settle.start(int(std::clamp<qint64>(left, 0, m_settleMs)));
}

void DumpWatcher::onSettled()
{
    const QString now = signature();
    if (now != m_pending && m_changingSince.elapsed() < m_maxWaitMs) { // still being written
        m_pending = now;
        startSettle();
        return;
    }
    m_pending.clear();
    if (now.isEmpty() || now == m_baseline)
        return; // deleted, or back to what is shown
    m_baseline = now;
    Q_EMIT changed(m_path);
}

} // namespace shapescope
