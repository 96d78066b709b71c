// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace shapescope {

class Workspace;

// The status bar's right side: while work runs, what is happening, a progress bar, the time
// left and a Cancel button; when idle, the file, its format and its counts of errors and
// warnings.
class StatusProgress : public QWidget
{
    Q_OBJECT

public:
    explicit StatusProgress(QWidget* parent = nullptr);

    void start(const QString& message);
    // fraction in [0, 1]; negative shows a busy indicator.
    void setProgress(double fraction, const QString& message);
    void finish(const QString& idleText);
    void setIdleText(const QString& text);
    // Busy while the workspace opens or analyzes; else its file, format and counts.
    void showWorkspace(const Workspace& workspace);

    bool isBusy() const { return m_busy; }
    QString text() const;
    QToolButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_bar; }

Q_SIGNALS:
    void cancelRequested();

private:
    QString timeLeft(double fraction) const;

    QLabel* m_message;
    QProgressBar* m_bar;
    QToolButton* m_cancel;
    QElapsedTimer m_clock;
    bool m_busy = false;
};

} // namespace shapescope
