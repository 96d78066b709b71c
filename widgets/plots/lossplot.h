// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plotstyle.h"

#include <QString>
#include <QWidget>
#include <optional>

class QCustomPlot;
class QCPItemText;
class QCPTextElement;
class QHBoxLayout;
class QMouseEvent;
class QToolButton;

namespace shapescope {

enum class PlotKind
{
    PerSample,
    Histogram,
    PerClass,
    PerBatch
};

inline constexpr PlotKind kAllPlotKinds[] = {PlotKind::PerSample, PlotKind::Histogram,
                                             PlotKind::PerClass, PlotKind::PerBatch};

QString plotKindName(PlotKind kind);  // "per-sample", "histogram", "per-class", "per-batch"
QString plotKindTitle(PlotKind kind); // "Per sample", "Histogram", ...
std::optional<PlotKind> plotKindFromName(const QString& name);

// The frame every loss plot shares: a QCustomPlot with a title, zoom and pan with the mouse
// (wheel, drag; double-click or the Reset button fits the data), a legend below the axes, a
// centred message when there is nothing to show, tooltips on hover, and colours that follow the
// palette. Subclasses (one per plot kind) take plain data and draw it. Everything a reader of
// an exported image needs is inside the QCustomPlot; the tool row above it is not exported.
class LossPlot : public QWidget
{
    Q_OBJECT

public:
    explicit LossPlot(QWidget* parent = nullptr);
    ~LossPlot() override;

    virtual PlotKind kind() const = 0;
    QCustomPlot* customPlot() const { return m_plot; }
    QString title() const;
    bool hasData() const { return m_hasData; }
    // What the plot shows when it has no data ("This dump has no run"), or empty.
    QString message() const;
    // The text of the last tooltip shown (empty after the mouse left every item).
    QString lastToolTip() const { return m_lastToolTip; }
    // The tooltip for a point of the widget, or empty.
    virtual QString toolTipAt(const QPointF& pos) const;

public Q_SLOTS:
    // Fits the axes to the data and replots.
    void resetView();

Q_SIGNALS:
    void viewReset();

protected:
    // Fits the axes to the data (no replot).
    virtual void fitView() = 0;
    // Re-colours the plottables after a palette change; colors() is already updated.
    virtual void restyle() {}
    virtual void clickedAt(const QPointF& pos);
    virtual void hoveredAt(const QPointF& pos);

    void setTitle(const QString& title);
    bool eventFilter(QObject* watched, QEvent* event) override;
    // Shows `message` centred over an empty plot, or the data when `message` is empty.
    void setMessage(const QString& message);
    void setHasData(bool hasData) { m_hasData = hasData; }
    void addToolWidget(QWidget* widget);
    void showToolTip(const QPointF& pos, const QString& text);
    void queueReplot();
    const PlotColors& colors() const { return m_colors; }

    void changeEvent(QEvent* event) override;

private:
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    void onMouseMove(QMouseEvent* event);
    void updateColors();

    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    QString m_fullTitle; // shown on two lines when one is wider than the plot
    QCPItemText* m_message;
    QHBoxLayout* m_tools;
    QToolButton* m_reset;
    PlotColors m_colors;
    QPointF m_pressPos;
    bool m_pressed = false;
    bool m_hasData = false;
    QString m_lastToolTip;
};

} // namespace shapescope
