// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <vector>

namespace shapescope {

// One sample's token losses (reduction='none' along T), highest first, as a table of
// rank, token position and loss.
class TokenLossModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RankColumn,
        TokenColumn,
        LossColumn,
        ColumnCount
    };
    static constexpr int PositionRole = Qt::UserRole + 1;
    static constexpr int LossRole = Qt::UserRole + 2; // the loss as a double

    explicit TokenLossModel(QObject* parent = nullptr);

    // `losses` per token position; `order` the positions highest loss first (core's
    // positionsByLoss).
    void setLosses(std::vector<double> losses, std::vector<qint64> order);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<double> m_losses;
    std::vector<qint64> m_order;
};

} // namespace shapescope
