// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusprogress.h"

#include "common/icons.h"
#include "common/textformat.h"
#include "state/workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace shapescope {

StatusProgress::StatusProgress(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("statusProgress"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("statusText"));
    m_message->setTextFormat(Qt::PlainText);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(fontMetrics().height() * 12);
    m_bar->setMaximumHeight(fontMetrics().height());
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setIcon(icons::named(QStringLiteral("cancel")));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setAutoRaise(true);
    m_cancel->setToolTip(tr("Stop reading and computing (Esc)"));
    layout->addWidget(m_message, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    m_bar->hide();
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &StatusProgress::cancelRequested);
}

void StatusProgress::start(const QString& message)
{
    m_busy = true;
    m_clock.start();
    m_bar->setRange(0, 0);
    m_bar->show();
    m_cancel->show();
    m_message->setText(message);
}

void StatusProgress::setProgress(double fraction, const QString& message)
{
    if (!m_busy)
        start(message);
    if (fraction < 0) {
        m_bar->setRange(0, 0);
    } else {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    }
    const QString left = timeLeft(fraction);
    m_message->setText(left.isEmpty() ? message
                                      : QStringLiteral("%1 \u2014 %2").arg(message, left));
}

QString StatusProgress::timeLeft(double fraction) const
{
    const qint64 elapsed = m_clock.isValid() ? m_clock.elapsed() : 0;
    // Early estimates swing wildly; say nothing until there is something to extrapolate.
    if (fraction < 0.05 || fraction >= 1 || elapsed < 1500)
        return {};
    const qint64 seconds = qint64(double(elapsed) * (1 - fraction) / fraction / 1000) + 1;
    if (seconds < 60)
        return tr("about %1 s left").arg(seconds);
    return tr("about %1 min left").arg((seconds + 30) / 60);
}

void StatusProgress::finish(const QString& idleText)
{
    m_busy = false;
    m_bar->hide();
    m_cancel->hide();
    m_message->setText(idleText);
}

void StatusProgress::setIdleText(const QString& text)
{
    if (!m_busy)
        m_message->setText(text);
}

void StatusProgress::showWorkspace(const Workspace& workspace)
{
    const Workspace::State state = workspace.state();
    if (workspace.isBusy()) {
        if (!m_busy)
            start(state == Workspace::State::Opening
                      ? tr("Reading %1\u2026").arg(workspace.pendingPath())
                      : tr("Analyzing\u2026"));
        return;
    }
    if (!workspace.hasDump()) {
        finish(tr("No dump open: File \u203a Open (Ctrl+O), or Help \u203a Examples"));
        return;
    }
    QString detail;
    switch (state) {
    case Workspace::State::Ready: {
        const AnalysisResult& r = *workspace.result();
        detail = QStringLiteral("%1, %2 \u00b7 %3")
                     .arg(text::count(r.count(Severity::Error), tr("error"), tr("errors")),
                          text::count(r.count(Severity::Warning), tr("warning"), tr("warnings")),
                          text::count(int(r.pairs.size()), tr("pair"), tr("pairs")));
        break;
    }
    case Workspace::State::Cancelled:
        detail = tr("analysis cancelled");
        break;
    case Workspace::State::Failed:
        detail = tr("analysis failed");
        break;
    default:
        break;
    }
    finish(
        QStringLiteral("%1 \u00b7 %2 \u00b7 %3")
            .arg(workspace.displayName(), text::formatTitle(workspace.summary().format), detail));
}

QString StatusProgress::text() const
{
    return m_message->text();
}

} // namespace shapescope
