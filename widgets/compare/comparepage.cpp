// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparepage.h"

#include "common/statuscolors.h"
#include "comparemodel.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMutex>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <atomic>

namespace shapescope {

// Shared by the compare job and the page: the job writes what it is doing and reads the cancel
// flag; the page polls a few times a second, so a fast loop never floods the event queue and a
// page closed mid-job leaves nothing dangling.
struct ComparePage::Progress
{
    std::atomic<bool> cancelled{false};
    QMutex mutex;
    QString message;
};

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_summary(new QLabel(this)),
      m_onlyDifferences(new QCheckBox(tr("Only &differences"), this)),
      m_bar(new QProgressBar(this)), m_cancel(new QToolButton(this)), m_table(new QTableView(this)),
      m_model(new CompareModel(this)), m_filter(new QSortFilterProxyModel(this)),
      m_poll(new QTimer(this))
{
    m_title->setObjectName(QStringLiteral("compareTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setWordWrap(true);
    m_onlyDifferences->setObjectName(QStringLiteral("compareOnlyDifferences"));
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setTabKeyNavigation(false); // Tab leaves a read-only table
    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(CompareModel::DiffersRole);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Column widths from the first rows: measuring all of a 1000-step run stalls the GUI.
    m_table->horizontalHeader()->setResizeContentsPrecision(100);
    m_bar->setRange(0, 0);
    m_bar->setTextVisible(true);
    m_cancel->setText(tr("Cancel"));
    m_poll->setInterval(200);

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_onlyDifferences);
    auto* busy = new QHBoxLayout;
    busy->addWidget(m_bar, 1);
    busy->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addLayout(top);
    layout->addLayout(busy);
    layout->addWidget(m_table, 1);

    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this](bool only) {
        m_filter->setFilterFixedString(only ? QStringLiteral("true") : QString());
    });
    connect(m_cancel, &QToolButton::clicked, this, &ComparePage::cancel);
    connect(m_poll, &QTimer::timeout, this, &ComparePage::pollProgress);
    m_title->setText(tr("File > Compare With\u2026 puts a second dump beside the one in the "
                        "window: before and after a fix, tensors matched by path."));
    setBusy(false);
}

ComparePage::~ComparePage()
{
    cancel();
}

void ComparePage::compare(std::shared_ptr<Session> session, const QString& fileA,
                          const QString& fileB, const AnalysisOptions& options)
{
    cancel();
    m_job.supersede();
    auto progress = std::make_shared<Progress>();
    m_progress = progress;
    m_title->setText(
        tr("A: %1\nB: %2").arg(QFileInfo(fileA).fileName(), QFileInfo(fileB).fileName()));
    m_title->setToolTip(tr("A: %1\nB: %2").arg(fileA, fileB));
    m_summary->setText(tr("Reading and analysing both dumps\u2026"));
    m_model->setComparison({});
    setBusy(true);
    m_job.run(
        nullptr,
        [session, fileA, fileB, options, progress] {
            return compareDumps(*session, fileA, fileB, options,
                                [progress](double, const QString& message) {
                                    QMutexLocker lock(&progress->mutex);
                                    progress->message = message;
                                    return !progress->cancelled.load();
                                });
        },
        [this](Expected<DumpComparison> comparison) { showComparison(std::move(comparison)); });
}

void ComparePage::cancel()
{
    if (!m_progress)
        return;
    m_progress->cancelled = true;
    m_progress.reset();
    m_job.supersede();
    m_summary->setText(tr("The comparison was cancelled."));
    setBusy(false);
}

void ComparePage::pollProgress()
{
    if (!m_progress)
        return;
    QMutexLocker lock(&m_progress->mutex);
    if (!m_progress->message.isEmpty())
        m_bar->setFormat(m_progress->message);
}

void ComparePage::setBusy(bool busy)
{
    m_bar->setVisible(busy);
    m_cancel->setVisible(busy);
    m_bar->setFormat(tr("Opening\u2026"));
    if (busy)
        m_poll->start();
    else
        m_poll->stop();
}

void ComparePage::showComparison(Expected<DumpComparison> comparison)
{
    m_progress.reset();
    setBusy(false);
    if (!comparison) {
        const QString message =
            comparison.isCancelled() ? tr("The comparison was cancelled.") : comparison.error();
        m_summary->setText(tr("Could not compare: %1").arg(message));
        Q_EMIT failed(message);
        return;
    }
    m_model->setComparison(std::move(*comparison));
    const int rows = m_model->rowCount();
    const int tensors = m_model->differingTensors();
    const int losses = m_model->differingLosses();
    if (tensors == 0 && losses == 0) {
        m_summary->setText(tr("%1 tensors, all identical in shape, dtype and values.").arg(rows));
    } else {
        m_summary->setText(tr("%1 of %2 tensors differ (highlighted rows); %3. Changed values "
                              "read \u201cA \u2192 B\u201d in bold.")
                               .arg(tensors)
                               .arg(rows)
                               .arg(losses == 0 ? tr("the losses agree")
                                                : tr("the loss differs on %1 rows").arg(losses)));
    }
    m_table->resizeColumnsToContents();
    Q_EMIT comparisonReady();
}

} // namespace shapescope
