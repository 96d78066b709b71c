// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotdata.h"

#include <QAbstractTableModel>

namespace shapescope {

// A sample among the highest losses of a scope.
struct HighestLossEntry
{
    int pair = -1;
    QString batch;    // a run's pair: its group (the batch); any other pair: its input path
    bool run = false; // the pair is a step of a run
    RankedSample sample;
    QStringList classNames; // the pair's (PairResult::classNames)
};

// The `count` highest per-sample losses over the scope's pairs, highest first (from each
// pair's LossSummary::highestLoss, which holds its 20 highest).
std::vector<HighestLossEntry> highestLossEntries(const AnalysisResult& result,
                                                 const PlotScope& scope, int count = 20);

// The highest-loss samples as a table: the likely mislabelled ones are at the top (a confident
// wrong prediction has a high loss and a tiny p(target)). Activating a row opens the sample.
class HighestLossModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RankColumn,
        BatchColumn,
        SampleColumn,
        TargetColumn,
        PredictedColumn,
        PTargetColumn,
        LossColumn,
        ColumnCount
    };
    static constexpr int PairRole = Qt::UserRole + 1;
    static constexpr int SampleRole = Qt::UserRole + 2;

    explicit HighestLossModel(QObject* parent = nullptr);

    void setEntries(std::vector<HighestLossEntry> entries);
    const std::vector<HighestLossEntry>& entries() const { return m_entries; }
    // Every entry is a batch of a run: the second column names batches, else tensors.
    bool byBatch() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<HighestLossEntry> m_entries;
};

} // namespace shapescope
