// SPDX-License-Identifier: GPL-3.0-or-later
#include "segmentationmapplot.h"

#include "analysis/confusion.h"
#include "classpalette.h"
#include "integerticker.h"
#include "qcustomplotinclude.h"

#include <QEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>

namespace shapescope {

namespace {

// A legend entry that is a colour swatch and a label (the maps have no plottable per class).
class SwatchItem : public QCPAbstractLegendItem
{
public:
    SwatchItem(QCPLegend* legend, const QString& text, const QColor& color)
        : QCPAbstractLegendItem(legend), m_text(text), m_color(color)
    {}
    QString text() const { return m_text; }

protected:
    void draw(QCPPainter* painter) override
    {
        const QRect r = mRect;
        const int side = QFontMetrics(mFont).height() - 2;
        const QRect swatch(r.left(), r.top() + (r.height() - side) / 2, side, side);
        painter->setPen(QPen(mTextColor, 0.5));
        painter->setBrush(m_color);
        painter->drawRect(swatch);
        painter->setFont(mFont);
        painter->setPen(mTextColor);
        painter->drawText(QRect(swatch.right() + 6, r.top(), r.width(), r.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, m_text);
    }
    QSize minimumOuterSizeHint() const override
    {
        const QFontMetrics metrics(mFont);
        return QSize(metrics.height() + 6 + metrics.horizontalAdvance(m_text), metrics.height()) +
               QSize(mMargins.left() + mMargins.right(), mMargins.top() + mMargins.bottom());
    }

private:
    QString m_text;
    QColor m_color;
};

// A sequential scale (dark blue to yellow) for losses: no wrap, readable on both themes.
QCPColorGradient lossGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    gradient.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    gradient.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    gradient.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    gradient.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    return gradient;
}

constexpr int kMaxLegendClasses = 24;

} // namespace

QString mapLayerName(MapLayer layer)
{
    switch (layer) {
    case MapLayer::Target:
        return QStringLiteral("target-map");
    case MapLayer::Predicted:
        return QStringLiteral("predicted-map");
    case MapLayer::Errors:
        return QStringLiteral("error-map");
    case MapLayer::Loss:
        return QStringLiteral("loss-map");
    case MapLayer::Input:
        return QStringLiteral("input-map");
    }
    return {};
}

QString mapLayerTitle(MapLayer layer)
{
    switch (layer) {
    case MapLayer::Target:
        return QObject::tr("Target");
    case MapLayer::Predicted:
        return QObject::tr("Prediction");
    case MapLayer::Errors:
        return QObject::tr("Errors");
    case MapLayer::Loss:
        return QObject::tr("Loss");
    case MapLayer::Input:
        return QObject::tr("Input");
    }
    return {};
}

std::optional<MapLayer> mapLayerFromName(const QString& name)
{
    for (MapLayer layer : kAllMapLayers) {
        if (mapLayerName(layer) == name)
            return layer;
    }
    return std::nullopt;
}

SegmentationMapPlot::SegmentationMapPlot(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), -1, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->xAxis->setTicker(QSharedPointer<IntegerTicker>::create(m_plot->xAxis));
    m_plot->yAxis->setTicker(QSharedPointer<IntegerTicker>::create(m_plot->yAxis));
    m_plot->xAxis->setLabel(QStringLiteral("W"));
    m_plot->yAxis->setLabel(QStringLiteral("H"));
    m_plot->yAxis->setRangeReversed(true); // row 0 at the top, as an image
    m_pixmap = new QCPItemPixmap(m_plot);
    m_pixmap->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    m_pixmap->topLeft->setType(QCPItemPosition::ptPlotCoords);
    m_pixmap->bottomRight->setType(QCPItemPosition::ptPlotCoords);
    m_pixmap->setClipToAxisRect(true);
    // Beside the map: the legend at the top of a column (an empty element below takes the
    // rest), or the loss colour scale over its whole height.
    m_side = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 1, m_side);
    m_side->addElement(1, 0, new QCPLayoutElement(m_plot));
    m_legend = new QCPLegend;
    m_side->addElement(0, 0, m_legend);
    m_legend->setLayer(QStringLiteral("legend"));
    m_legend->setVisible(false);
    m_scale = new QCPColorScale(m_plot);
    m_scale->setGradient(lossGradient());
    m_scale->setLabel(tr("loss"));
    m_scale->setVisible(false);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    connect(m_plot, &QCustomPlot::afterLayout, this, &SegmentationMapPlot::keepPixelsSquare);
    connect(m_plot, &QCustomPlot::mouseMove, this, &SegmentationMapPlot::onMouseMove);
    // Room right of the legend's frame, so the widget's edge does not cut it.
    m_side->setMargins(QMargins(4, 0, 8, 0));
    restyle();
    redraw();
}

