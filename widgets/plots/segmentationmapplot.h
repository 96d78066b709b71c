// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"
#include "plotstyle.h"

#include <QImage>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <optional>

class QCustomPlot;
class QCPColorScale;
class QCPItemPixmap;
class QCPLayoutGrid;
class QCPLegend;
class QCPTextElement;

namespace shapescope {

// What a segmentation map shows of one sample.
enum class MapLayer
{
    Target,    // the target mask
    Predicted, // argmax over the classes
    Errors,    // prediction != target, ignored positions apart
    Loss,      // reduction='none' per position
    Input,     // the loader's input image
};

inline constexpr MapLayer kAllMapLayers[] = {MapLayer::Target, MapLayer::Predicted,
                                             MapLayer::Errors, MapLayer::Loss, MapLayer::Input};
QString mapLayerName(MapLayer layer);  // "target-map", "predicted-map", "error-map", ...
QString mapLayerTitle(MapLayer layer); // "Target", "Prediction", "Errors", "Loss", "Input"
std::optional<MapLayer> mapLayerFromName(const QString& name);

// One sample of a K-dim pair as an image, in a QCustomPlot: square pixels (one per position),
// rows down the H axis and columns along W, zoom with the wheel and pan by dragging (both axes
// together, so pixels stay square), a legend of the class ids present (categorical palette),
// of the error kinds, or a colour scale of the loss. Hovering reports the position's target,
// prediction, loss and p(target), all from the SampleDetail core computed.
class SegmentationMapPlot : public QWidget
{
    Q_OBJECT

public:
    explicit SegmentationMapPlot(QWidget* parent = nullptr);
    ~SegmentationMapPlot() override;

    void setDetail(std::shared_ptr<const SampleDetail> detail);
    std::shared_ptr<const SampleDetail> detail() const { return m_detail; }
    // The input image of the sample (null: none; the Input layer then says so).
    void setInputImage(const QImage& image);
    void setLayer(MapLayer layer);
    MapLayer layer() const { return m_layer; }
    // Names for the legend and the readout; empty (or an empty entry) shows the id.
    void setClassNames(const QStringList& names);

    QCustomPlot* customPlot() const { return m_plot; }
    // The image drawn, one pixel per position (null when there is nothing to draw).
    const QImage& image() const { return m_image; }
    QStringList legendEntries() const;
    // "pixel (h 3, w 7) · target 2 · prediction 0 · loss 1.93 · p(target) 0.145"; empty outside.
    QString readoutAt(qint64 row, qint64 column) const;
    QString readout() const { return m_readout; }
    // The position under a point of the widget, or nullopt outside the map.
    std::optional<std::pair<qint64, qint64>> positionAt(const QPointF& pos) const;
    // Shows all of the map with square pixels.
    void resetView();

Q_SIGNALS:
    void readoutChanged(const QString& text);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void restyle();
    void redraw();
    void drawClasses(bool predicted);
    void drawErrors();
    void drawLoss();
    void fillLegend(const std::vector<std::pair<QString, QColor>>& entries);
    void keepPixelsSquare();
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    QCPItemPixmap* m_pixmap;
    QCPLayoutGrid* m_side;
    QCPLegend* m_legend;
    QCPColorScale* m_scale;
    PlotColors m_colors;
    std::shared_ptr<const SampleDetail> m_detail;
    QImage m_inputImage;
    QImage m_image;
    QStringList m_names;
    MapLayer m_layer = MapLayer::Target;
    QString m_readout;
};

} // namespace shapescope
