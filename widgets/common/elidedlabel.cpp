// SPDX-License-Identifier: GPL-3.0-or-later
#include "elidedlabel.h"

#include <QEvent>
#include <QFontMetrics>

namespace shapescope {

namespace {

// Enough to show that something is there and where it is cut.
constexpr int kMinimumCharacters = 8;

} // namespace

ElidedLabel::ElidedLabel(Qt::TextElideMode mode, QWidget* parent) : QLabel(parent), m_mode(mode)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ElidedLabel::setFullText(const QString& text)
{
    if (text == m_full && !text.isEmpty())
        return;
    m_full = text;
    updateShownText();
    updateGeometry();
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins m = contentsMargins();
    const QFontMetrics metrics(font());
    return {metrics.horizontalAdvance(m_full) + m.left() + m.right() + 2 * margin() + 1,
            metrics.height() + m.top() + m.bottom() + 2 * margin()};
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    const QSize whole = sizeHint();
    const int few = metrics.averageCharWidth() * kMinimumCharacters;
    return {std::min(whole.width(), few), whole.height()};
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    updateShownText();
}

void ElidedLabel::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateShownText();
        updateGeometry();
    }
}

void ElidedLabel::updateShownText()
{
    const QString shown =
        QFontMetrics(font()).elidedText(m_full, m_mode, std::max(0, contentsRect().width()));
    if (shown != text())
        QLabel::setText(shown);
    setToolTip(shown != m_full ? m_full : QString());
}

} // namespace shapescope
