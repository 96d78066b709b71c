// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenlossmodel.h"

#include "common/displaytext.h"

namespace shapescope {

TokenLossModel::TokenLossModel(QObject* parent) : QAbstractTableModel(parent) {}

void TokenLossModel::setLosses(std::vector<double> losses, std::vector<qint64> order)
{
    beginResetModel();
    m_losses = std::move(losses);
    m_order = std::move(order);
    endResetModel();
}

void TokenLossModel::clear()
{
    setLosses({}, {});
}

int TokenLossModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

int TokenLossModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenLossModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 position = m_order[size_t(index.row())];
    if (role == PositionRole)
        return position;
    if (role == LossRole)
        return m_losses[size_t(position)];
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case RankColumn:
        return index.row() + 1;
    case TokenColumn:
        return position;
    case LossColumn:
        return numberText(m_losses[size_t(position)], 6);
    default:
        return {};
    }
}

QVariant TokenLossModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("#");
    case TokenColumn:
        return tr("Token");
    case LossColumn:
        return tr("Loss");
    default:
        return {};
    }
}

} // namespace shapescope
