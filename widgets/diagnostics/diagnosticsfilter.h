// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/diagnostic.h"

#include <QSortFilterProxyModel>

namespace shapescope {

// Shows the diagnostics of the chosen severities whose code, message, tensors or PyTorch text
// contain the search text; sorts severity by weight (errors first when descending).
class DiagnosticsFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DiagnosticsFilter(QObject* parent = nullptr);

    void setSeverityShown(Severity severity, bool shown);
    bool isSeverityShown(Severity severity) const;
    void setSearchText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    unsigned m_shown = 0b111; // bit per Severity
    QString m_search;
};

} // namespace shapescope