void SegmentationMapPlot::restyle()
{
    m_colors = PlotColors::from(palette());
    applyPlotColors(m_plot, m_colors);
    m_title->setTextColor(m_colors.text);
    m_legend->setTextColor(m_colors.text);
    m_legend->setBrush(m_colors.background);
    m_legend->setBorderPen(QPen(m_colors.axis));
    m_scale->axis()->setLabelColor(m_colors.text);
    m_scale->axis()->setTickLabelColor(m_colors.text);
    m_scale->axis()->setBasePen(QPen(m_colors.axis));
    m_scale->axis()->setTickPen(QPen(m_colors.axis));
    m_scale->axis()->setSubTickPen(QPen(m_colors.axis));
}

SegmentationMapPlot::~SegmentationMapPlot()
{
    // The colour scale or the legend, when out of the layout, is ours to delete.
    if (!m_scale->layout())
        delete m_scale;
    if (!m_legend->layout())
        delete m_legend;
}

void SegmentationMapPlot::setDetail(std::shared_ptr<const SampleDetail> detail)
{
    const bool sameShape = m_detail && detail && m_detail->mapShape == detail->mapShape;
    m_detail = std::move(detail);
    redraw();
    if (!sameShape)
        resetView();
}

void SegmentationMapPlot::setInputImage(const QImage& image)
{
    m_inputImage = image;
    if (m_layer == MapLayer::Input)
        redraw();
}

void SegmentationMapPlot::setLayer(MapLayer layer)
{
    m_layer = layer;
    redraw();
}

void SegmentationMapPlot::setClassNames(const QStringList& names)
{
    m_names = names;
    redraw();
}

QStringList SegmentationMapPlot::legendEntries() const
{
    QStringList entries;
    for (int i = 0; i < m_legend->itemCount(); ++i) {
        if (const auto* swatch = dynamic_cast<const SwatchItem*>(m_legend->item(i)))
            entries << swatch->text();
    }
    return entries;
}

void SegmentationMapPlot::fillLegend(const std::vector<std::pair<QString, QColor>>& entries)
{
    m_legend->clearItems();
    for (const auto& [text, color] : entries)
        m_legend->addItem(new SwatchItem(m_legend, text, color));
    m_legend->setVisible(!entries.empty());
}

void SegmentationMapPlot::drawClasses(bool predicted)
{
    const SampleDetail& d = *m_detail;
    const auto cols = int(d.mapShape.back());
    const OutcomeColors outcome = outcomeColors(m_colors.dark);
    std::set<qint64> present;
    for (qint64 p = 0; p < d.positions(); ++p) {
        QColor color;
        const qint64 id = predicted ? qint64(d.predicted[size_t(p)]) : d.target[size_t(p)];
        if (!predicted && d.ignored[size_t(p)])
            color = outcome.ignored;
        else if (id < 0 || id >= d.classes)
            color = outcome.unscorable;
        else {
            color = classColor(id);
            present.insert(id);
        }
        m_image.setPixel(int(p % cols), int(p / cols), color.rgb());
    }
    std::vector<std::pair<QString, QColor>> entries;
    for (const qint64 id : present) {
        if (entries.size() == size_t(kMaxLegendClasses)) {
            entries.emplace_back(tr("… %1 more").arg(present.size() - entries.size()),
                                 m_colors.background);
            break;
        }
        entries.emplace_back(classLabel(m_names, id), classColor(id));
    }
    if (!predicted && std::any_of(d.ignored.begin(), d.ignored.end(), [](quint8 i) { return i; }))
        entries.emplace_back(tr("ignored (%1)").arg(d.ignoreIndex), outcome.ignored);
    fillLegend(entries);
}

