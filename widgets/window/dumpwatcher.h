// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace shapescope {

// Watches the open dump (a file or a folder of .npy files) and says when it has changed and
// settled: a training run overwriting a dump writes for a while, so the signal comes once size
// and modification time have stayed the same for a moment, or once the dump has kept changing
// for the longest wait (a run appending a batch every 200 ms). Watches the parent folder as
// well, since h5py and np.save often replace a file (new inode) rather than rewrite it.
class DumpWatcher : public QObject
{
    Q_OBJECT

public:
    explicit DumpWatcher(QObject* parent = nullptr);

    void setPath(const QString& path);
    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    // How long the dump must stay unchanged before `changed` is emitted, and how long at most a
    // dump that keeps changing waits for that.
    void setSettleInterval(int ms) { m_settleMs = ms; }
    void setMaxWait(int ms) { m_maxWaitMs = ms; }

Q_SIGNALS:
    void changed(const QString& path);

private:
    QString signature() const;
    void rewatch();
    void onEvent();
    void onSettled();
    void startSettle();

    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QElapsedTimer m_changingSince;
    int m_settleMs = 300;
    int m_maxWaitMs = 600;
    QString m_path;
    QString m_baseline; // signature of the version last shown
    QString m_pending;  // signature seen at the last event
    bool m_enabled = false;
};

} // namespace shapescope
