// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnosticsfilter.h"

#include "diagnosticsmodel.h"

namespace shapescope {

DiagnosticsFilter::DiagnosticsFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(DiagnosticsModel::SortRole);
}

void DiagnosticsFilter::setSeverityShown(Severity severity, bool shown)
{
    const unsigned bit = 1u << unsigned(severity);
    const unsigned next = shown ? (m_shown | bit) : (m_shown & ~bit);
    if (next == m_shown)
        return;
    m_shown = next;
    invalidateFilter();
}

bool DiagnosticsFilter::isSeverityShown(Severity severity) const
{
    return m_shown & (1u << unsigned(severity));
}

void DiagnosticsFilter::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateFilter();
}

bool DiagnosticsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const int severity = index.data(DiagnosticsModel::SeverityRole).toInt();
    if (!(m_shown & (1u << unsigned(severity))))
        return false;
    return m_search.isEmpty() || index.data(DiagnosticsModel::SearchTextRole)
                                     .toString()
                                     .contains(m_search, Qt::CaseInsensitive);
}

} // namespace shapescope
