// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

namespace shapescope {

class ExampleCatalog;

// What the window shows with no dump open (after a failed first open, or when the user closed
// it): how to open a dump, and the examples, each a click away.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    WelcomePage(const ExampleCatalog& examples, QWidget* parent = nullptr);

Q_SIGNALS:
    void openFileRequested();
    void openFolderRequested();
    void exampleRequested(const QString& file);
};

} // namespace shapescope
