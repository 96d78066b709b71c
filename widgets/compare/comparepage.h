// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/dumpcompare.h"
#include "state/latestjob.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QLabel;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolButton;

namespace shapescope {

class CompareModel;

// The Compare tab (File > Compare With...): the dump in the window (A) beside a second dump
// (B), tensors matched by path, differences highlighted. core's compareDumps() reads and
// analyses both through the Session off the GUI thread; progress shows here and can be
// cancelled.
class ComparePage : public QWidget
{
    Q_OBJECT

public:
    explicit ComparePage(QWidget* parent = nullptr);
    ~ComparePage() override;

    void compare(std::shared_ptr<Session> session, const QString& fileA, const QString& fileB,
                 const AnalysisOptions& options);
    bool isBusy() const { return m_progress != nullptr; }
    CompareModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void comparisonReady();
    void failed(const QString& message);

private:
    struct Progress;
    void showComparison(Expected<DumpComparison> comparison);
    void setBusy(bool busy);
    void pollProgress();

    QLabel* m_title;
    QLabel* m_summary;
    QCheckBox* m_onlyDifferences;
    QProgressBar* m_bar;
    QToolButton* m_cancel;
    QTableView* m_table;
    CompareModel* m_model;
    QSortFilterProxyModel* m_filter;
    QTimer* m_poll;
    std::shared_ptr<Progress> m_progress;
    LatestJob m_job{this};
};

} // namespace shapescope
