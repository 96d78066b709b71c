// SPDX-License-Identifier: GPL-3.0-or-later
#include "batchbands.h"

#include <algorithm>
#include <cmath>

namespace shapescope {

namespace {
constexpr double kMinBandPixels = 3.0;     // narrower batches get no band of their own
constexpr double kMinBoundaryPixels = 6.0; // nor a boundary line
} // namespace

BatchBands::BatchBands(QCPAxisRect* rect, const QString& layer)
    : QCPLayerable(rect->parentPlot(), layer), m_rect(rect)
{}

void BatchBands::setBands(std::vector<Band> bands)
{
    m_bands = std::move(bands);
    m_highlighted.clear();
    for (size_t i = 0; i < m_bands.size(); ++i) {
        if (m_bands[i].highlighted)
            m_highlighted.push_back(i);
    }
}

void BatchBands::setColors(const QColor& band, const QColor& highlight, const QColor& boundary,
                           const QColor& text)
{
    m_band = band;
    m_highlight = highlight;
    m_boundary = boundary;
    m_text = text;
}

void BatchBands::applyDefaultAntialiasingHint(QCPPainter* painter) const
{
    painter->setAntialiasing(false);
}

QRect BatchBands::clipRect() const
{
    return m_rect->rect();
}

size_t BatchBands::firstVisible(double key) const
{
    auto it = std::lower_bound(m_bands.begin(), m_bands.end(), key,
                               [](const Band& band, double k) { return band.end < k; });
    return static_cast<size_t>(it - m_bands.begin());
}

void BatchBands::draw(QCPPainter* painter)
{
    if (m_bands.empty())
        return;
    QCPAxis* keyAxis = m_rect->axis(QCPAxis::atBottom);
    const QCPRange range = keyAxis->range();
    const QRect rect = m_rect->rect();
    const double top = rect.top();
    const double height = rect.height();
    const QFontMetrics metrics(painter->font());
    painter->setPen(Qt::NoPen);

    // Bands and boundaries, a pixel at a time where batches are dense.
    std::vector<double> boundaries;
    std::vector<std::pair<QRectF, QString>> labels;
    size_t i = firstVisible(range.lower);
    while (i < m_bands.size() && m_bands[i].begin <= range.upper) {
        const Band& band = m_bands[i];
        const double x0 = keyAxis->coordToPixel(band.begin);
        const double x1 = keyAxis->coordToPixel(band.end);
        if (x1 - x0 < kMinBandPixels) {
            // Jump to the band under the next few pixels: thousands of batches on a 1000-pixel
            // axis cost a thousand steps, not thousands.
            const double nextKey = keyAxis->pixelToCoord(x0 + kMinBandPixels);
            const size_t next = firstVisible(nextKey);
            i = std::max(next, i + 1);
            continue;
        }
        if (i % 2 == 1)
            painter->fillRect(QRectF(x0, top, x1 - x0, height), m_band);
        if (x1 - x0 >= kMinBoundaryPixels && i > 0)
            boundaries.push_back(x0);
        const QRectF box(x0, top + 2, x1 - x0, metrics.height());
        if (!band.label.isEmpty() && x1 - x0 > metrics.horizontalAdvance(band.label) + 8)
            labels.push_back({box, band.label});
        else if (!band.shortLabel.isEmpty() &&
                 x1 - x0 > metrics.horizontalAdvance(band.shortLabel) + 4)
            labels.push_back({box, band.shortLabel});
        else if (!band.tinyLabel.isEmpty() &&
                 x1 - x0 > metrics.horizontalAdvance(band.tinyLabel) + 2)
            labels.push_back({box, band.tinyLabel});
        ++i;
    }
    for (size_t h : m_highlighted) {
        const Band& band = m_bands[h];
        if (band.end < range.lower || band.begin > range.upper)
            continue;
        double x0 = keyAxis->coordToPixel(band.begin);
        double x1 = keyAxis->coordToPixel(band.end);
        if (x1 - x0 < 2) {
            const double middle = (x0 + x1) / 2;
            x0 = middle - 1;
            x1 = middle + 1;
        }
        painter->fillRect(QRectF(x0, top, x1 - x0, height), m_highlight);
    }
    painter->setPen(QPen(m_boundary, 1, Qt::DashLine));
    for (double x : boundaries)
        painter->drawLine(QLineF(x, top, x, top + height));
    painter->setPen(m_text);
    for (const auto& [box, text] : labels)
        painter->drawText(box, Qt::AlignHCenter | Qt::AlignTop, text);
}

} // namespace shapescope
