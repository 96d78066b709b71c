// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsnote.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace shapescope {

SettingsNote::SettingsNote(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("settingsNote"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_reset = new QPushButton(tr("Reset to PyTorch defaults"), this);
    m_reset->setObjectName(QStringLiteral("settingsNoteReset"));
    layout->addWidget(m_text, 1);
    layout->addWidget(m_reset, 0, Qt::AlignVCenter);
    connect(m_reset, &QPushButton::clicked, this, &SettingsNote::resetRequested);
    hide();
}

void SettingsNote::showRestored(const QString& fileName, const QString& call)
{
    m_text->setText(tr("Using the loss settings you last used with %1: %2").arg(fileName, call));
    show();
}

QString SettingsNote::text() const
{
    return m_text->text();
}

} // namespace shapescope
