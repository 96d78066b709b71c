// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/confusion.h"
#include "plotstyle.h"

#include <QStringList>
#include <QWidget>
#include <memory>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPTextElement;

namespace shapescope {

// A confusion matrix as a heatmap: row = target class, column = prediction, each cell shaded by
// the share of its row (so rare classes read as well as common ones) and, for up to 30 classes,
// labelled with its position count. The title gives the mean IoU and the pixel accuracy; the
// colour scale is the row share. `shapescope plot --kind confusion` exports it.
class ConfusionPlot : public QWidget
{
    Q_OBJECT

public:
    explicit ConfusionPlot(QWidget* parent = nullptr);
    ~ConfusionPlot() override;

    void setMatrix(std::shared_ptr<const ConfusionMatrix> matrix);
    void setClassNames(const QStringList& names);
    QCustomPlot* customPlot() const { return m_plot; }
    QString title() const;
    // The cell under a point of the widget: (target, prediction), or (-1, -1).
    std::pair<qint64, qint64> cellAt(const QPointF& pos) const;

Q_SIGNALS:
    void cellClicked(qint64 target, qint64 predicted);

protected:
    void changeEvent(QEvent* event) override;

private:
    void redraw();

    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    PlotColors m_colors;
    std::shared_ptr<const ConfusionMatrix> m_matrix;
    QStringList m_names;
};

} // namespace shapescope
