// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tensor/tensorinfo.h"

#include <QAbstractTableModel>
#include <vector>

namespace shapescope {

// The attributes of the node selected in the dump tree (HDF5 attributes, NPY header facts),
// after the facts ShapeScope knows about a tensor's storage, shown in italics.
class AttributeModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        ValueColumn,
        TypeColumn,
        ColumnCount
    };

    explicit AttributeModel(QObject* parent = nullptr);

    void setTensor(const TensorInfo& tensor);
    void setAttributes(const std::vector<Attribute>& attributes);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        Attribute attribute;
        bool builtin = false; // a fact of ShapeScope's, not an attribute of the file
    };
    void setRows(std::vector<Row> rows);

    std::vector<Row> m_rows;
};

} // namespace shapescope
