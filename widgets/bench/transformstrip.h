// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QFrame>

class QVBoxLayout;
class QLabel;
class QPushButton;

namespace shapescope {

// Above the bench while fixes are tried on the data: each applied transform in PyTorch syntax
// with a button that undoes it, "Copy as code", "Clear", and the verdict before and after
// ("was: Expected target size [16, 12], got [16, 50]; now: accepted, mean loss 2.48").
// Hidden when nothing is applied.
class TransformStrip : public QFrame
{
    Q_OBJECT

public:
    explicit TransformStrip(QWidget* parent = nullptr);

    void setResult(const AnalysisResult* result);
    QString verdictText() const;
    // The applied statements as code, one per line (what Copy as code puts on the clipboard).
    QString code() const;

Q_SIGNALS:
    void removeRequested(int index);
    void clearRequested();

private:
    QVBoxLayout* m_items;
    QList<QPushButton*> m_undo;
    QLabel* m_verdict;
    QStringList m_applied;
    QString m_code; // transformsCode(): what Copy as Code copies
};

} // namespace shapescope
