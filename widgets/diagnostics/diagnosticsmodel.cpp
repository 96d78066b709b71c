// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnosticsmodel.h"

#include "common/icons.h"
#include "common/textformat.h"

namespace shapescope {

DiagnosticsModel::DiagnosticsModel(QObject* parent) : QAbstractTableModel(parent) {}

void DiagnosticsModel::setResult(std::shared_ptr<const AnalysisResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

void DiagnosticsModel::clear()
{
    setResult(nullptr);
}

const Diagnostic* DiagnosticsModel::diagnosticAt(int row) const
{
    if (!m_result || row < 0 || size_t(row) >= m_result->diagnostics.size())
        return nullptr;
    return &m_result->diagnostics[size_t(row)];
}

int DiagnosticsModel::count(Severity severity) const
{
    return m_result ? m_result->count(severity) : 0;
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->diagnostics.size());
}

int DiagnosticsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Diagnostic& d = *diagnosticAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityTitle(d.severity);
        case CodeColumn:
            return d.codeName();
        case MessageColumn:
            return d.message;
        case TensorsColumn:
            return d.tensors.join(QStringLiteral(", "));
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == SeverityColumn ? icons::severity(d.severity) : QVariant();
    case Qt::ToolTipRole: {
        QString tip = d.message;
        if (d.hasPytorchError())
            tip += QStringLiteral("\n\nPyTorch raises: ") + d.pytorchError;
        return tip;
    }
    case SeverityRole:
        return int(d.severity);
    case IndexRole:
        return index.row();
    case PairRole:
        return d.pair;
    case SortRole:
        // Severity sorts by weight, then by original order; the rest as shown.
        if (index.column() == SeverityColumn)
            return int(d.severity) * 1000000 - index.row();
        return data(index, Qt::DisplayRole);
    case SearchTextRole:
        return QStringList{d.codeName(), d.message, d.tensors.join(QLatin1Char(' ')),
                           d.pytorchError}
            .join(QLatin1Char('\n'));
    }
    return {};
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CodeColumn:
        return tr("Code");
    case MessageColumn:
        return tr("Message");
    case TensorsColumn:
        return tr("Tensors");
    }
    return {};
}

} // namespace shapescope
