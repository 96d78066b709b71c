// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"
#include "samplemaps.h"
#include "session/session.h"

#include <QWidget>
#include <memory>

class QCustomPlot;
class QCPBars;
class QCPColorMap;
class QCPGraph;
class QCPItemRect;
class QCPItemText;
class QAbstractButton;
class QHBoxLayout;
class QLabel;
class QSpinBox;

namespace shapescope {

class SampleDetailLoader;
class TopClassesPanel;

// One sample, looked at closely: its logits and probabilities as bars with the target class
// highlighted and the prediction marked, its loss; for K-dim input also the per-position loss
// and the target as colour maps (click a position to see its class vector). Numbers come from
// SampleDetail, computed with the analysis's kernels from values read through the Session.
class SampleInspector : public QWidget
{
    Q_OBJECT

public:
    explicit SampleInspector(QWidget* parent = nullptr);
    ~SampleInspector() override;

    void setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                   std::shared_ptr<const AnalysisResult> result);
    void clear();

    int pair() const { return m_pair; }
    qint64 sample() const { return m_sample; }
    qint64 position() const { return m_position; }
    // The shown detail, or null while loading or when nothing is shown.
    const SampleDetail* detail() const { return m_detail.get(); }
    QString headerText() const;
    QString statusText() const;
    QCustomPlot* barPlot() const { return m_bars; }
    QCustomPlot* lossMapPlot() const { return m_maps->lossPlot(); }
    QCustomPlot* targetMapPlot() const { return m_maps->targetPlot(); }
    TopClassesPanel* topClasses() const { return m_topClasses; }
    QAbstractButton* showValuesButton() const { return m_showValues; }
    // The shown pair's class names (PairResult::classNames); empty when none.
    QStringList classNames() const
    {
        return m_result && m_pair >= 0 && m_pair < static_cast<int>(m_result->pairs.size())
                   ? m_result->pairs[static_cast<size_t>(m_pair)].classNames
                   : QStringList();
    }

public Q_SLOTS:
    void showSample(int pair, qint64 sample);
    // For inputs with more than two spatial axes: the index of each axis not on the map.
    void setSliceIndex(const std::vector<qint64>& index);
    // Shows the class vector of a position of the map (row-major).
    void selectPosition(qint64 position);

Q_SIGNALS:
    void detailShown(int pair, qint64 sample);
    // The user clicked one of the shown sample's plots.
    void sampleClicked(int pair, qint64 sample);
    void loadFailed(const QString& message);
    // "Show values": the sample's row (`row` along axis 0) of the pair's input tensor (an index
    // into DumpSummary::tensors), for the Values tab.
    void valuesRequested(int tensor, qint64 row);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onLoaded(std::shared_ptr<const SampleDetail> detail);
    void onFailed(int pair, qint64 sample, const QString& message);
    void showDetail();
    void updateBars();
    void updateMaps();
    void updateHeader();
    void rebuildSliceBoxes();
    void restyle();

    SampleDetailLoader* m_loader;
    std::shared_ptr<const AnalysisResult> m_result;
    std::shared_ptr<const SampleDetail> m_detail;
    int m_pair = -1;
    qint64 m_sample = -1;
    qint64 m_position = 0;
    std::vector<qint64> m_sliceIndex;

    QLabel* m_header;
    QAbstractButton* m_showValues;
    QWidget* m_sliceRow;
    QHBoxLayout* m_sliceLayout;
    SampleMaps* m_maps;
    QCustomPlot* m_bars;
    QCPBars* m_logits;
    QCPBars* m_logitsTarget;
    QCPBars* m_probabilities;
    QCPBars* m_probabilitiesTarget;
    QCPGraph* m_targetDistribution;
    QCPItemText* m_predictedLabel;
    QCPItemText* m_targetLabel;
    TopClassesPanel* m_topClasses;
    QLabel* m_status;
};

} // namespace shapescope
