// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QWidget>

namespace shapescope {

// One step as it flows: loader -> model -> loss, one cell per tensor with its batch size and
// shape. The stage where the batch changes (core's StepFlow::divergesAt) and the tensors that
// disagree are drawn in the error colour; a guessed pair says so.
class FlowStripView : public QWidget
{
    Q_OBJECT

public:
    explicit FlowStripView(QWidget* parent = nullptr);

    // Shows the step of `pair` in `result` (nothing when the pair has no step).
    void setStep(const AnalysisResult* result, int pair);
    bool hasStep() const { return !m_stages.empty(); }
    FlowStage divergesAt() const { return m_divergesAt; }
    // What the cells say, "inputs: 64 (64x3x32x32)", in drawing order; and those drawn in the
    // error colour.
    QStringList cellTexts() const;
    QStringList errorCells() const;
    // One line: "The batch changes in the model", for the title above the strip.
    QString summary() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Cell
    {
        QString name;
        QString detail; // "64 · 64x3x32x32"
        bool error = false;
        bool faint = false; // an extra that does not carry the batch
    };
    struct Stage
    {
        QString title;
        FlowStage stage = FlowStage::None; // the stage entered here breaks the flow when equal
        std::vector<Cell> cells;
    };
    int cellWidth(const Cell& cell) const;
    int stageWidth(const Stage& stage) const;

    std::vector<Stage> m_stages;
    FlowStage m_divergesAt = FlowStage::None;
    bool m_guessed = false;
};

} // namespace shapescope
