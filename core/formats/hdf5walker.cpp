// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5walker.h"

#include "common/naturalsort.h"
#include "hdf5attributes.h"
#include "hdf5errorstack.h"
#include "hdf5handle.h"
#include "hdf5storage.h"
#include "hdf5types.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace shapescope {

namespace {

constexpr int maxDepth = 64;
constexpr qint64 maxLinks = 1'000'000;
constexpr size_t maxLinkValue = 64 * 1024;

struct Link
{
    QByteArray rawName; // as stored, to open the object by
    QString name;
    H5L_type_t type = H5L_TYPE_ERROR;
    haddr_t address = HADDR_UNDEF;
    size_t valueSize = 0;
};

struct LinkList
{
    std::vector<Link> links;
    qint64 budget = 0;
    bool truncated = false;
};

herr_t collectLink(hid_t, const char* name, const H5L_info_t* info, void* data)
{
    // No exception may unwind through libhdf5's C frames.
    try {
        auto* list = static_cast<LinkList*>(data);
        if (static_cast<qint64>(list->links.size()) >= list->budget) {
            list->truncated = true;
            return 1;
        }
        Link link;
        link.rawName = QByteArray(name);
        link.name = QString::fromUtf8(link.rawName);
        link.type = info->type;
        if (info->type == H5L_TYPE_HARD)
            link.address = info->u.address;
        else
            link.valueSize = info->u.val_size;
        list->links.push_back(std::move(link));
        return 0;
    } catch (...) {
        return -1;
    }
}

// Only the root's path, "/", ends in a slash.
QString childPath(const QString& groupPath, const QString& name)
{
    if (groupPath.size() == 1)
        return groupPath + name;
    return groupPath + QLatin1Char('/') + name;
}

QByteArray childPath(const QByteArray& groupPath, const QByteArray& name)
{
    if (groupPath.size() == 1)
        return groupPath + name;
    return groupPath + '/' + name;
}

// A group's path twice: for display, and as the file spells it, to open things by.
struct GroupPath
{
    QString text;
    QByteArray raw;
};

class Walker
{
public:
    Walker(hid_t linkAccess, Hdf5Contents* out) : m_linkAccess(linkAccess), m_out(out) {}

    void walkRoot(hid_t root, haddr_t address)
    {
        m_visitedGroups.emplace(address, QStringLiteral("/"));
        m_out->groups.push_back(GroupInfo{QStringLiteral("/"), readAttributes(root)});
        walkGroup(root, GroupPath{QStringLiteral("/"), QByteArrayLiteral("/")}, 0);
    }

private:
    void note(const QString& text) { m_out->notes << text; }

    void walkGroup(hid_t group, const GroupPath& groupPath, int depth)
    {
        const QString& path = groupPath.text;
        LinkList list;
        list.budget = maxLinks - m_linksSeen;
        if (H5Literate(group, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collectLink, &list) < 0)
            note(hdf5Error(path + QStringLiteral(": listing the group")).message);
        m_linksSeen += static_cast<qint64>(list.links.size());
        if (list.truncated && !m_stoppedNoted) {
            note(
                QStringLiteral("%1: stopped listing after %2 links in all; the rest of the file is "
                               "not shown")
                    .arg(path)
                    .arg(maxLinks));
            m_stoppedNoted = true;
        }
        std::stable_sort(list.links.begin(), list.links.end(),
                         [](const Link& a, const Link& b) { return naturalLess(a.name, b.name); });
        for (const Link& link : list.links)
            visitLink(group, groupPath, link, depth);
    }

    void visitLink(hid_t group, const GroupPath& groupPath, const Link& link, int depth)
    {
        const QString path = childPath(groupPath.text, link.name);
        // A name HDF5 itself would never write would be parsed as a path when opened.
        if (link.rawName.isEmpty() || link.rawName.contains('/') || link.rawName == ".") {
            note(QStringLiteral("%1: link with an unusable name skipped").arg(path));
            return;
        }
        switch (link.type) {
        case H5L_TYPE_HARD:
            visitObject(group, groupPath, path, link, depth);
            return;
        case H5L_TYPE_SOFT:
            note(QStringLiteral("%1: soft link to %2 not followed")
                     .arg(path, linkTarget(group, link)));
            return;
        case H5L_TYPE_EXTERNAL:
            note(QStringLiteral("%1: external link to %2 not followed")
                     .arg(path, linkTarget(group, link)));
            return;
        default:
            note(QStringLiteral("%1: user-defined link (type %2) not followed")
                     .arg(path)
                     .arg(int(link.type)));
        }
    }

    // The soft link's path, or the external link's "file:/path".
    QString linkTarget(hid_t group, const Link& link)
    {
        if (link.valueSize == 0 || link.valueSize > maxLinkValue)
            return QStringLiteral("(unreadable)");
        QByteArray value(static_cast<qsizetype>(link.valueSize), '\0');
        if (H5Lget_val(group, link.rawName.constData(), value.data(), link.valueSize,
                       m_linkAccess) < 0)
            return QStringLiteral("(unreadable)");
        if (link.type == H5L_TYPE_SOFT)
            return QString::fromUtf8(value.constData(), qstrnlen(value.constData(), value.size()));
        unsigned flags = 0;
        const char* file = nullptr;
        const char* object = nullptr;
        // Unpacking runs strlen over bytes from the file; QByteArray keeps a NUL after its
        // bytes, so even a value without one ends inside the buffer.
        if (H5Lunpack_elink_val(value.constData(), link.valueSize, &flags, &file, &object) < 0)
            return QStringLiteral("(unreadable)");
        return QString::fromUtf8(file) + QLatin1Char(':') + QString::fromUtf8(object);
    }

