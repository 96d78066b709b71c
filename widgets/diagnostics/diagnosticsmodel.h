// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QAbstractTableModel>
#include <memory>

namespace shapescope {

// The diagnostics of an analysis as a table: severity, code, message, tensors.
class DiagnosticsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeverityColumn,
        CodeColumn,
        MessageColumn,
        TensorsColumn,
        ColumnCount
    };
    enum Role
    {
        SeverityRole = Qt::UserRole + 1, // Severity as int
        IndexRole,                       // index into AnalysisResult::diagnostics
        PairRole,                        // Diagnostic::pair
        SortRole,
        SearchTextRole, // code, message, tensors, PyTorch text in one string
    };

    explicit DiagnosticsModel(QObject* parent = nullptr);

    void setResult(std::shared_ptr<const AnalysisResult> result);
    void clear();
    const Diagnostic* diagnosticAt(int row) const;
    int count(Severity severity) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const AnalysisResult> m_result;
};

} // namespace shapescope
