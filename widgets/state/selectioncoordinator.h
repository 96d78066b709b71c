// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QObject>
#include <QStringList>
#include <memory>
#include <optional>

namespace shapescope {

// The one "current pair" of the window, so the tree, the shape bench and the diagnostics table
// agree: each view reports what the user picked here and shows what selectionChanged() says.
// A new analysis of the same dump keeps the user's selection by tensor path (reload, new
// settings); otherwise the first pair with an error is selected, so the problem shows without
// a click.
class SelectionCoordinator : public QObject
{
    Q_OBJECT

public:
    explicit SelectionCoordinator(QObject* parent = nullptr);

    // A new dump: forget the selection unless it is the same file reloaded.
    void resetForDump(bool keepSelection);
    void setAnalysis(std::shared_ptr<const AnalysisResult> result);
    void clearAnalysis();

    std::shared_ptr<const AnalysisResult> result() const { return m_result; }
    int currentPair() const { return m_pair; }
    int currentDiagnostic() const { return m_diagnostic; }
    const QStringList& selectedTensors() const { return m_tensors; }
    // The pair a tensor belongs to (as input or target), -1 if none.
    int pairOfTensor(const QString& path) const;
    // The pair to show first: with an error, else with a warning, else the first; -1 if none.
    int defaultPair() const;

public Q_SLOTS:
    void selectTensor(const QString& path);
    void selectPair(int pair);
    void selectDiagnostic(int index);
    void selectNextPair(int step);
    void selectNextDiagnostic(int step);
    void clear();

Q_SIGNALS:
    void selectionChanged();

private:
    void apply(int pair, int diagnostic, const QStringList& tensors);
    int firstDiagnosticOfPair(int pair, Severity atLeast) const;
    int lowestPairWith(Severity severity) const;
    bool restoreSelection();

    std::shared_ptr<const AnalysisResult> m_result;
    int m_pair = -1;
    int m_diagnostic = -1;
    QStringList m_tensors;
    // What was selected before the analysis was replaced, to find it again in the new one.
    std::optional<DiagCode> m_keptDiagnosticCode;
    bool m_automatic = true; // the selection is the default one, not the user's choice
};

} // namespace shapescope
