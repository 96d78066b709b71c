// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumptreedock.h"

#include "attributemodel.h"
#include "dumptreefilter.h"
#include "dumptreemodel.h"
#include "state/selectioncoordinator.h"

#include <QActionGroup>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace shapescope {

namespace {

// Trees this small open fully; larger ones open to their first level of groups.
constexpr int kExpandAllBelow = 300;
// Fitting columns measures every row; beyond this the header keeps its sizes.
constexpr int kFitColumnsBelow = 5000;

} // namespace

DumpTreeDock::DumpTreeDock(SelectionCoordinator* selection, QWidget* parent)
    : QDockWidget(tr("Dump"), parent), m_selection(selection), m_model(new DumpTreeModel(this)),
      m_filter(new DumpTreeFilter(this)), m_attributes(new AttributeModel(this))
{
    setObjectName(QStringLiteral("dumpTreeDock"));
    m_filter->setSourceModel(m_model);

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    m_filterEdit = new QLineEdit(content);
    m_filterEdit->setObjectName(QStringLiteral("treeFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter tensors by path, shape or role (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    layout->addWidget(m_filterEdit);

    auto* splitter = new QSplitter(Qt::Vertical, content);
    splitter->setChildrenCollapsible(false);
    m_view = new QTreeView(splitter);
    m_view->setObjectName(QStringLiteral("dumpTree"));
    m_view->setModel(m_filter);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DumpTreeModel::NameColumn, Qt::AscendingOrder);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    // Role, shape, type and size keep their content's width; the name takes what is left
    // (placeNameColumn) and elides in the middle, where a long path's least telling part is.
    m_view->setTextElideMode(Qt::ElideMiddle);
    // Three levels (file, group, tensor) at the default 20 px cost the names a third of a
    // narrow dock.
    m_view->setIndentation(m_view->fontMetrics().averageCharWidth() * 2);
    m_view->viewport()->installEventFilter(this);

    auto* attributesPane = new QWidget(splitter);
    auto* attributesLayout = new QVBoxLayout(attributesPane);
    attributesLayout->setContentsMargins(0, 0, 0, 0);
    attributesLayout->setSpacing(2);
    m_attributesTitle = new QLabel(attributesPane);
    m_attributesTitle->setTextFormat(Qt::PlainText);
    m_attributesTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_attributesView = new QTableView(attributesPane);
    m_attributesView->setObjectName(QStringLiteral("attributesView"));
    m_attributesView->setModel(m_attributes);
    m_attributesView->verticalHeader()->hide();
    m_attributesView->horizontalHeader()->setStretchLastSection(false);
    m_attributesView->horizontalHeader()->setSectionResizeMode(AttributeModel::ValueColumn,
                                                               QHeaderView::Stretch);
    m_attributesView->horizontalHeader()->setSectionResizeMode(AttributeModel::TypeColumn,
                                                               QHeaderView::ResizeToContents);
    m_attributesView->setWordWrap(false);
    m_attributesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_attributesView->setTabKeyNavigation(false);
    m_attributesView->verticalHeader()->setDefaultSectionSize(
        m_attributesView->fontMetrics().height() + 6);
    attributesLayout->addWidget(m_attributesTitle);
    attributesLayout->addWidget(m_attributesView);
    splitter->addWidget(m_view);
    splitter->addWidget(attributesPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({300, 200});
    layout->addWidget(splitter, 1);
    setWidget(content);

    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        // Rows leaving the view move the current index; that is no choice of the user's.
        m_syncing = true;
        m_filter->setSearchText(text);
        m_syncing = false;
        if (!text.trimmed().isEmpty())
            m_view->expandAll();
        syncFromSelection();
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &DumpTreeDock::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    connect(m_selection, &SelectionCoordinator::selectionChanged, this,
            &DumpTreeDock::syncFromSelection);
}

void DumpTreeDock::setDump(const DumpSummary& dump, const QString& displayName)
{
    m_syncing = true;
    m_model->setDump(dump, displayName);
    m_syncing = false;
    expandDefault();
    fitColumns();
    showAttributes(m_filter->mapFromSource(m_model->fileIndex()));
    syncFromSelection();
}

void DumpTreeDock::setAnalysis(const AnalysisResult* result)
{
    m_result = result;
    m_model->setAnalysis(result);
    fitColumns();
}

void DumpTreeDock::clear()
{
    m_result = nullptr;
    m_model->clear();
    m_attributes->clear();
    m_attributesTitle->clear();
}

QMenu* DumpTreeDock::createRoleMenu(const QString& path, QWidget* parent)
{
    TensorRole current = TensorRole::None;
    bool fromUser = false;
    for (const StepFlow& flow : m_result ? m_result->flows : std::vector<StepFlow>{}) {
        for (const FlowTensor& t : flow.tensors) {
            if (t.path == path) {
                current = t.role;
                fromUser = t.userRole;
            }
        }
    }
    auto* menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("roleMenu"));
    menu->addSection(tr("Role in the training step"));
    auto* group = new QActionGroup(menu);
    const std::pair<TensorRole, QString> choices[] = {
        {TensorRole::Loader, tr("Loader input")},
        {TensorRole::Output, tr("Model output")},
        {TensorRole::Target, tr("Target")},
        {TensorRole::Extra, tr("Extra (lengths, masks, weights)")},
        {TensorRole::None, tr("As its name says")},
    };
    for (const auto& [role, label] : choices) {
        if (role == TensorRole::None)
            menu->addSeparator();
        QAction* action = menu->addAction(label);
        action->setObjectName(QStringLiteral("role_") + tensorRoleName(role));
        action->setCheckable(true);
        action->setChecked(role == TensorRole::None ? !fromUser : fromUser && role == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, path, role = role] { Q_EMIT tensorRoleChosen(path, role); });
    }
    return menu;
}