    void visitObject(hid_t group, const GroupPath& groupPath, const QString& path, const Link& link,
                     int depth)
    {
        // Only groups are recorded, so a match is a group seen before: a cycle or a second name.
        if (auto seen = m_visitedGroups.find(link.address); seen != m_visitedGroups.end()) {
            note(QStringLiteral("%1: same group as %2 (hard link), not walked again")
                     .arg(path, seen->second));
            return;
        }
        const Hdf5Object object(H5Oopen(group, link.rawName.constData(), m_linkAccess));
        if (!object) {
            note(hdf5Error(path + QStringLiteral(": opening")).message);
            return;
        }
        H5O_info_t info{};
        if (H5Oget_info2(object.get(), &info, H5O_INFO_BASIC) < 0) {
            note(hdf5Error(path + QStringLiteral(": reading the object header")).message);
            return;
        }
        if (info.addr != link.address) {
            note(QStringLiteral("%1: the link and the object disagree on its address; skipped")
                     .arg(path));
            return;
        }
        switch (info.type) {
        case H5O_TYPE_GROUP:
            if (depth + 1 > maxDepth) {
                note(QStringLiteral("%1: groups nested deeper than %2 levels are not walked")
                         .arg(path)
                         .arg(maxDepth));
                return;
            }
            m_visitedGroups.emplace(info.addr, path);
            m_out->groups.push_back(GroupInfo{path, readAttributes(object.get())});
            walkGroup(object.get(), GroupPath{path, childPath(groupPath.raw, link.rawName)},
                      depth + 1);
            return;
        case H5O_TYPE_DATASET:
            addDataset(object.get(), groupPath, path, link);
            return;
        case H5O_TYPE_NAMED_DATATYPE:
            note(QStringLiteral("%1: named datatype skipped, not data").arg(path));
            return;
        default:
            note(QStringLiteral("%1: unknown kind of object skipped").arg(path));
        }
    }

    void addDataset(hid_t dataset, const GroupPath& groupPath, const QString& path,
                    const Link& link)
    {
        const Hdf5Type type(H5Dget_type(dataset));
        const Hdf5Space space(H5Dget_space(dataset));
        const Hdf5PropertyList creation(H5Dget_create_plist(dataset));
        if (!type || !space || !creation) {
            note(
                hdf5Error(path + QStringLiteral(": reading the dataset's type and shape")).message);
            return;
        }
        const Hdf5ElementType element = classifyType(type.get());
        const H5S_class_t spaceClass = H5Sget_simple_extent_type(space.get());
        if (spaceClass == H5S_NULL) {
            note(QStringLiteral("%1: empty dataset (null dataspace) skipped").arg(path));
            return;
        }
        hsize_t dims[H5S_MAX_RANK] = {};
        const int rank = H5Sget_simple_extent_ndims(space.get());
        if (spaceClass == H5S_NO_CLASS || rank < 0 || rank > H5S_MAX_RANK ||
            H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0) {
            note(QStringLiteral("%1: unreadable dataspace, skipped").arg(path));
            return;
        }
        TensorInfo info;
        for (int axis = 0; axis < rank; ++axis) {
            if (dims[axis] > hsize_t(std::numeric_limits<qint64>::max())) {
                note(QStringLiteral("%1: an axis is too long, skipped").arg(path));
                return;
            }
            info.shape.push_back(static_cast<qint64>(dims[axis]));
        }
        const qint64 elements = checkedElementCount(info.shape);
        if (elements < 0 || elements > std::numeric_limits<qint64>::max() / 8) {
            note(QStringLiteral("%1: %2 elements are more than ShapeScope can address, skipped")
                     .arg(path, shapeToString(info.shape)));
            return;
        }
        info.path = path;
        info.name = link.name;
        info.group = groupPath.text;
        if (!element.numeric()) {
            info.storedType = element.kind;
            info.unreadableReason = element.why;
            info.storedBytes = static_cast<qint64>(std::min<hsize_t>(
                H5Dget_storage_size(dataset), std::numeric_limits<qint64>::max()));
            info.attributes = readAttributes(dataset);
            m_out->skipped.push_back(std::move(info));
            return;
        }
        const Hdf5Storage storage = describeStorage(creation.get(), rank);
        info.dtype = *element.dtype;
        info.chunkShape = storage.chunkShape;
        info.storage = storage.description;
        info.storedBytes = static_cast<qint64>(
            std::min<hsize_t>(H5Dget_storage_size(dataset), std::numeric_limits<qint64>::max()));
        info.attributes = readAttributes(dataset);
        info.unreadableReason = storage.unreadableReason;
        m_out->tensors.push_back(std::move(info));
        m_out->datasets.push_back(Hdf5DatasetRef{childPath(groupPath.raw, link.rawName),
                                                 link.address, H5Tget_size(type.get())});
    }

    hid_t m_linkAccess;
    Hdf5Contents* m_out;
    std::unordered_map<haddr_t, QString> m_visitedGroups;
    qint64 m_linksSeen = 0;
    bool m_stoppedNoted = false;
};

} // namespace

Expected<Hdf5Contents> walkHdf5File(hid_t file, hid_t linkAccess)
{
    const Hdf5Group root(H5Gopen2(file, "/", H5P_DEFAULT));
    if (!root)
        return hdf5Error(QStringLiteral("opening the root group"));
    H5O_info_t info{};
    if (H5Oget_info2(root.get(), &info, H5O_INFO_BASIC) < 0)
        return hdf5Error(QStringLiteral("reading the root group"));
    Hdf5Contents contents;
    Walker(linkAccess, &contents).walkRoot(root.get(), info.addr);
    return contents;
}

} // namespace shapescope
