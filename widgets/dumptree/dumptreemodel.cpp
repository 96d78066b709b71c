// SPDX-License-Identifier: GPL-3.0-or-later
#include "dumptreemodel.h"

#include "common/icons.h"
#include "common/textformat.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QSet>

namespace shapescope {

struct DumpTreeModel::Node
{
    NodeKind kind = NodeKind::Group;
    QString name;
    QString path;
    int tensor = -1;  // index into DumpSummary::tensors
    int skipped = -1; // index into DumpSummary::skipped
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    qint64 bytes = 0;
    int tensorCount = 0;
    const std::vector<Attribute>* attributes = nullptr;
    // Marks of the analysis.
    int pair = -1;
    QString side;
    QString partner;
    QString rolesShape;
    int severity = -1;

    Node* addChild(std::unique_ptr<Node> child)
    {
        child->parent = this;
        child->row = int(children.size());
        children.push_back(std::move(child));
        return children.back().get();
    }
};

namespace {

QString normalizedGroup(const QString& path)
{
    QString p = path;
    while (p.startsWith(QLatin1Char('/')))
        p.remove(0, 1);
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    return p;
}

} // namespace

DumpTreeModel::DumpTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

DumpTreeModel::~DumpTreeModel() = default;

void DumpTreeModel::clear()
{
    beginResetModel();
    m_root.reset();
    m_byPath.clear();
    m_groups.clear();
    m_dump = {};
    endResetModel();
}

DumpTreeModel::Node* DumpTreeModel::groupNode(const QStringList& components, int depth,
                                              bool absolute)
{
    Node* node = m_root->children.front().get();
    QString path = absolute ? QStringLiteral("/") : QString();
    for (int i = 0; i < depth; ++i) {
        path += (i == 0 ? QString() : QStringLiteral("/")) + components[i];
        if (Node* found = m_groups.value(path)) {
            node = found;
            continue;
        }
        auto group = std::make_unique<Node>();
        group->kind = NodeKind::Group;
        group->name = components[i];
        group->path = path;
        node = node->addChild(std::move(group));
        m_groups.insert(path, node);
        if (!m_byPath.contains(path)) // a tensor of the same name keeps the path
            m_byPath.insert(path, node);
    }
    return node;
}

void DumpTreeModel::setDump(const DumpSummary& dump, const QString& displayName)
{
    beginResetModel();
    m_dump = dump;
    m_byPath.clear();
    m_groups.clear();
    m_root = std::make_unique<Node>();
    auto file = std::make_unique<Node>();
    file->kind = NodeKind::File;
    file->name = displayName;
    m_root->addChild(std::move(file));

    QHash<QString, const std::vector<Attribute>*> groupAttributes;
    for (const GroupInfo& group : m_dump.groups)
        groupAttributes.insert(normalizedGroup(group.path), &group.attributes);
    m_root->children.front()->attributes = groupAttributes.value(QString());

    for (size_t t = 0; t < m_dump.tensors.size(); ++t) {
        const TensorInfo& info = m_dump.tensors[t];
        const bool absolute = info.path.startsWith(QLatin1Char('/'));
        const QStringList components = info.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (components.isEmpty())
            continue;
        Node* parent = groupNode(components, int(components.size()) - 1, absolute);
        auto node = std::make_unique<Node>();
        node->kind = NodeKind::Tensor;
        node->name = components.back();
        node->path = info.path;
        node->tensor = int(t);
        node->bytes = info.byteCount();
        Node* added = parent->addChild(std::move(node));
        m_byPath.insert(info.path, added);
        for (Node* up = parent; up; up = up->parent) {
            up->bytes += added->bytes;
            ++up->tensorCount;
        }
    }
    for (size_t s = 0; s < m_dump.skipped.size(); ++s) {
        const TensorInfo& info = m_dump.skipped[s];
        const QStringList components = info.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (components.isEmpty() || m_byPath.contains(info.path))
            continue;
        Node* parent = groupNode(components, int(components.size()) - 1,
                                 info.path.startsWith(QLatin1Char('/')));
        auto node = std::make_unique<Node>();
        node->kind = NodeKind::Unreadable;
        node->name = components.back();
        node->path = info.path;
        node->skipped = int(s);
        m_byPath.insert(info.path, parent->addChild(std::move(node)));
    }
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it)
        (*it)->attributes = groupAttributes.value(normalizedGroup(it.key()));
    endResetModel();
}

