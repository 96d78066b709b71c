// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shapebenchlayout.h"

#include <QWidget>

namespace shapescope {

// Paints a pair's input and target axes as labelled cells, one column per role: a mismatched
// axis red, a healthy pair green. All sizes derive from the font, so it scales with font
// settings and the device pixel ratio; all colours derive from the palette.
class ShapeBenchView : public QWidget
{
    Q_OBJECT

public:
    explicit ShapeBenchView(QWidget* parent = nullptr);

    void setBench(BenchLayout bench);
    const BenchLayout& bench() const { return m_bench; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry;
    Geometry geometry() const;
    QString toolTipAt(const QPoint& pos) const;
    static QString cellCaption(const BenchCell& cell);

    BenchLayout m_bench;
};

} // namespace shapescope
