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
    return a.has_value() == b.has_value() && (!a || *a == *b || (std::isnan(*a) && std::isnan(*b)));
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

int CompareModel::differingTensors() const
{
    return int(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return r.tensorDiffers; }));
}

int CompareModel::differingLosses() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [this](const Row& r) { return cellDiffers(r, LossColumn); }));
}

int CompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::pair<QString, QString> CompareModel::sides(const Row& row, int column) const
{
    const TensorComparison& t = *row.tensor;
    switch (column) {
    case ShapeColumn:
        return {t.a ? shapeToString(t.a->shape) : kMissing,
                t.b ? shapeToString(t.b->shape) : kMissing};
    case DtypeColumn:
        return {t.a ? t.a->typeText() : kMissing, t.b ? t.b->typeText() : kMissing};
    case NonFiniteColumn:
        return {nonFiniteText(t.a, t.valuesA), nonFiniteText(t.b, t.valuesB)};
    case LossColumn:
        if (!row.pair)
            return {};
        return {lossText(row.pair->meanA, row.pair->errorsA),
                lossText(row.pair->meanB, row.pair->errorsB)};
    case ValuesAColumn:
    case ValuesBColumn:
        return {valuesText(t.a, t.valuesA), valuesText(t.b, t.valuesB)};
    default:
        return {};
    }
}

QString CompareModel::text(const Row& row, int column) const
{
    const TensorComparison& t = *row.tensor;
    switch (column) {
    case TensorColumn:
        return t.path;
    case ValuesAColumn:
        return sides(row, column).first;
    case ValuesBColumn:
        return sides(row, column).second;
    case DifferingColumn:
        if (t.differing < 0)
            return kMissing;
        return t.differing == 0 ? QStringLiteral("0")
                                : QStringLiteral("%1 (max |a-b| %2)")
                                      .arg(t.differing)
                                      .arg(number(t.maxAbsDifference));
    default: {
        const auto [before, after] = sides(row, column);
        return before == after ? before : QStringLiteral("%1 \u2192 %2").arg(before, after);
    }
    }
}

bool CompareModel::cellDiffers(const Row& row, int column) const
{
    switch (column) {
    case TensorColumn:
    case ValuesAColumn:
        return false;
    case DifferingColumn:
        return row.tensor->differing > 0;
    case LossColumn:
        return row.pair && (!sameLoss(row.pair->meanA, row.pair->meanB) ||
                            row.pair->errorsA != row.pair->errorsB);
    default: {
        const auto [before, after] = sides(row, column);
        return before != after;
    }
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
        if (!row.pair || column != LossColumn)
            return row.tensor->path;
        const QString none = tr("computed");
        return tr("Loss of %1 vs %2\nA: %3\nB: %4")
            .arg(row.pair->input, row.pair->target,
                 row.pair->errorsA.isEmpty() ? none : row.pair->errorsA.join(QLatin1Char(' ')),
                 row.pair->errorsB.isEmpty() ? none : row.pair->errorsB.join(QLatin1Char(' ')));
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
    case ShapeColumn:
        return tr("Shape");
    case DtypeColumn:
        return tr("Dtype");
    case LossColumn:
        return tr("Loss mean");
    case ValuesAColumn:
        return tr("A: mean [min, max]");
    case ValuesBColumn:
        return tr("B: mean [min, max]");
    case NonFiniteColumn:
        return tr("NaN/inf");
    case DifferingColumn:
        return tr("Elements differing");
    default:
        return {};
    }
}

} // namespace shapescope
