// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>

namespace shapescope {

// The dump as a tree: the file, its groups and tensors with shape, dtype and size. After an
// analysis, paired tensors are marked input or target and their shapes name each axis's role
// ("32 (N) x 10 (C)"); tensors a diagnostic names carry its severity. Objects that cannot be
// read (a string array, a dataset whose filter is missing) are shown greyed, marked
// "unreadable", with the reason in their tooltip and UnreadableRole.
class DumpTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        RoleColumn, // before the shape: short, and what a user looks for first
        ShapeColumn,
        TypeColumn,
        SizeColumn,
        ColumnCount
    };
    enum class NodeKind
    {
        File,
        Group,
        Tensor,
        Unreadable // an object the reader lists but offers no tensor for (DumpSummary::skipped)
    };
    enum Role
    {
        PathRole = Qt::UserRole + 1, // tensor or group path; "" for the file
        KindRole,                    // NodeKind as int
        PairRole,                    // pair index of a tensor, -1 when unpaired
        PairSideRole,                // "input", "target" or ""
        SeverityRole,                // worst Severity as int naming the node, -1 when none
        SortRole,                    // numbers for numeric columns
        UnreadableRole,              // why the object is not read; "" when it is readable
    };

    explicit DumpTreeModel(QObject* parent = nullptr);
    ~DumpTreeModel() override;

    void setDump(const DumpSummary& dump, const QString& displayName);
    // Marks pairs, roles and severities; nullptr removes the marks.
    void setAnalysis(const AnalysisResult* result);
    void clear();

    QModelIndex indexOfPath(const QString& path) const;
    QModelIndex fileIndex() const;
    const TensorInfo* tensorAt(const QModelIndex& index) const;
    // The tensor, or the unreadable object, at `index` (nullptr for groups and the file).
    const TensorInfo* objectAt(const QModelIndex& index) const;
    // Attributes of a group or the file (tensors carry theirs in TensorInfo).
    const std::vector<Attribute>* groupAttributesAt(const QModelIndex& index) const;
    NodeKind kindAt(const QModelIndex& index) const;
    int tensorCount() const { return int(m_dump.tensors.size()); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node;

    Node* nodeAt(const QModelIndex& index) const;
    Node* groupNode(const QStringList& components, int depth, bool absolute);
    void notifyChanged(Node* node);
    QVariant displayData(const Node& node, int column) const;
    QString toolTip(const Node& node) const;
    const TensorInfo* info(const Node& node) const;

    DumpSummary m_dump;
    std::unique_ptr<Node> m_root;   // invisible; its one child is the file
    QHash<QString, Node*> m_byPath; // tensors (and groups no tensor shares a path with)
    QHash<QString, Node*> m_groups;
};

} // namespace shapescope
