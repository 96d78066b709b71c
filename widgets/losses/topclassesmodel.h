// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/topclasses.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace shapescope {

// The top-k predictions of one position: rank, class (with its name when the dump names it)
// and probability, the target marked. When the target is not among the k, it follows them as
// one more row with its own rank, so the list always says where the target stands.
class TopClassesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RankColumn,
        ClassColumn,
        ProbabilityColumn,
        ColumnCount
    };
    // The row's class index (qint64), and whether it is the target (bool).
    static constexpr int ClassRole = Qt::UserRole + 1;
    static constexpr int TargetRole = Qt::UserRole + 2;

    explicit TopClassesModel(QObject* parent = nullptr);

    // `target` < 0 when the target is not one class (a distribution, multi-label).
    void setProbabilities(std::vector<double> probabilities, qint64 target, QStringList names);
    void clear();
    void setK(int k);
    int k() const { return m_k; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void rebuild();

    std::vector<double> m_probabilities;
    qint64 m_target = -1;
    QStringList m_names;
    int m_k = 5;
    std::vector<ClassProbability> m_rows;
};

} // namespace shapescope
