// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace shapescope {

class ElidedLabel;
class SelectionCoordinator;

// The shape bench's title row: which pair is shown ("Pair 4 of 8: logits -> labels"), the
// verdict on it in its colour, and the pager (previous, a chooser of every pair, next).
class PairHeader : public QWidget
{
    Q_OBJECT

public:
    explicit PairHeader(SelectionCoordinator* selection, QWidget* parent = nullptr);

    // Fills the chooser with the result's pairs, each with its worst severity.
    void setResult(const AnalysisResult* result);
    void showPair(int pair);
    // A title that is not a pair's ("No output/target pair found"); clears the chooser.
    void showTitle(const QString& title);
    // The verdict from the worst severity among the diagnostics shown (-1 for none).
    void setVerdict(int severity, bool pytorchRaises, bool paired, bool valuesPending);

    QString titleText() const;
    QString verdictText() const;

private:
    void updatePager(int pair);

    SelectionCoordinator* m_selection;
    const AnalysisResult* m_result = nullptr;
    ElidedLabel* m_title;
    QLabel* m_verdictIcon;
    QLabel* m_verdict;
    QToolButton* m_previous;
    QToolButton* m_next;
    QComboBox* m_chooser;
};

} // namespace shapescope
