// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QDockWidget>

class QLabel;
class QMenu;
class QLineEdit;
class QTableView;
class QTreeView;

namespace shapescope {

class AttributeModel;
class DumpTreeFilter;
class DumpTreeModel;
class SelectionCoordinator;

// The dump tree dock: a filter line, every group and tensor with shape, dtype, size and pair
// role, and the attributes of the selected node. Picking a tensor selects its pair everywhere;
// the window's selection is mirrored back as selected rows.
class DumpTreeDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit DumpTreeDock(SelectionCoordinator* selection, QWidget* parent = nullptr);

    void setDump(const DumpSummary& dump, const QString& displayName);
    void setAnalysis(const AnalysisResult* result);
    void clear();
    void focusFilter();

    DumpTreeModel* model() const { return m_model; }
    DumpTreeFilter* filter() const { return m_filter; }
    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    AttributeModel* attributes() const { return m_attributes; }
    // Paths of the selected rows, in view order.
    QStringList selectedPaths() const;
    // The context menu of a tensor: its role in the step (loader, output, target, extra, or
    // by name), the current one checked. Choosing emits tensorRoleChosen.
    QMenu* createRoleMenu(const QString& path, QWidget* parent);

Q_SIGNALS:
    void tensorRoleChosen(const QString& path, shapescope::TensorRole role);

private:
    void onCurrentChanged(const QModelIndex& current);
    void showAttributes(const QModelIndex& proxyIndex);
    void syncFromSelection();
    void expandDefault();
    void fitColumns();
    void placeNameColumn();
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showContextMenu(const QPoint& pos);

    SelectionCoordinator* m_selection;
    DumpTreeModel* m_model;
    DumpTreeFilter* m_filter;
    AttributeModel* m_attributes;
    QLineEdit* m_filterEdit;
    QTreeView* m_view;
    QLabel* m_attributesTitle;
    QTableView* m_attributesView;
    bool m_syncing = false;
    const AnalysisResult* m_result = nullptr;
};

} // namespace shapescope
