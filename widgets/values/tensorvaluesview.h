// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QWidget>
#include <memory>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;
class QSpinBox;
class QTableView;

namespace shapescope {

class SliceHeatmap;
class TensorValuesModel;

// The values view: a tensor's values as a table, with axis selectors like HDFView's and
// H5Web's: which axis runs down the rows and which across the columns, and an index for every
// other axis. Reads go through the Session (TensorValuesModel), never the file.
class TensorValuesView : public QWidget
{
    Q_OBJECT

public:
    explicit TensorValuesView(QWidget* parent = nullptr);
    ~TensorValuesView() override;

    void setSession(std::shared_ptr<Session> session);
    void showTensor(const QString& dumpPath, const TensorInfo& tensor);
    void clear();

    TensorValuesModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QComboBox* rowAxisBox() const { return m_rowAxis; }
    QComboBox* columnAxisBox() const { return m_columnAxis; }
    // The index spin box of a fixed axis, or null.
    QSpinBox* indexBox(int axis) const;
    SliceHeatmap* heatmap() const { return m_heatmap; }
    // Shows sample `row` (an index along axis 0): selects its row when axis 0 runs down the
    // rows, else holds axis 0 at it.
    void goToSample(qint64 row);
    // Selects the cell (row, column) of the slice and scrolls to it.
    void selectCell(qint64 row, qint64 column);

private:
    void rebuildSelectors();
    void onAxesChosen();
    void updateHeader();

    TensorValuesModel* m_model;
    QLabel* m_header;
    QComboBox* m_rowAxis;
    QComboBox* m_columnAxis;
    QLabel* m_rowLabel;
    QLabel* m_columnLabel;
    QWidget* m_indexes;
    QGridLayout* m_indexLayout;
    std::vector<QSpinBox*> m_indexBoxes; // per axis; null for the row and column axes
    QTableView* m_table;
    SliceHeatmap* m_heatmap;
    QLabel* m_status;
};

} // namespace shapescope
