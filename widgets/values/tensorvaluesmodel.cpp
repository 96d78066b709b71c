// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorvaluesmodel.h"

#include "tensorvaluespager.h"
#include "valueformat.h"

#include <QColor>
#include <QFont>
#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace shapescope {

TensorValuesModel::TensorValuesModel(QObject* parent)
    : QAbstractTableModel(parent), m_pager(new TensorValuesPager(
                                       [this](quint64 key, Expected<std::vector<double>> values) {
                                           onPageRead(key, std::move(values));
                                       },
                                       this))
{
    connect(m_pager, &TensorValuesPager::idle, this, &TensorValuesModel::idle);
}

// The pager, a child, waits for its reads; they hold no reference to the model.
TensorValuesModel::~TensorValuesModel() = default;

qint64 TensorValuesModel::pagesRequested() const
{
    return m_pager->requested();
}

int TensorValuesModel::pendingPages() const
{
    return m_pager->pending();
}

QString TensorValuesModel::placeholder()
{
    return QStringLiteral("\u2026");
}

void TensorValuesModel::setSession(std::shared_ptr<Session> session)
{
    beginResetModel();
    m_pager->setSession(std::move(session));
    invalidate();
    endResetModel();
    Q_EMIT sliceChanged();
}

void TensorValuesModel::setTensor(const QString& dumpPath, const TensorInfo& tensor)
{
    beginResetModel();
    m_dumpPath = dumpPath;
    m_tensor = tensor;
    resetAxes();
    invalidate();
    endResetModel();
    Q_EMIT sliceChanged();
}

void TensorValuesModel::clear()
{
    setTensor(QString(), TensorInfo{});
}

void TensorValuesModel::resetAxes()
{
    const int rank = static_cast<int>(m_tensor.shape.size());
    m_fixed.assign(static_cast<size_t>(rank), 0);
    m_rowAxis = rank >= 2 ? rank - 2 : rank - 1;
    m_columnAxis = rank >= 2 ? rank - 1 : -1;
}

bool TensorValuesModel::setAxes(int rowAxis, int columnAxis)
{
    const int rank = static_cast<int>(m_tensor.shape.size());
    const bool valid = rank >= 2 ? rowAxis >= 0 && rowAxis < rank && columnAxis >= 0 &&
                                       columnAxis < rank && rowAxis != columnAxis
                                 : rowAxis == m_rowAxis && columnAxis == m_columnAxis;
    if (!valid)
        return false;
    if (rowAxis == m_rowAxis && columnAxis == m_columnAxis)
        return true;
    beginResetModel();
    m_rowAxis = rowAxis;
    m_columnAxis = columnAxis;
    invalidate();
    endResetModel();
    Q_EMIT sliceChanged();
    return true;
}

qint64 TensorValuesModel::fixedIndex(int axis) const
{
    return axis >= 0 && axis < static_cast<int>(m_fixed.size()) ? m_fixed[static_cast<size_t>(axis)]
                                                                : 0;
}

bool TensorValuesModel::setFixedIndex(int axis, qint64 index)
{
    if (axis < 0 || axis >= static_cast<int>(m_fixed.size()) || axis == m_rowAxis ||
        axis == m_columnAxis || index < 0 || index >= m_tensor.shape[static_cast<size_t>(axis)])
        return false;
    if (m_fixed[static_cast<size_t>(axis)] == index)
        return true;
    m_fixed[static_cast<size_t>(axis)] = index;
    invalidate();
    // Same rows and columns, other values: the view keeps its scroll position.
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(this->index(0, 0), this->index(rowCount() - 1, columnCount() - 1));
    Q_EMIT sliceChanged();
    return true;
}

Shape TensorValuesModel::elementIndex(int row, int column) const
{
    Shape index(m_fixed.begin(), m_fixed.end());
    if (m_rowAxis >= 0)
        index[static_cast<size_t>(m_rowAxis)] = row;
    if (m_columnAxis >= 0)
        index[static_cast<size_t>(m_columnAxis)] = column;
    return index;
}

void TensorValuesModel::setCacheCapacity(int pages)
{
    m_capacity = std::max(1, pages);
}

void TensorValuesModel::invalidate()
{
    m_pager->reset();
    m_cache.clear();
    m_lru.clear();
    m_lruPosition.clear();
    const qint64 rows = rowExtent();
    const qint64 columns = columnExtent();
    m_truncated = rows > INT_MAX || columns > INT_MAX;
}

qint64 TensorValuesModel::rowExtent() const
{
    if (!m_tensor.readable())
        return 0;
    if (m_tensor.shape.empty())
        return m_tensor.path.isEmpty() ? 0 : 1; // a 0-d tensor is one value
    return m_tensor.shape[static_cast<size_t>(m_rowAxis)];
}

qint64 TensorValuesModel::columnExtent() const
{
    if (!m_tensor.readable() || m_tensor.path.isEmpty())
        return 0;
    return m_columnAxis >= 0 ? m_tensor.shape[static_cast<size_t>(m_columnAxis)] : 1;
}

int TensorValuesModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || columnExtent() == 0)
        return 0;
    return static_cast<int>(std::min<qint64>(rowExtent(), INT_MAX));
}

int TensorValuesModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid() || rowExtent() == 0)
        return 0;
    return static_cast<int>(std::min<qint64>(columnExtent(), INT_MAX));
}

quint64 TensorValuesModel::pageKey(int pageRow, int pageColumn)
{
    return (static_cast<quint64>(static_cast<quint32>(pageRow)) << 32) |
           static_cast<quint32>(pageColumn);
}

