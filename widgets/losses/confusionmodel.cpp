// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusionmodel.h"

#include "plots/classpalette.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <cmath>

namespace shapescope {

ConfusionModel::ConfusionModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConfusionModel::setMatrix(std::shared_ptr<const ConfusionMatrix> matrix)
{
    beginResetModel();
    m_matrix = std::move(matrix);
    m_scores = m_matrix ? classScores(*m_matrix) : std::vector<ClassScore>{};
    endResetModel();
}

void ConfusionModel::setClassNames(const QStringList& names)
{
    m_names = names;
    if (m_matrix && m_matrix->classes > 0)
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_matrix->classes) - 1);
    if (m_matrix && m_matrix->classes > 0)
        Q_EMIT headerDataChanged(Qt::Vertical, 0, int(m_matrix->classes) - 1);
}

int ConfusionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_matrix ? 0 : int(m_matrix->classes);
}

int ConfusionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_matrix ? 0 : int(m_matrix->classes) + 3;
}

QVariant ConfusionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 t = index.row(), column = index.column(), classes = m_matrix->classes;
    const ClassScore& score = m_scores[size_t(t)];
    if (column < classes) {
        const qint64 count = m_matrix->count(t, column);
        const double share = score.targets > 0 ? double(count) / double(score.targets) : 0.0;
        switch (role) {
        case Qt::DisplayRole:
            return QString::number(count);
        case CountRole:
            return count;
        case ShareRole:
            return share;
        case Qt::TextAlignmentRole:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::BackgroundRole: {
            if (count == 0)
                return {};
            QColor shade = t == column ? QColor(0x00, 0x9e, 0x73) : QColor(0xd5, 0x5e, 0x00);
            shade.setAlphaF(float(0.15 + 0.6 * share));
            return shade;
        }
        case Qt::ToolTipRole:
            return tr("target %1 predicted as %2: %3 positions (%4% of the target's)")
                .arg(classLabel(m_names, t), classLabel(m_names, column))
                .arg(count)
                .arg(100.0 * share, 0, 'f', 1);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    auto fixed = [](double v) {
        return std::isnan(v) ? QStringLiteral("—") : QString::number(v, 'f', 3);
    };
    switch (column - classes) {
    case 0:
        return QString::number(score.targets);
    case 1:
        return fixed(score.iou);
    default:
        return fixed(score.accuracy);
    }
}

QVariant ConfusionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_matrix || section < 0)
        return {};
    if (orientation == Qt::Vertical)
        return section < m_matrix->classes ? classLabel(m_names, section) : QVariant();
    if (section < m_matrix->classes)
        return classLabel(m_names, section);
    switch (section - m_matrix->classes) {
    case 0:
        return tr("positions");
    case 1:
        return tr("IoU");
    case 2:
        return tr("acc.");
    default:
        return {};
    }
}

} // namespace shapescope
