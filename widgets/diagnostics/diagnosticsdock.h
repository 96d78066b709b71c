// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QDockWidget>
#include <functional>
#include <memory>

class QLineEdit;
class QTableView;
class QToolButton;

namespace shapescope {

class DiagnosticsFilter;
class DiagnosticsModel;
class SelectionCoordinator;

// The diagnostics dock: a sortable table (severity, code, message, tensors) with a toggle per
// severity and a search line. Selecting a row selects its pair and tensors everywhere.
class DiagnosticsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit DiagnosticsDock(SelectionCoordinator* selection, QWidget* parent = nullptr);

    void setResult(std::shared_ptr<const AnalysisResult> result);
    void clear();

    DiagnosticsModel* model() const { return m_model; }
    DiagnosticsFilter* filter() const { return m_filter; }
    QTableView* view() const { return m_view; }
    QToolButton* severityButton(Severity severity) const;
    QLineEdit* searchEdit() const { return m_search; }

private:
    void updateCounts();
    void refilter(const std::function<void()>& change);
    void syncFromSelection();
    void onCurrentRowChanged(const QModelIndex& current);

    SelectionCoordinator* m_selection;
    DiagnosticsModel* m_model;
    DiagnosticsFilter* m_filter;
    QTableView* m_view;
    QLineEdit* m_search;
    QToolButton* m_buttons[3] = {};
    bool m_syncing = false;
};

} // namespace shapescope
