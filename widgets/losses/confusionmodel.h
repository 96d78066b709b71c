// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/confusion.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>

namespace shapescope {

// A confusion matrix as a table: a row per target class, a column per predicted class, then
// the row's positions, its IoU and its accuracy (classScores, computed in core). Count cells are
// shaded by their share of the row.
class ConfusionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role
    {
        CountRole = Qt::UserRole + 1, // qint64 positions of a matrix cell
        ShareRole,                    // double: the cell's share of its row
    };

    explicit ConfusionModel(QObject* parent = nullptr);

    void setMatrix(std::shared_ptr<const ConfusionMatrix> matrix);
    std::shared_ptr<const ConfusionMatrix> matrix() const { return m_matrix; }
    void setClassNames(const QStringList& names);
    // The columns after the classes'.
    int firstScoreColumn() const { return int(m_matrix ? m_matrix->classes : 0); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const ConfusionMatrix> m_matrix;
    std::vector<ClassScore> m_scores;
    QStringList m_names;
};

} // namespace shapescope
