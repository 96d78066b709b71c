// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"
#include "plots/segmentationmapplot.h"
#include "session/session.h"
#include "state/latestjob.h"

#include <QWidget>
#include <memory>

class QButtonGroup;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace shapescope {

class ConfusionModel;
class SampleDetailLoader;

// The Losses tab's segmentation view, for a K-dim pair with class-index targets: the selected
// sample as images (target, prediction, errors, loss), one large zoomable map with a layer switch
// and a hover readout; beside it the pair's confusion matrix with per-class IoU and accuracy
// (computed by Session::confusion off the GUI thread), where clicking a cell lists the samples it
// happens in.
class SegmentationPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SegmentationPanel(QWidget* parent = nullptr);
    ~SegmentationPanel() override;

    void setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                   std::shared_ptr<const AnalysisResult> result);
    // Whether `pair` of the result is one this panel shows (class indices, two map axes).
    static bool isSegmentationPair(const AnalysisResult& result, int pair);
    void setClassNames(const QStringList& names);

    SegmentationMapPlot* mapPlot() const { return m_map; }
    QTableView* confusionView() const { return m_confusionView; }
    ConfusionModel* confusionModel() const { return m_confusion; }
    QListWidget* cellSamples() const { return m_cellSamples; }
    QLabel* readout() const { return m_readout; }
    int pair() const { return m_pair; }
    qint64 sample() const { return m_sample; }

    Status exportMap(const QString& path) const;
    Status exportConfusionCsv(const QString& path) const;

public Q_SLOTS:
    void showSample(int pair, qint64 sample);
    void setLayer(shapescope::MapLayer layer);
    // Lists the samples where `target` is predicted as `predicted`.
    void showCell(qint64 target, qint64 predicted);

Q_SIGNALS:
    void sampleActivated(int pair, qint64 sample);
    void confusionReady();
    void detailShown();

private:
    void startConfusion(int pair);

    std::shared_ptr<Session> m_session;
    QString m_dumpPath;
    std::shared_ptr<const AnalysisResult> m_result;
    int m_pair = -1;
    qint64 m_sample = -1;
    int m_confusionPair = -1;
    SampleDetailLoader* m_loader;
    LatestJob m_confusionJob{this};
    QButtonGroup* m_layers;
    SegmentationMapPlot* m_map;
    QLabel* m_title;
    QLabel* m_readout;
    QLabel* m_confusionTitle;
    ConfusionModel* m_confusion;
    QTableView* m_confusionView;
    QLabel* m_cellTitle;
    QListWidget* m_cellSamples;
    QPushButton* m_exportMap;
    QPushButton* m_exportCsv;
};

} // namespace shapescope
