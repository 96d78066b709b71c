// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepspage.h"

#include "common/textformat.h"
#include "stepsmodel.h"
#include "stepsplot.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace shapescope {

StepsPage::StepsPage(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_message(new QLabel(m_stack)),
      m_summary(new QLabel(this)), m_plot(new StepsPlot(this)), m_table(new QTableView(this)),
      m_model(new StepsModel(this))
{
    m_message->setObjectName(QStringLiteral("stepsMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setMargin(24);
    // Selectable, so the page has something to focus (View > Go To) when it holds no run.
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_message->setFocusPolicy(Qt::StrongFocus);
    m_summary->setObjectName(QStringLiteral("stepsSummary"));
    m_summary->setWordWrap(true);
    // The tab must not widen the window's centre: at 1024 wide the tree dock needs its share.
    for (QWidget* w : {static_cast<QWidget*>(m_summary), static_cast<QWidget*>(m_plot),
                       static_cast<QWidget*>(m_table), static_cast<QWidget*>(m_message)})
        w->setMinimumWidth(160);
    m_plot->setObjectName(QStringLiteral("stepsPlot"));
    m_table->setObjectName(QStringLiteral("stepsTable"));
    m_table->setTabKeyNavigation(false); // Tab leaves a read-only table
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Column widths from the first rows: measuring all of a 1000-step run stalls the GUI.
    m_table->horizontalHeader()->setResizeContentsPrecision(100);
    m_table->setWordWrap(false);

    auto* content = new QWidget(m_stack);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(6, 6, 6, 0);
    auto* splitter = new QSplitter(Qt::Vertical, content);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    contentLayout->addWidget(m_summary);
    contentLayout->addWidget(splitter, 1);
    m_stack->addWidget(m_message);
    m_stack->addWidget(content);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_plot, &StepsPlot::stepClicked, this, &StepsPage::activateStep);
    connect(m_table, &QAbstractItemView::clicked, this,
            [this](const QModelIndex& index) { activateStep(index.row()); });
    connect(m_table, &QAbstractItemView::activated, this,
            [this](const QModelIndex& index) { activateStep(index.row()); });
    clear();
}

StepsPage::~StepsPage() = default;

const StepSeries& StepsPage::series() const
{
    return m_model->series();
}

void StepsPage::setResult(std::shared_ptr<const AnalysisResult> result)
{
    m_job.supersede();
    if (!result) {
        clear();
        return;
    }
    // The series of 1000 steps takes milliseconds, but a watched run's result keeps growing:
    // computed beside the GUI so a large run never stalls a repaint.
    m_job.run(
        nullptr, [result] { return stepSeries(*result, longestRun(*result)); },
        [this](StepSeries series) { showSeries(std::move(series)); });
}

void StepsPage::clear()
{
    m_job.supersede();
    m_model->setSeries({});
    m_plot->setSeries({});
    showMessage(tr("No dump is open."));
}

void StepsPage::setPendingNote(const QString& note)
{
    if (!note.isEmpty() && m_model->rowCount() == 0)
        showMessage(note);
}

void StepsPage::showMessage(const QString& text)
{
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
}

void StepsPage::showSeries(StepSeries series)
{
    const int steps = int(series.steps.size());
    const int changed = series.changedCount();
    m_model->setSeries(series);
    m_plot->setSeries(series);
    m_model->setCurrentPair(m_currentPair);
    m_plot->setCurrentStep(series.indexOfPair(m_currentPair));
    m_table->resizeColumnsToContents();
    if (steps == 0) {
        showMessage(tr("This dump holds no run of steps: the Steps view needs groups or files "
                       "numbered by step (batch_0000, batch_0001, \u2026, or step_0001.npy "
                       "files in a folder)."));
    } else {
        m_summary->setText(
            tr("Run %1: %2; %3. Click a step to open it on the bench; wheel zooms, drag pans, "
               "double-click fits.")
                .arg(series.name, text::count(steps, tr("step"), tr("steps")),
                     changed == 0 ? tr("shapes and dtypes never change")
                                  : tr("%1 where shapes or dtypes change (marked \u25b2)")
                                        .arg(text::count(changed, tr("step"), tr("steps")))));
        m_stack->setCurrentIndex(1);
    }
    Q_EMIT seriesReady();
}

void StepsPage::setCurrentPair(int pair)
{
    m_currentPair = pair;
    m_model->setCurrentPair(pair);
    const int step = m_model->series().indexOfPair(pair);
    m_plot->setCurrentStep(step);
    if (step >= 0)
        m_table->scrollTo(m_model->index(step, 0));
}

void StepsPage::activateStep(int step)
{
    const StepSeries& series = m_model->series();
    if (step < 0 || size_t(step) >= series.steps.size())
        return;
    m_table->selectRow(step);
    Q_EMIT pairActivated(series.steps[size_t(step)].pair);
}

} // namespace shapescope