const TensorValuesModel::Page* TensorValuesModel::page(int row, int column) const
{
    const quint64 key = pageKey(row / kPageRows, column / kPageColumns);
    auto it = m_cache.constFind(key);
    if (it == m_cache.constEnd()) {
        request(key);
        return nullptr;
    }
    auto position = m_lruPosition.value(key);
    m_lru.splice(m_lru.begin(), m_lru, position);
    return &it.value();
}

void TensorValuesModel::request(quint64 key) const
{
    if (!m_pager->hasSession())
        return;
    const int pageRow = static_cast<int>(key >> 32);
    const int pageColumn = static_cast<int>(key & 0xffffffffu);
    SliceRequest request;
    request.path = m_dumpPath;
    request.tensor = m_tensor.path;
    request.slab = Slab::whole(m_tensor.shape);
    for (size_t axis = 0; axis < m_fixed.size(); ++axis) {
        const int a = static_cast<int>(axis);
        if (a == m_rowAxis || a == m_columnAxis)
            continue;
        request.slab.start[axis] = m_fixed[axis];
        request.slab.count[axis] = 1;
    }
    if (m_rowAxis >= 0) {
        const qint64 first = qint64(pageRow) * kPageRows;
        request.slab.start[static_cast<size_t>(m_rowAxis)] = first;
        request.slab.count[static_cast<size_t>(m_rowAxis)] =
            std::min<qint64>(kPageRows, rowExtent() - first);
    }
    if (m_columnAxis >= 0) {
        const qint64 first = qint64(pageColumn) * kPageColumns;
        request.slab.start[static_cast<size_t>(m_columnAxis)] = first;
        request.slab.count[static_cast<size_t>(m_columnAxis)] =
            std::min<qint64>(kPageColumns, columnExtent() - first);
    }
    m_pager->request(key, request);
}

void TensorValuesModel::onPageRead(quint64 key, Expected<std::vector<double>> values)
{
    const int pageRow = static_cast<int>(key >> 32);
    const int pageColumn = static_cast<int>(key & 0xffffffffu);
    Page page;
    const int firstRow = pageRow * kPageRows;
    const int firstColumn = pageColumn * kPageColumns;
    page.rows = std::min(kPageRows, rowCount() - firstRow);
    page.columns = std::min(kPageColumns, columnCount() - firstColumn);
    page.rowsFirst = m_columnAxis < 0 || m_rowAxis < m_columnAxis;
    page.failed = !values.ok();
    if (values)
        page.values = std::move(*values);
    if (!page.failed && page.values.size() != static_cast<size_t>(page.rows) * page.columns)
        page.failed = true;
    if (m_cache.size() >= m_capacity && !m_lru.empty()) {
        const quint64 oldest = m_lru.back();
        m_lru.pop_back();
        m_lruPosition.remove(oldest);
        m_cache.remove(oldest);
    }
    const int rows = page.rows;
    const int columns = page.columns;
    m_cache.insert(key, std::move(page));
    m_lru.push_front(key);
    m_lruPosition.insert(key, m_lru.begin());
    if (!values)
        Q_EMIT readFailed(values.error());
    if (rows > 0 && columns > 0)
        Q_EMIT dataChanged(index(firstRow, firstColumn),
                           index(firstRow + rows - 1, firstColumn + columns - 1));
    Q_EMIT pageLoaded(pageRow, pageColumn);
}

QVariant TensorValuesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ForegroundRole:
    case Qt::FontRole:
    case Qt::ToolTipRole:
    case ValueRole:
    case LoadedRole:
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
    const Page* p = page(index.row(), index.column());
    if (role == LoadedRole)
        return p != nullptr && !p->failed;
    if (!p) {
        if (role == Qt::DisplayRole)
            return placeholder();
        if (role == Qt::ForegroundRole)
            return QColor(Qt::gray);
        if (role == ValueRole)
            return std::numeric_limits<double>::quiet_NaN();
        return {};
    }
    if (p->failed) {
        if (role == Qt::DisplayRole)
            return QStringLiteral("?");
        if (role == Qt::ToolTipRole)
            return tr("These values could not be read");
        return {};
    }
    const int r = index.row() % kPageRows;
    const int c = index.column() % kPageColumns;
    const double value =
        p->values[static_cast<size_t>(p->rowsFirst ? r * p->columns + c : c * p->rows + r)];
    switch (role) {
    case Qt::DisplayRole:
        return formatValue(value, m_tensor.dtype);
    case ValueRole:
        return value;
    case Qt::ForegroundRole:
        return isSpecialValue(value) ? QVariant(QColor(0xD5, 0x5E, 0x00)) : QVariant();
    case Qt::FontRole: {
        if (!isSpecialValue(value))
            return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ToolTipRole: {
        QStringList parts;
        for (qint64 i : elementIndex(index.row(), index.column()))
            parts << QString::number(i);
        return QStringLiteral("%1[%2] = %3 (%4)")
            .arg(m_tensor.path, parts.join(QStringLiteral(", ")),
                 formatValue(value, m_tensor.dtype), dtypeName(m_tensor.dtype));
    }
    default:
        return {};
    }
}

QVariant TensorValuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    if (orientation == Qt::Horizontal && (section >= columnCount() || m_columnAxis < 0))
        return section == 0 && m_columnAxis < 0 ? QVariant(QStringLiteral("value")) : QVariant();
    if (orientation == Qt::Vertical && section >= rowCount())
        return {};
    return QString::number(section);
}

} // namespace shapescope
