// SPDX-License-Identifier: GPL-3.0-or-later
#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace shapescope {

ShortcutsDialog::ShortcutsDialog(const QWidget& window, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    std::vector<std::pair<QString, QString>> rows;
    for (const QAction* action : window.findChildren<QAction*>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        QString name = action->text();
        name.remove(QLatin1Char('&'));
        name.remove(QStringLiteral("\u2026"));
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        if (std::find(rows.begin(), rows.end(), std::pair{name, keys}) == rows.end())
            rows.emplace_back(name, keys);
    }
    std::sort(rows.begin(), rows.end());
    m_table = new QTableWidget(int(rows.size()), 2, this);
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false);
    for (int row = 0; row < int(rows.size()); ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(rows[size_t(row)].first));
        m_table->setItem(row, 1, new QTableWidgetItem(rows[size_t(row)].second));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(420, 520);
}

} // namespace shapescope
