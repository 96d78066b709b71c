// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchsavetree.h"

#include <QSet>

namespace shapescope {

namespace {

using torchpickle::Value;
using Kind = Value::Kind;

constexpr int maxDepth = 64;
constexpr qint64 maxVisits = 1'000'000;

QString childPath(const QString& group, const QString& name)
{
    return group == QLatin1String("/") ? QString(u'/' + name) : QString(group + u'/' + name);
}

// A scalar's attribute, or nullopt when the value is not one.
std::optional<Attribute> scalarAttribute(const QString& name, const Value* value)
{
    switch (value->kind) {
    case Kind::None:
        return Attribute{name, QStringLiteral("none"), QStringLiteral("None")};
    case Kind::Bool:
        return Attribute{name, QStringLiteral("bool"),
                         value->boolean ? QStringLiteral("True") : QStringLiteral("False")};
    case Kind::Int:
        return Attribute{name, QStringLiteral("int64"), QString::number(value->integer)};
    case Kind::Float:
        return Attribute{name, QStringLiteral("float64"), QString::number(value->real, 'g', 17)};
    case Kind::String:
        return Attribute{name, QStringLiteral("string"), value->text};
    case Kind::Bytes:
        return Attribute{name, QStringLiteral("bytes"),
                         QStringLiteral("%1 bytes").arg(value->bytes.size())};
    default:
        return std::nullopt;
    }
}

class Walker
{
public:
    Expected<TorchSaveTree> run(const Value* root)
    {
        m_tree.groups.push_back(GroupInfo{QStringLiteral("/"), {}});
        if (root->kind == Kind::Dict || root->kind == Kind::List || root->kind == Kind::Tuple) {
            if (Status status = walkContainer(root, QStringLiteral("/"), 0, 0); !status)
                return Error{status.error()};
        } else if (Status status = visit(root, QStringLiteral("/"), QStringLiteral("tensor"), 0, 0);
                   !status) {
            return Error{status.error()};
        }
        return std::move(m_tree);
    }

private:
    Status walkContainer(const Value* container, const QString& group, size_t groupIndex, int depth)
    {
        if (depth > maxDepth)
            return Error{QStringLiteral("containers nested more than %1 deep").arg(maxDepth)};
        if (m_onPath.contains(container)) {
            m_tree.notes
                << QStringLiteral("%1: contains itself; the inner copy is skipped").arg(group);
            return Status::success();
        }
        m_onPath.insert(container);
        Status status = Status::success();
        if (container->kind == Kind::Dict) {
            for (const auto& [key, value] : container->pairs) {
                QString name;
                if (key->kind == Kind::String)
                    name = key->text;
                else if (key->kind == Kind::Int)
                    name = QString::number(key->integer);
                if (name.isEmpty() || name.contains(u'/')) {
                    m_tree.notes
                        << QStringLiteral("%1: a key that is not a plain name, skipped").arg(group);
                    continue;
                }
                if (!(status = visit(value, group, name, groupIndex, depth)))
                    break;
            }
        } else {
            for (size_t i = 0; i < container->items.size() && status; ++i)
                status = visit(container->items[i], group, QString::number(i), groupIndex, depth);
        }
        m_onPath.remove(container);
        return status;
    }

    Status visit(const Value* value, const QString& group, const QString& name, size_t groupIndex,
                 int depth)
    {
        if (++m_visits > maxVisits)
            return Error{QStringLiteral("more than %1 objects").arg(maxVisits)};
        const QString path = childPath(group, name);
        if (std::optional<Attribute> attribute = scalarAttribute(name, value)) {
            m_tree.groups[groupIndex].attributes.push_back(std::move(*attribute));
            return Status::success();
        }
        switch (value->kind) {
        case Kind::Tensor:
            m_tree.leaves.push_back({path, name, group, value->tensor, nullptr});
            return Status::success();
        case Kind::NdArray:
            m_tree.leaves.push_back({path, name, group, nullptr, value->array});
            return Status::success();
        case Kind::Dict:
        case Kind::List:
        case Kind::Tuple:
            m_tree.groups.push_back(GroupInfo{path, {}});
            return walkContainer(value, path, m_tree.groups.size() - 1, depth + 1);
        default:
            m_tree.notes << QStringLiteral("%1: a Python object that is not a tensor, container or "
                                           "scalar, skipped")
                                .arg(path);
            return Status::success();
        }
    }

    TorchSaveTree m_tree;
    QSet<const Value*> m_onPath;
    qint64 m_visits = 0;
};

} // namespace

Expected<TorchSaveTree> layOutPickle(const Value* root)
{
    return Walker().run(root);
}

} // namespace shapescope
