// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QWidget>

namespace shapescope {

// A run of batches as a strip of bars, one per batch, as tall as the batch is large: the
// ragged batch (a size unlike the others) stands out in the warning colour, batches PyTorch
// rejects in red, and the batch on the bench is outlined. Clicking a bar selects its pair.
class RunStripView : public QWidget
{
    Q_OBJECT

public:
    explicit RunStripView(QWidget* parent = nullptr);

    // Shows run `run` of `result` (nothing when out of range), outlining `currentPair`.
    void setRun(const AnalysisResult* result, int run, int currentPair);
    int batchCount() const { return int(m_bars.size()); }
    // Positions (in the run) of batches whose size differs from the most common one.
    QList<int> raggedBatches() const;
    qint64 typicalSize() const { return m_typical; }
    // Positions of batches whose step's flow breaks (the batch changes between the loader and
    // the loss, StepFlow::divergesAt): marked under their bars in the error colour.
    QList<int> flowBreaks() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void pairClicked(int pair);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Bar
    {
        int pair = -1;
        QString group;
        qint64 size = 0;
        double meanLoss = 0;
        bool ragged = false;
        int severity = -1;
        FlowStage flowBreak = FlowStage::None;
    };
    QRect plotArea() const;
    QRect barRect(int index) const;
    int barAt(const QPoint& pos) const;

    std::vector<Bar> m_bars;
    int m_current = -1;
    qint64 m_max = 0;
    qint64 m_typical = 0;
};

} // namespace shapescope
