// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"

#include <QWidget>
#include <memory>

class QCustomPlot;
class QCPColorMap;
class QCPItemRect;

namespace shapescope {

// The inspector's maps for K-dim input: the per-position loss and the target class of one
// sample side by side, square cells, the selected position framed. Hidden for (N, C) input.
class SampleMaps : public QWidget
{
    Q_OBJECT

public:
    explicit SampleMaps(QWidget* parent = nullptr);

    // Draws `detail` (null: hides) with `position` framed.
    void setDetail(std::shared_ptr<const SampleDetail> detail, qint64 position);
    QCustomPlot* lossPlot() const { return m_lossMap; }
    QCustomPlot* targetPlot() const { return m_targetMap; }

Q_SIGNALS:
    // A position of the map was clicked (row-major).
    void positionClicked(qint64 position);

protected:
    void changeEvent(QEvent* event) override;

private:
    void redraw();
    void restyle();
    void onMapClicked(QCustomPlot* plot, QCPColorMap* map, const QPointF& pos);

    std::shared_ptr<const SampleDetail> m_detail;
    qint64 m_position = 0;
    QCustomPlot* m_lossMap;
    QCustomPlot* m_targetMap;
    QCPColorMap* m_lossColors;
    QCPColorMap* m_targetColors;
    QCPItemRect* m_lossCursor;
    QCPItemRect* m_targetCursor;
};

} // namespace shapescope
