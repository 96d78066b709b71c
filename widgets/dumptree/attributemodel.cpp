// SPDX-License-Identifier: GPL-3.0-or-later
#include "attributemodel.h"

#include "common/textformat.h"

#include <QFont>

namespace shapescope {

AttributeModel::AttributeModel(QObject* parent) : QAbstractTableModel(parent) {}

void AttributeModel::setRows(std::vector<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void AttributeModel::setTensor(const TensorInfo& tensor)
{
    std::vector<Row> rows;
    auto fact = [&rows](const QString& name, const QString& value) {
        rows.push_back({{name, QString(), value}, true});
    };
    fact(tr("path"), tensor.path);
    fact(tr("shape"), shapeToString(tensor.shape));
    fact(tr("dtype"), tensor.typeText());
    fact(tr("elements"), QString::number(tensor.elementCount()));
    if (tensor.storedType.isEmpty()) // a type with no DType is never read into memory
        fact(tr("in memory"), text::bytes(tensor.byteCount()));
    if (!tensor.storage.isEmpty())
        fact(tr("storage"), tensor.storage);
    if (!tensor.chunkShape.empty())
        fact(tr("chunks"), shapeToString(tensor.chunkShape));
    fact(tr("on disk"), text::bytes(tensor.storedBytes));
    if (!tensor.readable())
        fact(tr("unreadable"), tensor.unreadableReason);
    for (const Attribute& attribute : tensor.attributes)
        rows.push_back({attribute, false});
    setRows(std::move(rows));
}

void AttributeModel::setAttributes(const std::vector<Attribute>& attributes)
{
    std::vector<Row> rows;
    for (const Attribute& attribute : attributes)
        rows.push_back({attribute, false});
    setRows(std::move(rows));
}

void AttributeModel::clear()
{
    setRows({});
}

int AttributeModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AttributeModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttributeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
            return row.attribute.name;
        case ValueColumn:
            return row.attribute.value;
        case TypeColumn:
            return row.attribute.type;
        }
        return {};
    case Qt::FontRole:
        if (row.builtin && index.column() == NameColumn) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    }
    return {};
}

QVariant AttributeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Attribute");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    }
    return {};
}

} // namespace shapescope
