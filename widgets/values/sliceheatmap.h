// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/slicevalues.h"
#include "session/session.h"
#include "state/latestjob.h"

#include <QWidget>
#include <memory>

class QCustomPlot;
class QCPColorMap;
class QCPItemRect;
class QLabel;
class QLineEdit;
class QPushButton;

namespace shapescope {

// The Values tab's picture of the shown slice: a heatmap with square cells and a colour scale
// (NaN in the "ignored" grey), the slice's min, max, mean and NaN/Inf counts (computed in core,
// slicevalues.h, from the same values), a go-to-index field and "Next NaN". The slice is read
// through the Session, off the GUI thread; a newer slice wins (LatestJob).
class SliceHeatmap : public QWidget
{
    Q_OBJECT

public:
    explicit SliceHeatmap(QWidget* parent = nullptr);

    void setSession(std::shared_ptr<Session> session) { m_session = std::move(session); }
    // Reads and draws the slice; an empty `tensor.path` clears.
    void showSlice(const QString& dumpPath, const TensorInfo& tensor, int rowAxis, int columnAxis,
                   const std::vector<qint64>& fixed);
    void clear();
    // Frames a cell (row, column of the slice); -1 hides the frame.
    void setCurrentCell(qint64 row, qint64 column);

    bool isLoaded() const { return m_slice != nullptr; }
    const SliceValues* slice() const { return m_slice.get(); }
    const SliceStatistics& statistics() const { return m_statistics; }
    QString statisticsText() const;
    QCustomPlot* plot() const { return m_plot; }
    QCPColorMap* colorMap() const { return m_map; }
    QLineEdit* goToField() const { return m_goTo; }
    QPushButton* nextNaNButton() const { return m_nextNaN; }

public Q_SLOTS:
    // "3, 4" (row, column) or "3" (a one-column slice): emits cellChosen when inside the slice.
    void goTo(const QString& text);
    // The first NaN after the current cell, row-major, wrapping: emits cellChosen.
    void findNextNaN();

Q_SIGNALS:
    // The user chose a cell (go-to, Next NaN, a click on the picture): the table selects it.
    void cellChosen(qint64 row, qint64 column);
    void loaded();

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void onLoaded(Expected<SliceValues> slice);
    void draw();
    void fitSquare();
    void restyle();

    std::shared_ptr<Session> m_session;
    LatestJob m_latest{this};
    std::shared_ptr<const SliceValues> m_slice;
    SliceStatistics m_statistics;
    qint64 m_row = -1;
    qint64 m_column = -1;

    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPItemRect* m_cursor;
    QLabel* m_stats;
    QLineEdit* m_goTo;
    QPushButton* m_nextNaN;
};

} // namespace shapescope
