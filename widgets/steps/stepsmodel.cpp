// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepsmodel.h"

#include "common/statuscolors.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <cmath>

namespace shapescope {

namespace {

QString lossText(const StepPoint& step)
{
    if (!step.hasLosses)
        return QStringLiteral("\u2014");
    return std::isfinite(step.meanLoss) ? QString::number(step.meanLoss, 'g', 5)
                                        : QString::number(step.meanLoss);
}

} // namespace

StepsModel::StepsModel(QObject* parent) : QAbstractTableModel(parent) {}

void StepsModel::setSeries(StepSeries series)
{
    beginResetModel();
    m_series = std::move(series);
    m_currentRow = -1;
    endResetModel();
}

void StepsModel::setCurrentPair(int pair)
{
    const int row = m_series.indexOfPair(pair);
    if (row == m_currentRow)
        return;
    const int old = m_currentRow;
    m_currentRow = row;
    for (int changed : {old, row}) {
        if (changed >= 0)
            Q_EMIT dataChanged(index(changed, 0), index(changed, ColumnCount - 1), {Qt::FontRole});
    }
}

int StepsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_series.steps.size());
}

int StepsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StepsModel::display(const StepPoint& step, int row, int column) const
{
    switch (column) {
    case StepColumn:
        return row;
    case TensorColumn:
        return step.group.isEmpty() ? step.label : step.group;
    case LossColumn:
        return lossText(step);
    case AccuracyColumn:
        return step.accuracy >= 0 ? QStringLiteral("%1%").arg(step.accuracy * 100, 0, 'f', 1)
                                  : QStringLiteral("\u2014");
    case NonFiniteColumn:
        return step.nonFinite;
    case IgnoredColumn:
        return step.ignored;
    case ChangeColumn:
        return step.changes.join(QStringLiteral("; "));
    default:
        return {};
    }
}

QVariant StepsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StepPoint& step = m_series.steps[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(step, index.row(), index.column());
    case Qt::ToolTipRole:
        return index.column() == ChangeColumn && step.changed()
                   ? step.changes.join(QLatin1Char('\n'))
                   : QVariant(step.label);
    case Qt::TextAlignmentRole:
        return index.column() == TensorColumn || index.column() == ChangeColumn
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        if (step.changed())
            return StatusColors::from(QGuiApplication::palette()).warningFill;
        if (step.nonFinite > 0)
            return StatusColors::from(QGuiApplication::palette()).errorFill;
        return {};
    case Qt::FontRole:
        if (index.row() == m_currentRow) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case PairRole:
        return step.pair;
    case ChangedRole:
        return step.changed();
    default:
        return {};
    }
}

QVariant StepsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StepColumn:
        return tr("Step");
    case TensorColumn:
        return tr("Batch");
    case LossColumn:
        return tr("Mean loss");
    case AccuracyColumn:
        return tr("Accuracy");
    case NonFiniteColumn:
        return tr("NaN losses");
    case IgnoredColumn:
        return tr("Ignored");
    case ChangeColumn:
        return tr("Shape or dtype change");
    default:
        return {};
    }
}

} // namespace shapescope
