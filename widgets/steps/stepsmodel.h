// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stepseries.h"

#include <QAbstractTableModel>

namespace shapescope {

// A run's steps as a table, one row per step: the figures core's stepSeries() computed, the
// step whose tensors changed shape or dtype in the warning colour, the step on the bench bold.
class StepsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        StepColumn,
        TensorColumn,
        LossColumn,
        AccuracyColumn,
        NonFiniteColumn,
        IgnoredColumn,
        ChangeColumn,
        ColumnCount
    };
    // Qt::UserRole: the step's pair; ChangedRole: whether its shapes or dtypes changed.
    enum Role
    {
        PairRole = Qt::UserRole,
        ChangedRole
    };

    explicit StepsModel(QObject* parent = nullptr);

    void setSeries(StepSeries series);
    const StepSeries& series() const { return m_series; }
    // Marks the step of `pair` as the one on the bench (nothing when no step holds it).
    void setCurrentPair(int pair);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const StepPoint& step, int row, int column) const;

    StepSeries m_series;
    int m_currentRow = -1;
};

} // namespace shapescope
