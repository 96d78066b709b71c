// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>

namespace shapescope {

// A one-line label that gives up width gracefully: it asks for its whole text but accepts a
// few characters, showing the text elided (with "...") where it is cut and whole in its
// tooltip. For titles made of user data (tensor paths, pair names) that must not widen the
// window past the screen.
class ElidedLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ElidedLabel(Qt::TextElideMode mode, QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return m_full; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateShownText();

    Qt::TextElideMode m_mode;
    QString m_full;
};

} // namespace shapescope
