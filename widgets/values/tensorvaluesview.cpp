// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorvaluesview.h"

#include "sliceheatmap.h"
#include "tensorvaluesmodel.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <climits>

namespace shapescope {

TensorValuesView::TensorValuesView(QWidget* parent)
    : QWidget(parent), m_model(new TensorValuesModel(this)), m_header(new QLabel(this)),
      m_rowAxis(new QComboBox(this)), m_columnAxis(new QComboBox(this)),
      m_rowLabel(new QLabel(tr("Rows"), this)), m_columnLabel(new QLabel(tr("Columns"), this)),
      m_indexes(new QWidget(this)), m_indexLayout(new QGridLayout(m_indexes)),
      m_table(new QTableView(this)), m_heatmap(new SliceHeatmap(this)), m_status(new QLabel(this))
{
    m_rowAxis->setObjectName(QStringLiteral("rowAxis"));
    m_columnAxis->setObjectName(QStringLiteral("columnAxis"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_status->setWordWrap(true);
    m_indexLayout->setContentsMargins(0, 0, 0, 0);

    auto* axes = new QHBoxLayout;
    axes->addWidget(m_rowLabel);
    axes->addWidget(m_rowAxis);
    axes->addSpacing(12);
    axes->addWidget(m_columnLabel);
    axes->addWidget(m_columnAxis);
    axes->addSpacing(12);
    axes->addWidget(m_indexes);
    axes->addStretch(1);

    m_table->setModel(m_model);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; arrows move between cells
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    // Fixed section sizes: a view never measures millions of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setDefaultSectionSize(
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("-0.000123456789")) + 12);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addLayout(axes);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("valuesSplit"));
    split->setChildrenCollapsible(false);
    split->addWidget(m_table);
    split->addWidget(m_heatmap);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(m_model, &TensorValuesModel::sliceChanged, this, [this] {
        m_heatmap->showSlice(m_model->dumpPath(), m_model->tensor(), m_model->rowAxis(),
                             m_model->columnAxis(), m_model->fixedIndexes());
    });
    connect(m_heatmap, &SliceHeatmap::cellChosen, this, &TensorValuesView::selectCell);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    m_heatmap->setCurrentCell(current.row(), current.column());
            });
    connect(m_rowAxis, &QComboBox::activated, this, &TensorValuesView::onAxesChosen);
    connect(m_columnAxis, &QComboBox::activated, this, &TensorValuesView::onAxesChosen);
    connect(m_model, &TensorValuesModel::readFailed, this, [this](const QString& message) {
        m_status->setText(tr("Could not read: %1").arg(message));
    });
    clear();
}

TensorValuesView::~TensorValuesView() = default;

void TensorValuesView::setSession(std::shared_ptr<Session> session)
{
    m_heatmap->setSession(session);
    m_model->setSession(std::move(session));
}

void TensorValuesView::selectCell(qint64 row, qint64 column)
{
    if (row < 0 || row >= m_model->rowCount() || column < 0 ||
        column >= std::max(1, m_model->columnCount()))
        return;
    const QModelIndex index = m_model->index(static_cast<int>(row), static_cast<int>(column));
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_heatmap->setCurrentCell(row, column);
}

void TensorValuesView::goToSample(qint64 row)
{
    const Shape& shape = m_model->tensor().shape;
    if (shape.empty() || row < 0 || row >= shape.front())
        return;
    if (m_model->rowAxis() == 0) {
        selectCell(row, 0);
    } else if (m_model->columnAxis() == 0) {
        selectCell(0, row);
    } else if (QSpinBox* box = indexBox(0)) {
        box->setValue(static_cast<int>(row));
    }
}

