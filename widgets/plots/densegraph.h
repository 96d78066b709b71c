// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "qcustomplotinclude.h"

#include <vector>

namespace shapescope {

// A scatter graph that stays fast with millions of points. While few points are in view it is
// a plain QCPGraph (vector discs, crisp in PDF and SVG). When there are more than a few per
// pixel column, QCustomPlot's scatter sampling still draws hundreds of thousands of
// antialiased discs (over a second for 10 M points), so the graph instead counts its visible
// points into a device-pixel grid in one pass and draws that as an image: each occupied pixel
// in the graph's colour, more opaque where points pile up. The data stays in the QCPGraph's
// container (setData(keys, values, true)); nothing is copied.
class DenseScatterGraph : public QCPGraph
{
    Q_OBJECT

public:
    DenseScatterGraph(QCPAxis* keyAxis, QCPAxis* valueAxis);

    // Visible points above which the density image is drawn (and at least 3 per pixel column).
    void setDenseThreshold(int points) { m_denseThreshold = points; }
    // True when the last draw used the density image.
    bool drewDense() const { return m_drewDense; }

protected:
    void draw(QCPPainter* painter) override;

private:
    void drawDense(QCPPainter* painter, QCPGraphDataContainer::const_iterator begin,
                   QCPGraphDataContainer::const_iterator end);

    int m_denseThreshold = 20000;
    bool m_drewDense = false;
    std::vector<quint32> m_counts; // kept between draws: 10 M points replot often
    std::vector<quint8> m_alphaOfCount;
};

} // namespace shapescope
