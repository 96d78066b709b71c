// SPDX-License-Identifier: GPL-3.0-or-later
#include "highestlossmodel.h"

#include "analysis/classnames.h"
#include "common/displaytext.h"

#include <algorithm>
#include <cmath>

namespace shapescope {

std::vector<HighestLossEntry> highestLossEntries(const AnalysisResult& result,
                                                 const PlotScope& scope, int count)
{
    std::vector<HighestLossEntry> entries;
    for (int p : scope.pairs) {
        const PairResult& pair = result.pairs[static_cast<size_t>(p)];
        if (!pair.hasLosses)
            continue;
        // Only a run's group is a batch; any other pair is named by its input tensor.
        const bool run = pair.run >= 0 && !pair.group.isEmpty() && pair.group != QLatin1String("/");
        for (const RankedSample& s : pair.summary.highestLoss)
            entries.push_back({p, run ? pair.group : pair.input, run, s, pair.classNames});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const HighestLossEntry& a, const HighestLossEntry& b) {
                         return a.sample.loss > b.sample.loss;
                     });
    if (entries.size() > static_cast<size_t>(std::max(0, count)))
        entries.resize(static_cast<size_t>(std::max(0, count)));
    return entries;
}

namespace {

// The class as a number, or "3 (cat)" when the dump names it; "-" for none.
QVariant classCell(const QStringList& names, qint64 index)
{
    if (index < 0)
        return QStringLiteral("-");
    return names.isEmpty() ? QVariant(index) : QVariant(classLabel(names, index));
}

} // namespace

HighestLossModel::HighestLossModel(QObject* parent) : QAbstractTableModel(parent) {}

void HighestLossModel::setEntries(std::vector<HighestLossEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int HighestLossModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int HighestLossModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HighestLossModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HighestLossEntry& e = m_entries[static_cast<size_t>(index.row())];
    const RankedSample& s = e.sample;
    if (role == PairRole)
        return e.pair;
    if (role == SampleRole)
        return s.sample;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(index.column() == BatchColumn
                                       ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                       : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole)
        return tr("%1, sample %2: open it in the inspector").arg(e.batch).arg(s.sample);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case RankColumn:
        return index.row() + 1;
    case BatchColumn:
        return e.batch;
    case SampleColumn:
        return s.sample;
    case TargetColumn:
        return classCell(e.classNames, s.target);
    case PredictedColumn:
        return classCell(e.classNames, s.predicted);
    case PTargetColumn:
        return std::isnan(s.pTarget) ? QStringLiteral("-") : QString::number(s.pTarget, 'g', 3);
    case LossColumn:
        return numberText(s.loss, 5);
    default:
        return {};
    }
}

bool HighestLossModel::byBatch() const
{
    return !m_entries.empty() && std::all_of(m_entries.begin(), m_entries.end(),
                                             [](const HighestLossEntry& e) { return e.run; });
}

QVariant HighestLossModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("#");
    case BatchColumn:
        return byBatch() ? tr("Batch") : tr("Tensor");
    case SampleColumn:
        return tr("Sample");
    case TargetColumn:
        return tr("Target");
    case PredictedColumn:
        return tr("Predicted");
    case PTargetColumn:
        return tr("p(target)");
    case LossColumn:
        return tr("Loss");
    default:
        return {};
    }
}

} // namespace shapescope
