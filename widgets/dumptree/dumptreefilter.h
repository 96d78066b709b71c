// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace shapescope {

// Filters the dump tree by a search text on tensor and group paths, keeping the ancestors of
// matches (recursive filtering) so a match shows where it lives. Sorts names as people count
// (batch_2 before batch_10), groups before tensors, and numeric columns by value.
class DumpTreeFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DumpTreeFilter(QObject* parent = nullptr);

    void setSearchText(const QString& text);
    const QString& searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_search;
    QString m_shapeKey; // the search as a shape (",16,128,"), or empty
};

} // namespace shapescope
