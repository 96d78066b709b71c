// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/dumpcompare.h"

#include <QAbstractTableModel>

namespace shapescope {

// Two dumps' tensors matched by path ("before and after the fix"): shape, dtype, value
// statistics and the loss mean of the tensor's pair on both sides. A tensor that differs has
// the warning background on its row; each cell whose two sides differ (a loss mean too, on a
// row whose tensor is the same) is bold in the error colour.
class CompareModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Shape, dtype, NaN/inf and the loss show one value when both sides agree and "A -> B"
    // when they do not; the value statistics take a column per side.
    enum Column
    {
        TensorColumn,
        ShapeColumn,
        DtypeColumn,
        LossColumn,
        ValuesAColumn,
        ValuesBColumn,
        NonFiniteColumn,
        DifferingColumn,
        ColumnCount
    };
    enum Role
    {
        DiffersRole = Qt::UserRole, // the row: the tensor differs or its pair's loss does
        TensorDiffersRole,          // the tensor itself: TensorComparison::differs()
        CellDiffersRole,            // this cell's "after" differs from its "before"
    };

    explicit CompareModel(QObject* parent = nullptr);

    void setComparison(DumpComparison comparison);
    const DumpComparison& comparison() const { return m_comparison; }
    int differingRows() const;
    int differingTensors() const;
    int differingLosses() const; // rows whose tensor's pair has another loss or error

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
        bool tensorDiffers = false;           // shape, dtype, values or presence
        bool differs = false;                 // that, or the loss of the tensor's pair
    };
    QString text(const Row& row, int column) const;
    // The "before" and "after" texts of a column that compares the two sides.
    std::pair<QString, QString> sides(const Row& row, int column) const;
    bool cellDiffers(const Row& row, int column) const;

    DumpComparison m_comparison;
    std::vector<Row> m_rows;
};

} // namespace shapescope
