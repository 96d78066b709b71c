// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace shapescope {

// A strip above the pages naming the file and what went wrong (an unreadable or hostile
// file, a failed analysis). The window stays usable; the banner stays until dismissed or
// until a file opens successfully.
class ErrorBanner : public QFrame
{
    Q_OBJECT

public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    void showError(const QString& title, const QString& message);
    QString title() const;
    QString message() const;
    // The raw chain (libhdf5's, libzip's) a message carries after "Details:", shown on request.
    QString details() const;
    QToolButton* detailsButton() const { return m_detailsButton; }

Q_SIGNALS:
    void openRequested();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QLabel* m_icon;
    QLabel* m_title;
    QLabel* m_message;
    QLabel* m_details;
    QToolButton* m_detailsButton;
};

} // namespace shapescope
