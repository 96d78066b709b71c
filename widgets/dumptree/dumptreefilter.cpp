// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumptreefilter.h"

#include "common/naturalsort.h"
#include "dumptreemodel.h"

#include <QRegularExpression>

namespace shapescope {

namespace {

// Every number in `text`, joined by commas and framed by them: ",16,128,".
QString extentsKey(const QString& text)
{
    static const QRegularExpression digits(QStringLiteral(R"(\d+)"));
    QStringList extents;
    for (const QRegularExpressionMatch& m : digits.globalMatch(text))
        extents << m.captured();
    return QLatin1Char(',') + extents.join(QLatin1Char(',')) + QLatin1Char(',');
}

// A search written as a shape ("16x128", "16 x 128", "(16, 128)", "[16, 128]") as its extents
// joined by commas, framed by commas: ",16,128,". Empty when the text is not a shape.
QString shapeKey(const QString& text)
{
    static const QRegularExpression shape(
        QStringLiteral(R"(^[\(\[]?\s*\d+(\s*(?:[x\x{00d7},]|\s)\s*\d+)+\s*,?\s*[\)\]]?$)"),
        QRegularExpression::CaseInsensitiveOption);
    if (!shape.match(text).hasMatch())
        return {};
    return extentsKey(text);
}

} // namespace

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
    m_shapeKey = shapeKey(trimmed);
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
    if (!m_shapeKey.isEmpty()) {
        const QString shape = index.siblingAtColumn(DumpTreeModel::ShapeColumn).data().toString();
        if (extentsKey(shape).contains(m_shapeKey))
            return true;
    }
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
