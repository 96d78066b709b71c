// SPDX-License-Identifier: GPL-3.0-or-later
#include "topclassesmodel.h"

#include "analysis/classnames.h"
#include "common/displaytext.h"

#include <QFont>
#include <algorithm>

namespace shapescope {

TopClassesModel::TopClassesModel(QObject* parent) : QAbstractTableModel(parent) {}

void TopClassesModel::setProbabilities(std::vector<double> probabilities, qint64 target,
                                       QStringList names)
{
    m_probabilities = std::move(probabilities);
    m_target = target;
    m_names = std::move(names);
    rebuild();
}

void TopClassesModel::clear()
{
    setProbabilities({}, -1, {});
}

void TopClassesModel::setK(int k)
{
    if (k < 1 || k == m_k)
        return;
    m_k = k;
    rebuild();
}

void TopClassesModel::rebuild()
{
    beginResetModel();
    m_rows = topClasses(m_probabilities, m_k);
    const bool targetShown = std::any_of(m_rows.begin(), m_rows.end(), [this](const auto& row) {
        return row.classIndex == m_target;
    });
    if (!targetShown && m_target >= 0 && m_target < static_cast<qint64>(m_probabilities.size()))
        m_rows.push_back(
            {m_target, m_probabilities[size_t(m_target)], classRank(m_probabilities, m_target)});
    endResetModel();
}

int TopClassesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TopClassesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopClassesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClassProbability& row = m_rows[size_t(index.row())];
    const bool isTarget = row.classIndex == m_target;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RankColumn:
            return QString::number(row.rank);
        case ClassColumn:
            return isTarget ? tr("%1 \u25C0 target").arg(classLabel(m_names, row.classIndex))
                            : classLabel(m_names, row.classIndex);
        case ProbabilityColumn:
            return numberText(row.probability, 4);
        }
        return {};
    case Qt::FontRole:
        if (isTarget) {
            QFont font;
            font.setBold(true);
            return QVariant::fromValue(font);
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() == ClassColumn
                                       ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                       : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case ClassRole:
        return row.classIndex;
    case TargetRole:
        return isTarget;
    case Qt::ToolTipRole:
        return tr("p = %1").arg(row.probability, 0, 'g', 9);
    }
    return {};
}

QVariant TopClassesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("#");
    case ClassColumn:
        return tr("Class");
    case ProbabilityColumn:
        return tr("p");
    }
    return {};
}

} // namespace shapescope
