// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "session/session.h"

#include <QAbstractTableModel>
#include <QHash>
#include <list>
#include <memory>

namespace shapescope {

// A 2-D slice of any tensor as a table: two axes are the rows and the columns, every other axis
// is held at an index. Values are read lazily in pages (256 rows x 64 columns) by a
// TensorValuesPager, so a 1 GiB tensor scrolls at once: a cell whose page is not here yet shows
// a placeholder and asks for it; a page of an older tensor, axes or indices is dropped when it
// arrives, and the pages read are kept in a small LRU cache.
class TensorValuesPager;

class TensorValuesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kPageRows = 256;
    static constexpr int kPageColumns = 64;
    // The values' own role: the cell's value as a double (NaN while not loaded).
    static constexpr int ValueRole = Qt::UserRole + 1;
    static constexpr int LoadedRole = Qt::UserRole + 2;

    explicit TensorValuesModel(QObject* parent = nullptr);
    ~TensorValuesModel() override;

    void setSession(std::shared_ptr<Session> session);
    // Shows `tensor` of the dump at `dumpPath`: rows and columns are its last two axes.
    void setTensor(const QString& dumpPath, const TensorInfo& tensor);
    void clear();

    const TensorInfo& tensor() const { return m_tensor; }
    const QString& dumpPath() const { return m_dumpPath; }
    int rowAxis() const { return m_rowAxis; }       // -1 for a 0-d tensor
    int columnAxis() const { return m_columnAxis; } // -1 for 0-d and 1-d tensors
    // Chooses the axes shown as rows and columns (different axes; -1 for no column axis).
    bool setAxes(int rowAxis, int columnAxis);
    qint64 fixedIndex(int axis) const;
    const std::vector<qint64>& fixedIndexes() const { return m_fixed; }
    // Holds an axis that is neither rows nor columns at `index`.
    bool setFixedIndex(int axis, qint64 index);
    // The tensor index of a cell, one entry per axis.
    Shape elementIndex(int row, int column) const;
    // Rows or columns beyond what a view can address (2^31 - 1) are cut; true when they were.
    bool truncated() const { return m_truncated; }

    void setCacheCapacity(int pages);
    int cachedPages() const { return static_cast<int>(m_cache.size()); }
    qint64 pagesRequested() const;
    int pendingPages() const;
    static QString placeholder();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void pageLoaded(int pageRow, int pageColumn);
    void readFailed(const QString& message);
    // Every page asked for has arrived.
    void idle();
    // Another slice is shown: another tensor, other axes or another index of a fixed axis.
    void sliceChanged();

private:
    struct Page
    {
        int rows = 0;
        int columns = 0;
        bool rowsFirst = true; // the row axis comes before the column axis in C order
        bool failed = false;
        std::vector<double> values;
    };
    static quint64 pageKey(int pageRow, int pageColumn);
    const Page* page(int row, int column) const;
    void request(quint64 key) const;
    void onPageRead(quint64 key, Expected<std::vector<double>> values);
    void invalidate(); // drops every page and request (a new slice)
    void resetAxes();
    qint64 rowExtent() const;
    qint64 columnExtent() const;

    TensorValuesPager* m_pager;
    QString m_dumpPath;
    TensorInfo m_tensor;
    int m_rowAxis = -1;
    int m_columnAxis = -1;
    std::vector<qint64> m_fixed;
    bool m_truncated = false;
    int m_capacity = 256;

    // Lazily filled from data(), which is const.
    mutable QHash<quint64, Page> m_cache;
    mutable std::list<quint64> m_lru; // most recent first
    mutable QHash<quint64, std::list<quint64>::iterator> m_lruPosition;
};

} // namespace shapescope
