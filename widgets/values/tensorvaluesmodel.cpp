#include "tensorvaluesmodel.h"

#include "valueformat.h"

#include <QColor>
#include <QFont>
#include <QFuture>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace shapescope {

TensorValuesModel::TensorValuesModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_pool.setMaxThreadCount(kMaxInFlight);
}

TensorValuesModel::~TensorValuesModel()
{
    // Jobs hold their own copy of the session; their continuations die with this object.
    m_pool.waitForDone();
}

QString TensorValuesModel::placeholder()
{
    return QStringLiteral("\u2026");
}

void TensorValuesModel::setSession(std::shared_ptr<Session> session)
{
    beginResetModel();
    m_session = std::move(session);
    invalidate();
    endResetModel();
}

void TensorValuesModel::setTensor(const QString& dumpPath, const TensorInfo& tensor)
{
    beginResetModel();
    m_dumpPath = dumpPath;
    m_tensor = tensor;
    resetAxes();
    invalidate();
    endResetModel();
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
    ++m_generation;
    m_cache.clear();
    m_lru.clear();
    m_lruPosition.clear();
    m_queue.clear();
    m_wanted.clear();
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
    if (!m_session || m_wanted.count(key))
        return;
    m_wanted.insert(key);
    m_queue.push_back(key);
    if (m_queue.size() > static_cast<size_t>(kMaxQueued)) {
        // Scrolled past: the oldest requests are no longer on screen.
        m_wanted.erase(m_queue.front());
        m_queue.pop_front();
    }
    startNext();
}

void TensorValuesModel::startNext() const
{
    auto* self = const_cast<TensorValuesModel*>(this);
    while (m_inFlight < kMaxInFlight && !m_queue.empty()) {
        const quint64 key = m_queue.back(); // the newest: what the view shows now
        m_queue.pop_back();
        ++m_inFlight;
        ++m_requested;
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
        const quint64 generation = m_generation;
        std::shared_ptr<Session> session = m_session;
        // A watcher owned by the model rather than QFuture::then(this, ...), which Qt 6.4
        // asserts on when the context dies first.
        auto* watcher = new QFutureWatcher<PageResult>(self);
        connect(watcher, &QFutureWatcherBase::finished, self, [self, watcher] {
            PageResult result = watcher->result();
            watcher->deleteLater();
            self->onPageRead(std::move(result));
        });
        watcher->setFuture(QtConcurrent::run(&m_pool, [session, request, key, generation] {
            PageResult result;
            result.key = key;
            result.generation = generation;
            Expected<SliceResult> slice = session->readSlice(request);
            result.ok = slice.ok();
            if (slice)
                result.values = std::move(slice->values);
            else
                result.error = slice.error();
            return result;
        }));
    }
}

void TensorValuesModel::onPageRead(PageResult result)
{
    --m_inFlight;
    if (result.generation == m_generation) {
        m_wanted.erase(result.key);
        const int pageRow = static_cast<int>(result.key >> 32);
        const int pageColumn = static_cast<int>(result.key & 0xffffffffu);
        Page page;
        const int firstRow = pageRow * kPageRows;
        const int firstColumn = pageColumn * kPageColumns;
        page.rows = std::min(kPageRows, rowCount() - firstRow);
        page.columns = std::min(kPageColumns, columnCount() - firstColumn);
        page.rowsFirst = m_columnAxis < 0 || m_rowAxis < m_columnAxis;
        page.failed = !result.ok;
        page.values = std::move(result.values);
        if (!page.failed && page.values.size() != static_cast<size_t>(page.rows) * page.columns)
            page.failed = true;
        if (m_cache.size() >= m_capacity && !m_lru.empty()) {
            const quint64 oldest = m_lru.back();
            m_lru.pop_back();
            m_lruPosition.remove(oldest);
            m_cache.remove(oldest);
        }
        m_cache.insert(result.key, std::move(page));
        m_lru.push_front(result.key);
        m_lruPosition.insert(result.key, m_lru.begin());
        if (!result.ok)
            Q_EMIT readFailed(result.error);
        const int rows = m_cache.value(result.key).rows;
        const int columns = m_cache.value(result.key).columns;
        if (rows > 0 && columns > 0)
            Q_EMIT dataChanged(index(firstRow, firstColumn),
                               index(firstRow + rows - 1, firstColumn + columns - 1));
        Q_EMIT pageLoaded(pageRow, pageColumn);
    }
    startNext();
    if (m_inFlight == 0 && m_queue.empty())
        Q_EMIT idle();
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
