// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QWidget>
#include <memory>

class QLabel;
class QScrollArea;
class QSplitter;
class QStackedWidget;
class QVBoxLayout;

namespace shapescope {

class DiagnosticCard;
class FlowStripView;
class LossSummaryPanel;
class PairHeader;
class RunStripView;
class SelectionCoordinator;
class ShapeBenchView;
class TransformStrip;

// The first tab: the selected pair on the shape bench (axes aligned by role, the mismatched
// one red, PyTorch's text under it), its diagnostics explained with a copyable fix beside it,
// its loss summary, and for a run of batches the strip of all batches.
class ShapeBenchPage : public QWidget
{
    Q_OBJECT

public:
    explicit ShapeBenchPage(SelectionCoordinator* selection, QWidget* parent = nullptr);

    // `pendingNote` non-empty: the result is the quick pass (no losses, values unchecked), and
    // the note says what is still to come ("Computing losses...").
    void setResult(std::shared_ptr<const AnalysisResult> result, const QString& pendingNote = {});
    // Shown instead of the bench while there is no result ("Analyzing...", "cancelled").
    void setPlaceholder(const QString& text);

    // What the page shows, for tests and accessibility.
    bool isShowingPair() const;
    QString titleText() const;
    QString verdictText() const;
    QString pytorchText() const;
    QString placeholderText() const;
    ShapeBenchView* benchView() const { return m_bench; }
    RunStripView* runStrip() const { return m_runStrip; }
    FlowStripView* flowStrip() const { return m_flowStrip; }
    LossSummaryPanel* lossPanel() const { return m_loss; }
    QList<DiagnosticCard*> cards() const;
    TransformStrip* transformStrip() const { return m_transforms; }

Q_SIGNALS:
    // A card's "Apply to the Dump", and the strip's undo and clear: the workspace acts on them.
    void applyRequested(const QStringList& statements);
    void removeTransformRequested(int index);
    void clearTransformsRequested();

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void buildContent();
    void refresh();
    int benchColumnWidth() const;
    // Side by side when both columns fit, else stacked; `newContent` re-fits stacked heights.
    void fitColumns(bool newContent = false);
    void showCards(const std::vector<int>& diagnostics, int selected);

    SelectionCoordinator* m_selection;
    std::shared_ptr<const AnalysisResult> m_result;
    QString m_pendingNote;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    TransformStrip* m_transforms;
    PairHeader* m_header;
    ShapeBenchView* m_bench;
    QLabel* m_pytorchCaption;
    QLabel* m_pytorchText;
    QLabel* m_flowTitle;
    FlowStripView* m_flowStrip;
    QLabel* m_runTitle;
    RunStripView* m_runStrip;
    QVBoxLayout* m_cardsLayout;
    QList<DiagnosticCard*> m_cards;
    QLabel* m_healthy;
    LossSummaryPanel* m_loss;
    QSplitter* m_splitter = nullptr;
    QScrollArea* m_leftArea = nullptr;
    QScrollArea* m_rightArea = nullptr;
    bool m_splitSet = false;
    bool m_refreshing = false;
};

} // namespace shapescope
