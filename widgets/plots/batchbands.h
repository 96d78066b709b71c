// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "qcustomplotinclude.h"

#include <QColor>
#include <QString>
#include <vector>

namespace shapescope {

// Alternating batch backgrounds, boundary lines and batch labels behind a plot's data, as one
// layerable: it draws only the bands in view and, where batches are narrower than a few
// pixels, skips ahead a pixel at a time, so thousands of batches cost what the screen's width
// costs (a QCPItemRect per batch would not). Highlighted bands (a short batch) are always drawn,
// at least two pixels wide.
class BatchBands : public QCPLayerable
{
    Q_OBJECT

public:
    struct Band
    {
        double begin = 0; // key coordinates
        double end = 0;
        QString label;
        QString shortLabel; // drawn when `label` does not fit
        QString tinyLabel;  // and when that does not either
        bool highlighted = false;
    };

    explicit BatchBands(QCPAxisRect* rect, const QString& layer);

    void setBands(std::vector<Band> bands);
    const std::vector<Band>& bands() const { return m_bands; }
    void setColors(const QColor& band, const QColor& highlight, const QColor& boundary,
                   const QColor& text);

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

private:
    size_t firstVisible(double key) const;

    QCPAxisRect* m_rect;
    std::vector<Band> m_bands;
    std::vector<size_t> m_highlighted;
    QColor m_band;
    QColor m_highlight;
    QColor m_boundary;
    QColor m_text;
};

} // namespace shapescope