void DumpTreeModel::setAnalysis(const AnalysisResult* result)
{
    if (!m_root)
        return;
    QSet<Node*> changed;
    auto reset = [&changed](Node* node) {
        if (node->pair >= 0 || node->severity >= 0 || !node->side.isEmpty())
            changed.insert(node);
        node->pair = -1;
        node->side.clear();
        node->partner.clear();
        node->rolesShape.clear();
        node->severity = -1;
    };
    for (Node* node : std::as_const(m_byPath))
        reset(node);
    for (Node* node : std::as_const(m_groups))
        reset(node);
    Node* file = m_root->children.front().get();
    reset(file);
    if (result) {
        for (size_t p = 0; p < result->pairs.size(); ++p) {
            const PairResult& pair = result->pairs[p];
            for (bool input : {true, false}) {
                Node* node = m_byPath.value(input ? pair.input : pair.target);
                if (!node || node->kind != NodeKind::Tensor || node->pair >= 0)
                    continue;
                node->pair = int(p);
                node->side = input ? QStringLiteral("input") : QStringLiteral("target");
                node->partner = input ? pair.target : pair.input;
                node->rolesShape =
                    text::shapeWithRoles(m_dump.tensors[size_t(node->tensor)].shape, pair.layout,
                                         input ? pair.layout.inputRoles : pair.layout.targetRoles);
                changed.insert(node);
            }
        }
        for (const QString& path : result->unpaired) {
            if (Node* node = m_byPath.value(path); node && node->kind == NodeKind::Tensor) {
                node->side = QStringLiteral("unpaired");
                changed.insert(node);
            }
        }
        // Tensors with a place in their step's flow say which: "loader" or "extra".
        for (const StepFlow& flow : result->flows) {
            for (const FlowTensor& t : flow.tensors) {
                Node* node = m_byPath.value(t.path);
                const bool named = t.role == TensorRole::Loader ||
                                   (t.role == TensorRole::Extra && (t.carriesBatch || t.userRole));
                if (node && node->pair < 0 && named)
                    node->side = tensorRoleName(t.role);
            }
        }
        for (const Diagnostic& d : result->diagnostics) {
            for (const QString& path : d.tensors) {
                for (Node* node = m_byPath.value(path); node; node = node->parent) {
                    if (node == m_root.get())
                        break;
                    node->severity = std::max(node->severity, int(d.severity));
                    changed.insert(node);
                }
            }
        }
    }
    for (Node* node : std::as_const(changed))
        notifyChanged(node);
    notifyChanged(file);
}

void DumpTreeModel::notifyChanged(Node* node)
{
    const QModelIndex left = createIndex(node->row, 0, node);
    Q_EMIT dataChanged(left, left.siblingAtColumn(ColumnCount - 1));
}

QModelIndex DumpTreeModel::indexOfPath(const QString& path) const
{
    Node* node = m_byPath.value(path);
    return node ? createIndex(node->row, 0, node) : QModelIndex();
}

QModelIndex DumpTreeModel::fileIndex() const
{
    return m_root ? index(0, 0) : QModelIndex();
}

DumpTreeModel::Node* DumpTreeModel::nodeAt(const QModelIndex& index) const
{
    if (!index.isValid())
        return m_root.get();
    return static_cast<Node*>(index.internalPointer());
}

const TensorInfo* DumpTreeModel::tensorAt(const QModelIndex& index) const
{
    const Node* node = index.isValid() ? nodeAt(index) : nullptr;
    return node && node->tensor >= 0 ? &m_dump.tensors[size_t(node->tensor)] : nullptr;
}

const TensorInfo* DumpTreeModel::objectAt(const QModelIndex& index) const
{
    const Node* node = index.isValid() ? nodeAt(index) : nullptr;
    return node ? info(*node) : nullptr;
}

const TensorInfo* DumpTreeModel::info(const Node& node) const
{
    if (node.tensor >= 0)
        return &m_dump.tensors[size_t(node.tensor)];
    if (node.skipped >= 0)
        return &m_dump.skipped[size_t(node.skipped)];
    return nullptr;
}

const std::vector<Attribute>* DumpTreeModel::groupAttributesAt(const QModelIndex& index) const
{
    const Node* node = index.isValid() ? nodeAt(index) : nullptr;
    return node && (node->kind == NodeKind::File || node->kind == NodeKind::Group)
               ? node->attributes
               : nullptr;
}

