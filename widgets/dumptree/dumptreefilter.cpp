// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumptreefilter.h"

#include "common/naturalsort.h"
#include "dumptreemodel.h"

namespace shapescope {

DumpTreeFilter::DumpTreeFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true); // a matching group shows all it holds
    setSortRole(DumpTreeModel::SortRole);
}

void DumpTreeFilter::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    // Qt 6.4 has no beginFilterChange(); invalidateFilter() is the supported way to refilter.
    m_search = trimmed;
    invalidateFilter();
}

bool DumpTreeFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_search.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto kind = DumpTreeModel::NodeKind(index.data(DumpTreeModel::KindRole).toInt());
    if (kind == DumpTreeModel::NodeKind::File)
        return false; // the file row shows through its matching descendants
    const QString path = index.data(DumpTreeModel::PathRole).toString();
    return path.contains(m_search, Qt::CaseInsensitive) ||
           index.siblingAtColumn(DumpTreeModel::ShapeColumn)
               .data()
               .toString()
               .contains(m_search, Qt::CaseInsensitive) ||
           index.siblingAtColumn(DumpTreeModel::RoleColumn)
               .data()
               .toString()
               .startsWith(m_search, Qt::CaseInsensitive);
}

bool DumpTreeFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const int leftKind = left.data(DumpTreeModel::KindRole).toInt();
    const int rightKind = right.data(DumpTreeModel::KindRole).toInt();
    if (leftKind != rightKind) // groups before tensors, whatever the sort order
        return sortOrder() == Qt::AscendingOrder ? leftKind < rightKind : leftKind > rightKind;
    const QVariant a = left.data(DumpTreeModel::SortRole);
    const QVariant b = right.data(DumpTreeModel::SortRole);
    if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
        return naturalLess(a.toString(), b.toString());
    return a.toLongLong() < b.toLongLong();
}

} // namespace shapescope