void DumpTreeDock::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid() ||
        index.data(DumpTreeModel::KindRole).toInt() != int(DumpTreeModel::NodeKind::Tensor))
        return;
    QMenu* menu = createRoleMenu(index.data(DumpTreeModel::PathRole).toString(), this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void DumpTreeDock::focusFilter()
{
    if (!isVisible())
        show();
    raise();
    m_filterEdit->setFocus(Qt::ShortcutFocusReason);
    m_filterEdit->selectAll();
}

QStringList DumpTreeDock::selectedPaths() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows(DumpTreeModel::NameColumn);
    std::sort(rows.begin(), rows.end(), [this](const QModelIndex& a, const QModelIndex& b) {
        return m_view->visualRect(a).top() < m_view->visualRect(b).top();
    });
    QStringList paths;
    for (const QModelIndex& index : std::as_const(rows))
        paths << index.data(DumpTreeModel::PathRole).toString();
    return paths;
}

void DumpTreeDock::expandDefault()
{
    if (m_model->tensorCount() < kExpandAllBelow) {
        m_view->expandAll();
        return;
    }
    m_view->expandToDepth(0);
}

void DumpTreeDock::fitColumns()
{
    if (m_model->tensorCount() >= kFitColumnsBelow)
        return;
    for (int column = 0; column < DumpTreeModel::ColumnCount; ++column) {
        if (column != DumpTreeModel::NameColumn)
            m_view->resizeColumnToContents(column);
    }
    placeNameColumn();
}

// The name takes what the other columns leave. When that is less than a short name, the name
// keeps that much and the tree scrolls sideways, rather than squeezing names to an ellipsis.
void DumpTreeDock::placeNameColumn()
{
    QHeaderView* header = m_view->header();
    int others = 0;
    for (int column = 0; column < DumpTreeModel::ColumnCount; ++column) {
        if (column != DumpTreeModel::NameColumn)
            others += header->sectionSize(column);
    }
    const int least = m_view->indentation() * 3 + m_view->fontMetrics().averageCharWidth() * 8;
    m_view->setColumnWidth(DumpTreeModel::NameColumn,
                           std::max(least, m_view->viewport()->width() - others));
}

bool DumpTreeDock::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        placeNameColumn();
    return QDockWidget::eventFilter(watched, event);
}

void DumpTreeDock::onCurrentChanged(const QModelIndex& current)
{
    showAttributes(current);
    if (m_syncing || !current.isValid())
        return;
    const auto kind = DumpTreeModel::NodeKind(current.data(DumpTreeModel::KindRole).toInt());
    if (kind == DumpTreeModel::NodeKind::Tensor)
        m_selection->selectTensor(current.data(DumpTreeModel::PathRole).toString());
}

void DumpTreeDock::showAttributes(const QModelIndex& proxyIndex)
{
    const QModelIndex source = m_filter->mapToSource(proxyIndex);
    if (!source.isValid()) {
        m_attributes->clear();
        m_attributesTitle->clear();
        return;
    }
    if (const TensorInfo* tensor = m_model->objectAt(source)) {
        m_attributes->setTensor(*tensor);
        m_attributesTitle->setText(tr("Tensor %1").arg(tensor->path));
    } else {
        const std::vector<Attribute>* attributes = m_model->groupAttributesAt(source);
        m_attributes->setAttributes(attributes ? *attributes : std::vector<Attribute>{});
        const QString path = source.data(DumpTreeModel::PathRole).toString();
        m_attributesTitle->setText(path.isEmpty() ? tr("File %1").arg(source.data().toString())
                                                  : tr("Group %1").arg(path));
    }
    m_attributesView->resizeColumnToContents(AttributeModel::NameColumn);
}

void DumpTreeDock::syncFromSelection()
{
    if (m_syncing)
        return;
    m_syncing = true;
    QItemSelection selection;
    QModelIndex first;
    for (const QString& path : m_selection->selectedTensors()) {
        const QModelIndex index = m_filter->mapFromSource(m_model->indexOfPath(path));
        if (!index.isValid())
            continue;
        selection.select(index, index.siblingAtColumn(DumpTreeModel::ColumnCount - 1));
        if (!first.isValid())
            first = index;
    }
    QItemSelectionModel* model = m_view->selectionModel();
    if (first.isValid()) {
        model->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_view->scrollTo(first);
        showAttributes(first);
    }
    model->select(selection, QItemSelectionModel::ClearAndSelect);
    m_syncing = false;
}

} // namespace shapescope
