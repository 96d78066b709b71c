// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QVBoxLayout;

namespace shapescope {

class ExampleCatalog;

// What the window shows with no dump open (after a failed first open, or when the user closed
// it): how to open a dump, the recent files and the examples, each a click away.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    WelcomePage(const ExampleCatalog& examples, QWidget* parent = nullptr);

    // The recent files, most recent first; shows at most five.
    void setRecentFiles(const QStringList& files);

Q_SIGNALS:
    void openFileRequested();
    void recentFileRequested(const QString& path);
    void openFolderRequested();
    void exampleRequested(const QString& file);

private:
    QWidget* m_recentBox = nullptr;
    QVBoxLayout* m_recentList = nullptr;
};

} // namespace shapescope