void SegmentationMapPlot::drawErrors()
{
    const SampleDetail& d = *m_detail;
    const auto cols = int(d.mapShape.back());
    const OutcomeColors c = outcomeColors(m_colors.dark);
    const std::vector<PositionOutcome> outcomes = positionOutcomes(d);
    qint64 counts[4] = {0, 0, 0, 0};
    for (size_t p = 0; p < outcomes.size(); ++p) {
        const QColor colors[4] = {c.correct, c.wrong, c.ignored, c.unscorable};
        const auto kind = size_t(outcomes[p]);
        ++counts[kind];
        m_image.setPixel(int(p % size_t(cols)), int(p / size_t(cols)), colors[kind].rgb());
    }
    std::vector<std::pair<QString, QColor>> entries{{tr("correct (%1)").arg(counts[0]), c.correct},
                                                    {tr("wrong (%1)").arg(counts[1]), c.wrong}};
    if (counts[2] > 0)
        entries.emplace_back(tr("ignored (%1)").arg(counts[2]), c.ignored);
    if (counts[3] > 0)
        entries.emplace_back(tr("no prediction or target out of range (%1)").arg(counts[3]),
                             c.unscorable);
    fillLegend(entries);
}

void SegmentationMapPlot::drawLoss()
{
    const SampleDetail& d = *m_detail;
    const auto cols = int(d.mapShape.back());
    double high = 0;
    for (const double loss : d.loss) {
        if (std::isfinite(loss))
            high = std::max(high, loss);
    }
    const QCPRange range(0, high > 0 ? high : 1);
    QCPColorGradient gradient = lossGradient();
    const QColor ignored = outcomeColors(m_colors.dark).ignored;
    for (qint64 p = 0; p < d.positions(); ++p) {
        const double loss = d.loss[size_t(p)];
        const QRgb rgb = std::isfinite(loss) ? gradient.color(loss, range) : ignored.rgb();
        m_image.setPixel(int(p % cols), int(p / cols), rgb);
    }
    m_scale->setDataRange(range);
    if (m_legend->layout())
        m_side->take(m_legend);
    m_side->addElement(0, 0, m_scale);
    m_scale->setVisible(true);
    m_side->setRowStretchFactors({1.0, 0.001});
}

