// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QFrame>
#include <QHash>

class QGridLayout;
class QLabel;

namespace shapescope {

// A pair's loss as PyTorch computes it (mean and sum reductions), the per-sample range,
// accuracy and ignored positions; or why the loss was not computed.
class LossSummaryPanel : public QFrame
{
    Q_OBJECT

public:
    explicit LossSummaryPanel(QWidget* parent = nullptr);

    // `pendingNote`: the losses are still being computed (or were cancelled), and why.
    void setPair(const PairResult& pair, const LossSpec& spec, const QString& pendingNote = {});
    // The value shown for a row ("mean", "sum", "accuracy", ...), for tests.
    QString valueText(const QString& key) const;
    QString noteText() const;

private:
    void addRow(const QString& key, const QString& title, const QString& value);

    QLabel* m_title;
    QLabel* m_note;
    QWidget* m_grid;
    QGridLayout* m_gridLayout;
    QHash<QString, QLabel*> m_values;
};

} // namespace shapescope
