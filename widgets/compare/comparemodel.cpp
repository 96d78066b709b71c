// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparemodel.h"

#include "common/statuscolors.h"

#include <QFont>
#include <QGuiApplication>
#include <cmath>

namespace shapescope {

namespace {

const QString kMissing = QStringLiteral("\u2014");

QString number(double value)
{
    return QString::number(value, 'g', 5);
}

QString valuesText(const std::optional<TensorInfo>& tensor, const ValueSummary& values)
{
    if (!tensor)
        return kMissing;
    if (!values.unreadable.isEmpty())
        return QStringLiteral("unreadable");
    if (values.count == 0)
        return QStringLiteral("empty");
    if (values.count == values.nan + values.inf)
        return QStringLiteral("no finite value");
    return QStringLiteral("%1 [%2, %3]")
        .arg(number(values.mean), number(values.min), number(values.max));
}

QString nonFiniteText(const std::optional<TensorInfo>& tensor, const ValueSummary& values)
{
    if (!tensor || !values.unreadable.isEmpty())
        return kMissing;
    if (values.nan == 0 && values.inf == 0)
        return QStringLiteral("0");
    return QStringLiteral("%1 NaN, %2 inf").arg(values.nan).arg(values.inf);
}

QString lossText(const std::optional<double>& mean, const QStringList& errors)
{
    if (!errors.isEmpty())
        return QStringLiteral("raises");
    return mean ? number(*mean) : kMissing;
}

bool sameLoss(const std::optional<double>& a, const std::optional<double>& b)
{
    return a.has_value() == b.has_value() &&
           (!a || *a == *b || (std::isnan(*a) && std::isnan(*b)));
}

} // namespace

CompareModel::CompareModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareModel::setComparison(DumpComparison comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    m_rows.clear();
    for (const TensorComparison& tensor : m_comparison.tensors) {
        Row row{&tensor, nullptr, tensor.differs(), tensor.differs()};
        for (const PairComparison& pair : m_comparison.pairs) {
            if (samePath(tensor.path, pair.input) || samePath(tensor.path, pair.target)) {
                row.pair = &pair;
                row.differs = row.differs || pair.differs();
                break;
            }
        }
        m_rows.push_back(row);
    }
    endResetModel();
}

int CompareModel::differingRows() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return r.differs; }));
}

int CompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CompareModel::text(const Row& row, int column) const
{
    const TensorComparison& t = *row.tensor;
    switch (column) {
    case TensorColumn:
        return t.path;
    case ShapeAColumn:
        return t.a ? shapeToString(t.a->shape) : kMissing;
    case ShapeBColumn:
        return t.b ? shapeToString(t.b->shape) : kMissing;
    case DtypeAColumn:
        return t.a ? t.a->typeText() : kMissing;
    case DtypeBColumn:
        return t.b ? t.b->typeText() : kMissing;
    case ValuesAColumn:
        return valuesText(t.a, t.valuesA);
    case ValuesBColumn:
        return valuesText(t.b, t.valuesB);
    case NonFiniteAColumn:
        return nonFiniteText(t.a, t.valuesA);
    case NonFiniteBColumn:
        return nonFiniteText(t.b, t.valuesB);
    case DifferingColumn:
        if (t.differing < 0)
            return kMissing;
        return t.differing == 0 ? QStringLiteral("0")
                                : QStringLiteral("%1 (max |a-b| %2)")
                                      .arg(t.differing)
                                      .arg(number(t.maxAbsDifference));
    case LossAColumn:
        return row.pair ? lossText(row.pair->meanA, row.pair->errorsA) : QString();
    case LossBColumn:
        return row.pair ? lossText(row.pair->meanB, row.pair->errorsB) : QString();
    default:
        return {};
    }
}

bool CompareModel::cellDiffers(const Row& row, int column) const
{
    switch (column) {
    case ShapeBColumn:
    case DtypeBColumn:
    case ValuesBColumn:
    case NonFiniteBColumn:
        return text(row, column) != text(row, column - 1);
    case DifferingColumn:
        return row.tensor->differing > 0;
    case LossBColumn:
        return row.pair && (!sameLoss(row.pair->meanA, row.pair->meanB) ||
                            row.pair->errorsA != row.pair->errorsB);
    default:
        return false;
    }
}

QVariant CompareModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return text(row, column);
    case Qt::ToolTipRole: {
        if (!row.pair || (column != LossAColumn && column != LossBColumn))
            return row.tensor->path;
        const QStringList& errors = column == LossAColumn ? row.pair->errorsA : row.pair->errorsB;
        return errors.isEmpty() ? QStringLiteral("%1 vs %2").arg(row.pair->input, row.pair->target)
                                : errors.join(QLatin1Char('\n'));
    }
    case Qt::BackgroundRole:
        return row.tensorDiffers
                   ? QVariant(StatusColors::from(QGuiApplication::palette()).warningFill)
                   : QVariant();
    case Qt::ForegroundRole:
        if (cellDiffers(row, column))
            return StatusColors::from(QGuiApplication::palette()).error;
        return {};
    case Qt::FontRole:
        if (cellDiffers(row, column)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case DiffersRole:
        return row.differs;
    case TensorDiffersRole:
        return row.tensorDiffers;
    case CellDiffersRole:
        return cellDiffers(row, column);
    default:
        return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TensorColumn:
        return tr("Tensor");
    case ShapeAColumn:
        return tr("Shape A");
    case ShapeBColumn:
        return tr("Shape B");
    case DtypeAColumn:
        return tr("Dtype A");
    case DtypeBColumn:
        return tr("Dtype B");
    case ValuesAColumn:
        return tr("Mean [min, max] A");
    case ValuesBColumn:
        return tr("Mean [min, max] B");
    case NonFiniteAColumn:
        return tr("NaN/inf A");
    case NonFiniteBColumn:
        return tr("NaN/inf B");
    case DifferingColumn:
        return tr("Elements differing");
    case LossAColumn:
        return tr("Loss mean A");
    case LossBColumn:
        return tr("Loss mean B");
    default:
        return {};
    }
}

} // namespace shapescope
