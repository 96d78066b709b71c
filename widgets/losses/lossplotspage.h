// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/lossplot.h"
#include "plots/plotdata.h"
#include "plots/plotexport.h"
#include "session/session.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QTabWidget;
class QPushButton;
class QTableView;

namespace shapescope {

class HighestLossModel;
class LossHistogramPlot;
class PerBatchPlot;
class PerClassPlot;
class PerSamplePlot;
class SegmentationPanel;
class SampleInspector;
class TokenLossStrip;

// The losses tab: the four plot kinds (per sample, histogram, per class, per batch) for one
// run or pair at a time, the sample inspector, and the 20 highest-loss samples. Clicking a
// sample in the per-sample plot or the list opens it in the inspector. It reads only through
// the Session and the AnalysisResult it is given; the main window hosts it and calls the
// export slots from its File menu.
class LossPlotsPage : public QWidget
{
    Q_OBJECT

public:
    explicit LossPlotsPage(QWidget* parent = nullptr);
    ~LossPlotsPage() override;

    void setSession(std::shared_ptr<Session> session);
    // Shows an analysis of the dump at `dumpPath` (the path exports refuse to write over).
    void setResult(std::shared_ptr<const AnalysisResult> result, const QString& dumpPath);
    void clear();
    // What the page says while it has nothing to plot because the losses are still being
    // computed or were cancelled ("" once they are in).
    void setPendingNote(const QString& note);
    QString summaryText() const;

    std::shared_ptr<const AnalysisResult> result() const { return m_result; }
    const QString& dumpPath() const { return m_dumpPath; }
    bool hasResult() const { return m_result != nullptr; }

    const std::vector<PlotScope>& scopes() const { return m_scopes; }
    int currentScope() const;
    LossPlot* plot(PlotKind kind) const;
    LossPlot* currentPlot() const;
    PlotKind currentKind() const;
    PerSamplePlot* perSamplePlot() const { return m_perSample; }
    LossHistogramPlot* histogramPlot() const { return m_histogram; }
    PerClassPlot* perClassPlot() const { return m_perClass; }
    PerBatchPlot* perBatchPlot() const { return m_perBatch; }
    SampleInspector* inspector() const { return m_inspector; }
    TokenLossStrip* tokenStrip() const { return m_tokens; }
    // K-dim class-index pairs: the sample as images and the confusion matrix, in a second tab.
    SegmentationPanel* segmentationPanel() const { return m_segmentation; }
    QTabWidget* viewTabs() const { return m_views; }
    QTableView* highestLossView() const { return m_highestView; }
    QPushButton* nextNonFiniteButton() const { return m_nextNonFinite; }
    // Shows the next sample (after the one shown) whose loss is NaN or infinite.
    void showNextNonFinite();
    HighestLossModel* highestLossModel() const { return m_highest; }

    // The exports behind the File menu, without dialogs (errors as values).
    Status exportPlot(const QString& path, const PlotExportOptions& options) const;
    Status exportLosses(const QString& path) const;
    // JSON (as `check --json`) or Markdown (with a PNG plot beside it), by the suffix.
    Status exportReport(const QString& path) const;
    // Names to suggest: beside the dump, "run-per-batch.png", "run-losses.csv", "run-report.md".
    QString suggestedPath(const QString& suffix) const;

public Q_SLOTS:
    void setCurrentScope(int scope);
    void setCurrentKind(shapescope::PlotKind kind);
    // Selects the scope holding the pair, rings the sample and opens it in the inspector.
    void showSample(int pair, qint64 sample);
    void showPair(int pair);
    // File > Export Plot..., Export Losses..., Export Report...: ask, write, report failures.
    void exportPlotInteractive();
    void exportLossesInteractive();
    void exportReportInteractive();

Q_SIGNALS:
    void sampleActivated(int pair, qint64 sample);
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    void refreshScope();
    void reportExport(const Status& status, const QString& path);

    std::shared_ptr<Session> m_session;
    std::shared_ptr<const AnalysisResult> m_result;
    QString m_pendingNote;
    QString m_dumpPath;
    std::vector<PlotScope> m_scopes;
    PlotExportOptions m_lastPlotOptions;

    QComboBox* m_scopeBox;
    QLabel* m_summary;
    QTabWidget* m_tabs;
    PerSamplePlot* m_perSample;
    LossHistogramPlot* m_histogram;
    PerClassPlot* m_perClass;
    PerBatchPlot* m_perBatch;
    SampleInspector* m_inspector;
    TokenLossStrip* m_tokens;
    SegmentationPanel* m_segmentation;
    QTabWidget* m_views;
    HighestLossModel* m_highest;
    QTableView* m_highestView;
    QPushButton* m_nextNonFinite;
    int m_shownPair = -1; // the sample the inspector shows, where Next NaN starts
    qint64 m_shownSample = -1;
};

} // namespace shapescope
