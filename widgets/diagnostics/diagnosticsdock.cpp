// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnosticsdock.h"

#include "common/icons.h"
#include "common/textformat.h"
#include "diagnosticsfilter.h"
#include "diagnosticsmodel.h"
#include "state/selectioncoordinator.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace shapescope {

DiagnosticsDock::DiagnosticsDock(SelectionCoordinator* selection, QWidget* parent)
    : QDockWidget(tr("Diagnostics"), parent), m_selection(selection),
      m_model(new DiagnosticsModel(this)), m_filter(new DiagnosticsFilter(this))
{
    setObjectName(QStringLiteral("diagnosticsDock"));
    m_filter->setSourceModel(m_model);

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(4);
    for (Severity severity : {Severity::Error, Severity::Warning, Severity::Info}) {
        auto* button = new QToolButton(content);
        button->setObjectName(QStringLiteral("show") + severityName(severity));
        button->setCheckable(true);
        button->setChecked(true);
        button->setAutoRaise(true);
        button->setIcon(icons::severity(severity));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setToolTip(tr("Show or hide diagnostics of this severity"));
        connect(button, &QToolButton::toggled, this, [this, severity](bool shown) {
            refilter([&] { m_filter->setSeverityShown(severity, shown); });
        });
        m_buttons[int(severity)] = button;
        bar->addWidget(button);
    }
    m_search = new QLineEdit(content);
    m_search->setObjectName(QStringLiteral("diagnosticsSearch"));
    m_search->setPlaceholderText(tr("Search code, message, tensors"));
    m_search->setClearButtonEnabled(true);
    bar->addWidget(m_search, 1);
    layout->addLayout(bar);

    m_view = new QTableView(content);
    m_view->setObjectName(QStringLiteral("diagnosticsTable"));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DiagnosticsModel::SeverityColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setTabKeyNavigation(false);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(DiagnosticsModel::SeverityColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DiagnosticsModel::CodeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DiagnosticsModel::MessageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(DiagnosticsModel::TensorsColumn, QHeaderView::Interactive);
    header->resizeSection(DiagnosticsModel::TensorsColumn,
                          m_view->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 36);
    layout->addWidget(m_view, 1);
    setWidget(content);

    connect(m_search, &QLineEdit::textChanged, this,
            [this](const QString& text) { refilter([&] { m_filter->setSearchText(text); }); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current); });
    connect(m_selection, &SelectionCoordinator::selectionChanged, this,
            &DiagnosticsDock::syncFromSelection);
    updateCounts();
}

QToolButton* DiagnosticsDock::severityButton(Severity severity) const
{
    return m_buttons[int(severity)];
}

void DiagnosticsDock::setResult(std::shared_ptr<const AnalysisResult> result)
{
    m_syncing = true;
    m_model->setResult(std::move(result));
    m_syncing = false;
    updateCounts();
    syncFromSelection();
}

void DiagnosticsDock::clear()
{
    setResult(nullptr);
}

void DiagnosticsDock::refilter(const std::function<void()>& change)
{
    // Rows leaving the view move the current index; that is no choice of the user's.
    m_syncing = true;
    change();
    m_syncing = false;
    syncFromSelection();
}

void DiagnosticsDock::updateCounts()
{
    m_buttons[int(Severity::Error)]->setText(
        text::count(m_model->count(Severity::Error), tr("error"), tr("errors")));
    m_buttons[int(Severity::Warning)]->setText(
        text::count(m_model->count(Severity::Warning), tr("warning"), tr("warnings")));
    m_buttons[int(Severity::Info)]->setText(
        text::count(m_model->count(Severity::Info), tr("info"), tr("info")));
    const int total = m_model->rowCount();
    setWindowTitle(total ? tr("Diagnostics (%1)").arg(total) : tr("Diagnostics"));
}

void DiagnosticsDock::onCurrentRowChanged(const QModelIndex& current)
{
    if (m_syncing || !current.isValid())
        return;
    m_selection->selectDiagnostic(m_filter->mapToSource(current).row());
}

void DiagnosticsDock::syncFromSelection()
{
    if (m_syncing)
        return;
    m_syncing = true;
    QItemSelectionModel* selection = m_view->selectionModel();
    const int diagnostic = m_selection->currentDiagnostic();
    const QModelIndex source = diagnostic >= 0 && diagnostic < m_model->rowCount()
                                   ? m_model->index(diagnostic, 0)
                                   : QModelIndex();
    const QModelIndex row = m_filter->mapFromSource(source);
    if (row.isValid()) {
        selection->setCurrentIndex(row,
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(row);
    } else {
        selection->clearSelection();
        selection->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
    }
    m_syncing = false;
}

} // namespace shapescope