DumpTreeModel::NodeKind DumpTreeModel::kindAt(const QModelIndex& index) const
{
    const Node* node = index.isValid() ? nodeAt(index) : nullptr;
    return node ? node->kind : NodeKind::File;
}

QModelIndex DumpTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_root || column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node* node = nodeAt(parent);
    if (!node || row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex DumpTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Node* node = nodeAt(child);
    Node* parent = node->parent;
    if (!parent || parent == m_root.get())
        return {};
    return createIndex(parent->row, 0, parent);
}

int DumpTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_root || parent.column() > 0)
        return 0;
    const Node* node = nodeAt(parent);
    return node ? int(node->children.size()) : 0;
}

int DumpTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant DumpTreeModel::displayData(const Node& node, int column) const
{
    const TensorInfo* info = this->info(node);
    switch (column) {
    case NameColumn:
        return node.name;
    case ShapeColumn:
        if (info)
            return node.rolesShape.isEmpty() ? shapeToString(info->shape) : node.rolesShape;
        return text::count(node.tensorCount, tr("tensor"), tr("tensors"));
    case TypeColumn:
        if (info)
            return info->typeText();
        return node.kind == NodeKind::File ? text::formatTitle(m_dump.format) : tr("group");
    case SizeColumn:
        return text::bytes(node.bytes);
    case RoleColumn:
        if (info && !info->readable() && node.pair < 0)
            return tr("unreadable");
        return node.side; // "input", "target", "unpaired" or ""
    }
    return {};
}

QString DumpTreeModel::toolTip(const Node& node) const
{
    const TensorInfo* object = info(node);
    if (!object)
        return node.kind == NodeKind::File ? m_dump.file : node.path;
    const TensorInfo& info = *object;
    QStringList lines;
    lines << info.path;
    if (node.kind == NodeKind::Unreadable)
        lines << tr("%1 %2").arg(shapeToString(info.shape), info.typeText());
    else
        lines << tr("%1 %2, %3 in memory")
                     .arg(shapeToString(info.shape), info.typeText(),
                          text::bytes(info.byteCount()));
    if (!info.storage.isEmpty())
        lines << tr("stored: %1, %2").arg(info.storage, text::bytes(info.storedBytes));
    if (node.pair >= 0)
        lines << tr("%1 of pair %2 (with %3)").arg(node.side).arg(node.pair + 1).arg(node.partner);
    if (!info.readable())
        lines << tr("unreadable: %1").arg(info.unreadableReason);
    return lines.join(QLatin1Char('\n'));
}

QVariant DumpTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_root)
        return {};
    const Node& node = *nodeAt(index);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case Qt::ToolTipRole:
        return toolTip(node);
    case Qt::DecorationRole:
        if (index.column() != NameColumn)
            return {};
        if (node.kind == NodeKind::Tensor || node.kind == NodeKind::Unreadable) {
            if (node.severity >= int(Severity::Warning))
                return icons::severity(Severity(node.severity));
            const TensorInfo* object = info(node);
            return icons::named(object && !object->readable() ? QStringLiteral("cancel")
                                                              : QStringLiteral("tensor"));
        }
        if (node.kind == NodeKind::File)
            return icons::app();
        return icons::named(QStringLiteral("folder"));
    case Qt::FontRole:
        if (node.kind == NodeKind::File || (index.column() == RoleColumn && node.pair >= 0)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole: {
        const TensorInfo* object = info(node);
        if ((object && !object->readable()) || (index.column() == RoleColumn && node.pair < 0))
            return QApplication::palette().color(QPalette::PlaceholderText);
        return {};
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole:
        return node.path;
    case KindRole:
        return int(node.kind);
    case PairRole:
        return node.pair;
    case PairSideRole:
        return node.pair >= 0 ? node.side : QString();
    case SeverityRole:
        return node.severity;
    case UnreadableRole: {
        const TensorInfo* object = info(node);
        return object ? object->unreadableReason : QString();
    }
    case SortRole:
        switch (index.column()) {
        case SizeColumn:
            return node.bytes;
        case ShapeColumn:
            return node.tensor >= 0 ? m_dump.tensors[size_t(node.tensor)].elementCount() : -1;
        default:
            return displayData(node, index.column());
        }
    }
    return {};
}

QVariant DumpTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ShapeColumn:
        return tr("Shape");
    case TypeColumn:
        return tr("Type");
    case SizeColumn:
        return tr("Size");
    case RoleColumn:
        return tr("Role");
    }
    return {};
}

} // namespace shapescope