void SegmentationMapPlot::redraw()
{
    m_legend->clearItems();
    m_legend->setVisible(false);
    if (m_scale->layout())
        m_side->take(m_scale);
    m_scale->setVisible(false);
    if (!m_legend->layout())
        m_side->addElement(0, 0, m_legend);
    m_side->setRowStretchFactors({0.001, 1.0});
    m_image = QImage();
    const bool hasMap = m_detail && m_detail->mapShape.size() == 2 && m_detail->positions() > 0;
    QString title = mapLayerTitle(m_layer);
    if (hasMap) {
        title = tr("%1 · sample %2").arg(title).arg(m_detail->sample);
        if (!m_detail->wholeSample) {
            QStringList index;
            for (const qint64 i : m_detail->sliceIndex)
                index << QString::number(i);
            title += tr(" · slice %1").arg(index.join(QStringLiteral(", ")));
        }
        const auto rows = int(m_detail->mapShape[0]), cols = int(m_detail->mapShape[1]);
        if (m_layer == MapLayer::Input) {
            if (!m_inputImage.isNull() && m_inputImage.size() == QSize(cols, rows))
                m_image = m_inputImage.convertToFormat(QImage::Format_RGB32);
            else
                title = tr("Input · the dump holds no input image of this sample's size");
        } else {
            m_image = QImage(cols, rows, QImage::Format_RGB32);
            m_image.fill(m_colors.background);
            if (m_layer == MapLayer::Target || m_layer == MapLayer::Predicted)
                drawClasses(m_layer == MapLayer::Predicted);
            else if (m_layer == MapLayer::Errors)
                drawErrors();
            else
                drawLoss();
        }
    } else if (m_detail) {
        title = tr("%1 · this sample has no map").arg(title);
    }
    m_title->setText(title);
    if (!m_image.isNull())
        m_pixmap->setPixmap(QPixmap::fromImage(m_image));
    m_pixmap->setVisible(!m_image.isNull());
    if (hasMap) {
        m_pixmap->topLeft->setCoords(-0.5, -0.5);
        m_pixmap->bottomRight->setCoords(double(m_detail->mapShape[1]) - 0.5,
                                         double(m_detail->mapShape[0]) - 0.5);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SegmentationMapPlot::resetView()
{
    if (!m_detail || m_detail->mapShape.size() != 2)
        return;
    // A hidden widget (the CLI's) gets its plot's size only now, and no resize event.
    layout()->activate();
    m_plot->setViewport(m_plot->rect());
    m_plot->replot(QCustomPlot::rpImmediateRefresh); // lays out the axis rect at this size
    const QRect rect = m_plot->axisRect()->rect();
    const double rows = double(m_detail->mapShape[0]), cols = double(m_detail->mapShape[1]);
    const double scale =
        std::max(1e-9, std::min(rect.width() / cols, rect.height() / std::max(rows, 1.0)));
    const double width = rect.width() / scale, height = rect.height() / scale;
    m_plot->xAxis->setRange(cols / 2 - 0.5 - width / 2, cols / 2 - 0.5 + width / 2);
    m_plot->yAxis->setRange(rows / 2 - 0.5 - height / 2, rows / 2 - 0.5 + height / 2);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SegmentationMapPlot::keepPixelsSquare()
{
    // After every layout (a resize, a legend that grew): the y range follows the x scale.
    if (m_plot->axisRect()->width() > 0 && m_plot->axisRect()->height() > 0)
        m_plot->yAxis->setScaleRatio(m_plot->xAxis, 1.0);
}

void SegmentationMapPlot::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SegmentationMapPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
        redraw();
    }
}

std::optional<std::pair<qint64, qint64>> SegmentationMapPlot::positionAt(const QPointF& pos) const
{
    if (!m_detail || m_detail->mapShape.size() != 2 ||
        !m_plot->axisRect()->rect().contains(pos.toPoint()))
        return std::nullopt;
    const auto column = qint64(std::floor(m_plot->xAxis->pixelToCoord(pos.x()) + 0.5));
    const auto row = qint64(std::floor(m_plot->yAxis->pixelToCoord(pos.y()) + 0.5));
    if (row < 0 || column < 0 || row >= m_detail->mapShape[0] || column >= m_detail->mapShape[1])
        return std::nullopt;
    return std::pair{row, column};
}

QString SegmentationMapPlot::readoutAt(qint64 row, qint64 column) const
{
    if (!m_detail || m_detail->mapShape.size() != 2 || row < 0 || column < 0 ||
        row >= m_detail->mapShape[0] || column >= m_detail->mapShape[1])
        return {};
    const SampleDetail& d = *m_detail;
    const auto p = size_t(row * d.mapShape[1] + column);
    auto number = [](double v) {
        return std::isnan(v) ? QStringLiteral("—") : QString::number(v, 'g', 4);
    };
    const QString target =
        d.ignored[p] ? tr("ignored (%1)").arg(d.target[p]) : classLabel(m_names, d.target[p]);
    const QString prediction =
        d.predicted[p] < 0 ? tr("none (NaN)") : classLabel(m_names, d.predicted[p]);
    return tr("pixel (h %1, w %2) · target %3 · prediction %4 · loss %5 · p(target) %6")
        .arg(row)
        .arg(column)
        .arg(target, prediction, number(d.loss[p]), number(d.pTarget[p]));
}

void SegmentationMapPlot::onMouseMove(QMouseEvent* event)
{
    const auto at = positionAt(event->position());
    const QString text = at ? readoutAt(at->first, at->second) : QString();
    if (text != m_readout) {
        m_readout = text;
        Q_EMIT readoutChanged(text);
    }
}

} // namespace shapescope
