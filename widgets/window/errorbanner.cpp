// SPDX-License-Identifier: GPL-3.0-or-later
#include "errorbanner.h"

#include "common/icons.h"
#include "common/statuscolors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace shapescope {

ErrorBanner::ErrorBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("errorBanner"));
    const int line = fontMetrics().height();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(line, line / 2, line / 2, line / 2);
    m_icon = new QLabel(this);
    m_icon->setPixmap(
        icons::severity(Severity::Error).pixmap(QSize(line, line) * 1.3, devicePixelRatioF()));
    m_icon->setAlignment(Qt::AlignTop);
    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("bannerTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("bannerMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("bannerDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->hide();
    m_detailsButton = new QToolButton(this);
    m_detailsButton->setObjectName(QStringLiteral("bannerDetailsButton"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAutoRaise(true);
    text->addWidget(m_title);
    text->addWidget(m_message);
    text->addWidget(m_detailsButton, 0, Qt::AlignLeft);
    text->addWidget(m_details);
    connect(m_detailsButton, &QToolButton::toggled, m_details, &QWidget::setVisible);
    auto* open =
        new QPushButton(icons::named(QStringLiteral("open")), tr("Open Another File\u2026"), this);
    auto* close = new QToolButton(this);
    close->setObjectName(QStringLiteral("bannerClose"));
    close->setIcon(icons::named(QStringLiteral("cancel")));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    layout->addWidget(open, 0, Qt::AlignVCenter);
    layout->addWidget(close, 0, Qt::AlignTop);
    connect(open, &QPushButton::clicked, this, &ErrorBanner::openRequested);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void ErrorBanner::showError(const QString& title, const QString& message)
{
    static const QString marker = QStringLiteral("\n\nDetails:\n");
    const qsizetype at = message.indexOf(marker);
    m_title->setText(title);
    m_message->setText(at < 0 ? message : message.left(at));
    m_details->setText(at < 0 ? QString() : message.mid(at + marker.size()));
    m_detailsButton->setChecked(false);
    m_detailsButton->setVisible(at >= 0);
    show();
}

QString ErrorBanner::title() const
{
    return m_title->text();
}

QString ErrorBanner::message() const
{
    return m_message->text();
}

QString ErrorBanner::details() const
{
    return m_details->text();
}

void ErrorBanner::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const StatusColors colors = StatusColors::from(palette());
    p.fillRect(rect(), colors.errorPanel);
    p.setPen(colors.error);
    p.drawLine(rect().bottomLeft(), rect().bottomRight());
    p.fillRect(QRect(0, 0, std::max(4, fontMetrics().height() / 4), height()), colors.error);
    QFrame::paintEvent(event);
}

} // namespace shapescope
