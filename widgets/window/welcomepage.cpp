// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomepage.h"

#include "common/icons.h"
#include "examplecatalog.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace shapescope {

WelcomePage::WelcomePage(const ExampleCatalog& examples, QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    const int line = fontMetrics().height();
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    auto* content = new QWidget(scroll);
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(line * 2, line * 2, line * 2, line * 2);
    column->setSpacing(line / 2);
    column->addStretch(1);

    auto* icon = new QLabel(content);
    icon->setPixmap(icons::app().pixmap(QSize(line * 4, line * 4), devicePixelRatioF()));
    icon->setAlignment(Qt::AlignHCenter);
    column->addWidget(icon);
    auto* title = new QLabel(tr("ShapeScope"), content);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignHCenter);
    column->addWidget(title);
    auto* subtitle = new QLabel(
        tr("Open a dump of model outputs and targets (HDF5, .npy, .npz, a folder of .npy "
           "files or a torch.save .pt file) to see how PyTorch's loss would read it."),
        content);
    subtitle->setWordWrap(true);
    subtitle->setAlignment(Qt::AlignHCenter);
    column->addWidget(subtitle);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* open =
        new QPushButton(icons::named(QStringLiteral("open")), tr("Open File\u2026"), content);
    open->setObjectName(QStringLiteral("welcomeOpen"));
    auto* folder =
        new QPushButton(icons::named(QStringLiteral("folder")), tr("Open Folder\u2026"), content);
    buttons->addWidget(open);
    buttons->addWidget(folder);
    buttons->addStretch(1);
    column->addSpacing(line);
    column->addLayout(buttons);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openFileRequested);
    connect(folder, &QPushButton::clicked, this, &WelcomePage::openFolderRequested);
    auto* drop = new QLabel(tr("Or drop a dump or a folder onto this window."), content);
    drop->setObjectName(QStringLiteral("welcomeDropHint"));
    drop->setAlignment(Qt::AlignHCenter);
    drop->setWordWrap(true);
    drop->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(drop);

    m_recentBox = new QWidget(content);
    m_recentBox->setObjectName(QStringLiteral("welcomeRecent"));
    auto* recent = new QVBoxLayout(m_recentBox);
    recent->setContentsMargins(0, line, 0, 0);
    auto* recentCaption = new QLabel(tr("Recent files:"), m_recentBox);
    recentCaption->setAlignment(Qt::AlignHCenter);
    recent->addWidget(recentCaption);
    m_recentList = new QVBoxLayout;
    recent->addLayout(m_recentList);
    m_recentBox->hide();
    auto* recentCentred = new QHBoxLayout;
    recentCentred->addStretch(1);
    recentCentred->addWidget(m_recentBox, 3);
    recentCentred->addStretch(1);
    column->addLayout(recentCentred);

    if (!examples.examples().isEmpty()) {
        auto* caption = new QLabel(tr("Or start from an example:"), content);
        caption->setAlignment(Qt::AlignHCenter);
        column->addSpacing(line);
        column->addWidget(caption);
    }
    // Centred by stretches, not by alignment: aligned items get their size hint's height, and
    // the descriptions would not wrap.
    auto* list = new QVBoxLayout;
    for (const Example& example : examples.examples()) {
        auto* button = new QCommandLinkButton(example.title, example.description, content);
        button->setIcon(icons::named(QStringLiteral("example")));
        connect(button, &QCommandLinkButton::clicked, this,
                [this, file = example.file] { Q_EMIT exampleRequested(file); });
        list->addWidget(button);
    }
    auto* centred = new QHBoxLayout;
    centred->addStretch(1);
    centred->addLayout(list, 3);
    centred->addStretch(1);
    column->addLayout(centred);
    column->addStretch(2);
    scroll->setWidget(content);
}

void WelcomePage::setRecentFiles(const QStringList& files)
{
    while (QLayoutItem* item = m_recentList->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const QString& path : files.mid(0, 5)) {
        const QFileInfo info(path);
        auto* button = new QCommandLinkButton(info.fileName(), info.absolutePath(), m_recentBox);
        button->setIcon(icons::named(QStringLiteral("open")));
        button->setToolTip(path);
        connect(button, &QCommandLinkButton::clicked, this,
                [this, path] { Q_EMIT recentFileRequested(path); });
        m_recentList->addWidget(button);
    }
    m_recentBox->setVisible(!files.isEmpty());
}

} // namespace shapescope