void TensorValuesView::showTensor(const QString& dumpPath, const TensorInfo& tensor)
{
    m_model->setTensor(dumpPath, tensor);
    m_status->clear();
    if (!tensor.readable())
        m_status->setText(tr("The values cannot be read: %1").arg(tensor.unreadableReason));
    else if (m_model->truncated())
        m_status->setText(
            tr("Only the first %1 rows or columns are shown; choose other axes to see the rest.")
                .arg(INT_MAX));
    rebuildSelectors();
    updateHeader();
}

void TensorValuesView::clear()
{
    m_model->clear();
    m_status->clear();
    rebuildSelectors();
    updateHeader();
}

QSpinBox* TensorValuesView::indexBox(int axis) const
{
    return axis >= 0 && axis < static_cast<int>(m_indexBoxes.size())
               ? m_indexBoxes[static_cast<size_t>(axis)]
               : nullptr;
}

void TensorValuesView::updateHeader()
{
    const TensorInfo& tensor = m_model->tensor();
    if (tensor.path.isEmpty()) {
        m_header->setText(tr("Choose a tensor to see its values."));
        return;
    }
    m_header->setText(tr("<b>%1</b> &nbsp; %2 &nbsp; %3")
                          .arg(tensor.path.toHtmlEscaped(), shapeToString(tensor.shape),
                               dtypeName(tensor.dtype)));
}

void TensorValuesView::rebuildSelectors()
{
    const Shape& shape = m_model->tensor().shape;
    const int rank = static_cast<int>(shape.size());
    const bool choose = rank >= 2;
    for (QComboBox* box : {m_rowAxis, m_columnAxis}) {
        const QSignalBlocker blocker(box);
        box->clear();
        for (int axis = 0; axis < rank; ++axis)
            box->addItem(tr("axis %1 (%2)").arg(axis).arg(shape[static_cast<size_t>(axis)]), axis);
    }
    m_rowAxis->setCurrentIndex(m_model->rowAxis());
    m_columnAxis->setCurrentIndex(m_model->columnAxis());
    for (QWidget* w : {static_cast<QWidget*>(m_rowAxis), static_cast<QWidget*>(m_columnAxis),
                       static_cast<QWidget*>(m_rowLabel), static_cast<QWidget*>(m_columnLabel)})
        w->setVisible(choose);

    while (QLayoutItem* item = m_indexLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_indexBoxes.assign(static_cast<size_t>(rank), nullptr);
    int column = 0;
    for (int axis = 0; axis < rank; ++axis) {
        if (axis == m_model->rowAxis() || axis == m_model->columnAxis())
            continue;
        auto* label = new QLabel(tr("axis %1").arg(axis), m_indexes);
        auto* box = new QSpinBox(m_indexes);
        box->setObjectName(QStringLiteral("index%1").arg(axis));
        box->setRange(
            0, static_cast<int>(std::min<qint64>(shape[static_cast<size_t>(axis)] - 1, INT_MAX)));
        box->setValue(static_cast<int>(m_model->fixedIndex(axis)));
        box->setSuffix(tr(" / %1").arg(shape[static_cast<size_t>(axis)]));
        box->setKeyboardTracking(false);
        box->setToolTip(tr("The index along axis %1 of the slice shown").arg(axis));
        m_indexLayout->addWidget(label, 0, column++);
        m_indexLayout->addWidget(box, 0, column++);
        m_indexBoxes[static_cast<size_t>(axis)] = box;
        connect(box, &QSpinBox::valueChanged, this,
                [this, axis](int value) { m_model->setFixedIndex(axis, value); });
    }
    m_indexes->setVisible(column > 0);
}

void TensorValuesView::onAxesChosen()
{
    int row = m_rowAxis->currentData().toInt();
    int column = m_columnAxis->currentData().toInt();
    if (row == column) {
        // Picking the other selector's axis swaps the two, as H5Web does.
        if (sender() == m_rowAxis)
            column = m_model->rowAxis();
        else
            row = m_model->columnAxis();
    }
    m_model->setAxes(row, column);
    rebuildSelectors();
}

} // namespace shapescope
