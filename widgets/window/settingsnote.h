// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace shapescope {

// A strip above the pages saying that the loss settings in use were not PyTorch's defaults but
// the ones last used with this file, with one click back to the defaults. Settings that change
// the verdict never apply silently.
class SettingsNote : public QFrame
{
    Q_OBJECT

public:
    explicit SettingsNote(QWidget* parent = nullptr);

    // `call` is the PyTorch constructor the settings amount to.
    void showRestored(const QString& fileName, const QString& call);
    QString text() const;
    QPushButton* resetButton() const { return m_reset; }

Q_SIGNALS:
    void resetRequested();

private:
    QLabel* m_text;
    QPushButton* m_reset;
};

} // namespace shapescope
