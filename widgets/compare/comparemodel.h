// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/dumpcompare.h"

#include <QAbstractTableModel>

namespace shapescope {

// Two dumps' tensors matched by path ("before and after the fix"): shape, dtype, value
// statistics and the loss mean of the tensor's pair on both sides. A tensor that differs has
// the warning background on its row; each "after" cell that differs from its "before" (a
// loss mean too, on a row whose tensor is the same) is bold in the error colour.
class CompareModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TensorColumn,
        ShapeAColumn,
        ShapeBColumn,
        DtypeAColumn,
        DtypeBColumn,
        ValuesAColumn,
        ValuesBColumn,
        NonFiniteAColumn,
        NonFiniteBColumn,
        DifferingColumn,
        LossAColumn,
        LossBColumn,
        ColumnCount
    };
    enum Role
    {
        DiffersRole = Qt::UserRole, // the row: the tensor differs or its pair's loss does
        TensorDiffersRole,          // the tensor itself: TensorComparison::differs()
        CellDiffersRole,            // this "after" cell differs from its "before"
    };

    explicit CompareModel(QObject* parent = nullptr);

    void setComparison(DumpComparison comparison);
    const DumpComparison& comparison() const { return m_comparison; }
    int differingRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        const TensorComparison* tensor = nullptr;
        const PairComparison* pair = nullptr; // the pair the tensor is input or target of
        bool tensorDiffers = false; // shape, dtype, values or presence
        bool differs = false;       // that, or the loss of the tensor's pair
    };
    QString text(const Row& row, int column) const;
    bool cellDiffers(const Row& row, int column) const;

    DumpComparison m_comparison;
    std::vector<Row> m_rows;
};

} // namespace shapescope
