// SPDX-License-Identifier: GPL-3.0-or-later
#include "lossplotspage.h"

#include "analysis/axisnames.h"
#include "highestlossmodel.h"
#include "plots/exportplotdialog.h"
#include "plots/histogramplot.h"
#include "plots/perbatchplot.h"
#include "plots/perclassplot.h"
#include "plots/persampleplot.h"
#include "plots/plotfactory.h"
#include "sampleinspector.h"
#include "segmentationpanel.h"
#include "tokenlossstrip.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace shapescope {

namespace {

// The first sample after (pair, sample), in pair then sample order and wrapping around, whose
// loss is NaN or infinite; (-1, -1) when there is none. Fully ignored samples have no loss.
std::pair<int, qint64> nextNonFiniteSample(const AnalysisResult& result, int pair, qint64 sample)
{
    const int pairs = int(result.pairs.size());
    const int start = std::max(pair, 0);
    for (int step = 0; step <= pairs && pairs > 0; ++step) {
        const int p = (start + step) % pairs;
        const SampleValues& values = result.pairs[size_t(p)].samples;
        // The starting pair is searched after the sample first, and before it last.
        const qint64 first = step == 0 && p == pair ? sample + 1 : 0;
        const qint64 end =
            step == pairs ? (p == pair ? sample + 1 : 0) : qint64(values.loss.size());
        for (qint64 i = std::max<qint64>(first, 0); i < end; ++i) {
            const bool ignored = size_t(i) < values.ignored.size() && values.ignored[size_t(i)];
            if (!ignored && !std::isfinite(values.loss[size_t(i)]))
                return {p, i};
        }
    }
    return {-1, -1};
}

} // namespace

LossPlotsPage::LossPlotsPage(QWidget* parent)
    : QWidget(parent), m_scopeBox(new QComboBox(this)), m_summary(new QLabel(this)),
      m_tabs(new QTabWidget(this)), m_perSample(new PerSamplePlot(this)),
      m_histogram(new LossHistogramPlot(this)), m_perClass(new PerClassPlot(this)),
      m_perBatch(new PerBatchPlot(this)), m_inspector(new SampleInspector(this)),
      m_tokens(new TokenLossStrip(this)), m_highest(new HighestLossModel(this)),
      m_highestView(new QTableView(this))
{
    m_scopeBox->setObjectName(QStringLiteral("scope"));
    m_scopeBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_scopeBox->setToolTip(tr("The run (its batches in step order) or the pair the plots show"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_scopeBox);
    top->addWidget(m_summary, 1);

    m_tabs->setDocumentMode(true);
    for (LossPlot* plot : {static_cast<LossPlot*>(m_perSample), static_cast<LossPlot*>(m_histogram),
                           static_cast<LossPlot*>(m_perClass), static_cast<LossPlot*>(m_perBatch)})
        m_tabs->addTab(plot, plotKindTitle(plot->kind()));

    m_highestView->setModel(m_highest);
    m_highestView->setObjectName(QStringLiteral("highestLoss"));
    m_highestView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_highestView->setTabKeyNavigation(false);
    m_highestView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_highestView->verticalHeader()->hide();
    // The numbers keep their width and the loss comes first, after the rank; the batch or
    // tensor name gets at most 16 characters (never less than its header), cut in the middle.
    QHeaderView* columns = m_highestView->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(HighestLossModel::BatchColumn, QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    columns->moveSection(columns->visualIndex(HighestLossModel::LossColumn), 1);
    m_highestView->setTextElideMode(Qt::ElideMiddle);
    m_highestView->setWordWrap(false);
    m_highestView->setAlternatingRowColors(true);
    auto* highestBox = new QWidget(this);
    auto* highestLayout = new QVBoxLayout(highestBox);
    highestLayout->setContentsMargins(0, 0, 0, 0);
    auto* highestTitle =
        new QLabel(tr("<b>Highest loss</b> (likely mislabelled at the top)"), highestBox);
    auto* highestRow = new QHBoxLayout;
    highestRow->addWidget(highestTitle, 1);
    m_nextNonFinite = new QPushButton(tr("Next NaN"), highestBox);
    m_nextNonFinite->setObjectName(QStringLiteral("nextNonFinite"));
    m_nextNonFinite->setToolTip(
        tr("Inspect the next sample whose loss is NaN or infinite (a NaN or Inf logit)"));
    highestRow->addWidget(m_nextNonFinite);
    highestLayout->addLayout(highestRow);
    highestLayout->addWidget(m_highestView);

    auto* side = new QSplitter(Qt::Vertical, this);
    side->addWidget(m_inspector);
    side->addWidget(highestBox);
    side->addWidget(m_tokens);
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 2);
    side->setSizes({450, 250, 250});
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tabs);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({900, 600});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    m_segmentation = new SegmentationPanel(this);
    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("lossViews"));
    m_views->addTab(split, tr("Loss Plots"));
    m_views->addTab(m_segmentation, tr("Segmentation Images"));
    m_views->setTabEnabled(1, false);
    layout->addWidget(m_views, 1);
    connect(m_segmentation, &SegmentationPanel::sampleActivated, this, &LossPlotsPage::showSample);

    connect(m_scopeBox, &QComboBox::currentIndexChanged, this, [this] { refreshScope(); });
    connect(m_perSample, &PerSamplePlot::sampleActivated, this, &LossPlotsPage::showSample);
    connect(m_perBatch, &PerBatchPlot::batchActivated, this, [this](int pair) {
        if (!m_result || pair < 0)
            return;
        setCurrentKind(PlotKind::PerSample);
        m_perSample->zoomToPair(pair);
    });
    auto openRow = [this](const QModelIndex& index) {
        if (index.isValid())
            showSample(index.data(HighestLossModel::PairRole).toInt(),
                       index.data(HighestLossModel::SampleRole).toLongLong());
    };
    connect(m_nextNonFinite, &QPushButton::clicked, this, &LossPlotsPage::showNextNonFinite);
    connect(m_inspector, &SampleInspector::sampleClicked, this, &LossPlotsPage::sampleActivated);
    connect(m_highestView, &QTableView::activated, this, openRow);
    connect(m_highestView, &QTableView::clicked, this, openRow);
    // A token of the strip is a position of the inspector's map (its T axis).
    connect(m_tokens, &TokenLossStrip::tokenActivated, this,
            [this](int pair, qint64 sample, qint64 position) {
                if (m_inspector->pair() == pair && m_inspector->sample() == sample)
                    m_inspector->selectPosition(position);
            });
    clear();
}

LossPlotsPage::~LossPlotsPage() = default;

void LossPlotsPage::setSession(std::shared_ptr<Session> session)
{
    m_session = std::move(session);
    m_inspector->setSource(m_session, m_dumpPath, m_result);
    m_tokens->setSource(m_session, m_dumpPath, m_result);
    m_segmentation->setSource(m_session, m_dumpPath, m_result);
}

void LossPlotsPage::setResult(std::shared_ptr<const AnalysisResult> result, const QString& dumpPath)
{
    m_result = std::move(result);
    m_dumpPath = dumpPath;
    m_scopes = m_result ? plotScopes(*m_result) : std::vector<PlotScope>{};
    m_inspector->setSource(m_session, m_dumpPath, m_result);
    m_shownPair = -1;
    m_shownSample = -1;
    m_nextNonFinite->setEnabled(m_result && nextNonFiniteSample(*m_result, -1, -1).first >= 0);
    m_tokens->setSource(m_session, m_dumpPath, m_result);
    m_segmentation->setSource(m_session, m_dumpPath, m_result);
    {
        int first = -1;
        for (size_t p = 0; m_result && p < m_result->pairs.size() && first < 0; ++p) {
            if (SegmentationPanel::isSegmentationPair(*m_result, int(p)))
                first = int(p);
        }
        m_views->setTabEnabled(1, first >= 0);
        if (first >= 0)
            m_segmentation->showSample(first, 0);
    }
    {
        const QSignalBlocker blocker(m_scopeBox);
        m_scopeBox->clear();
        for (const PlotScope& scope : m_scopes)
            m_scopeBox->addItem(scope.title);
        m_scopeBox->setEnabled(m_scopes.size() > 1);
    }
    refreshScope();
}

void LossPlotsPage::clear()
{
    setResult(nullptr, QString());
}

void LossPlotsPage::setPendingNote(const QString& note)
{
    if (note == m_pendingNote)
        return;
    m_pendingNote = note;
    refreshScope();
}

QString LossPlotsPage::summaryText() const
{
    return m_summary->text();
}

int LossPlotsPage::currentScope() const
{
    return m_scopeBox->currentIndex();
}

void LossPlotsPage::setCurrentScope(int scope)
{
    if (scope >= 0 && scope < m_scopeBox->count())
        m_scopeBox->setCurrentIndex(scope);
}

LossPlot* LossPlotsPage::plot(PlotKind kind) const
{
    switch (kind) {
    case PlotKind::PerSample:
        return m_perSample;
    case PlotKind::Histogram:
        return m_histogram;
    case PlotKind::PerClass:
        return m_perClass;
    case PlotKind::PerBatch:
        return m_perBatch;
    }
    return nullptr;
}

LossPlot* LossPlotsPage::currentPlot() const
{
    return static_cast<LossPlot*>(m_tabs->currentWidget());
}

PlotKind LossPlotsPage::currentKind() const
{
    return currentPlot()->kind();
}

void LossPlotsPage::setCurrentKind(PlotKind kind)
{
    m_tabs->setCurrentWidget(plot(kind));
}

void LossPlotsPage::refreshScope()
{
    const int index = currentScope();
    const bool valid = m_result && index >= 0 && index < static_cast<int>(m_scopes.size());
    const PlotScope scope = valid ? m_scopes[static_cast<size_t>(index)] : PlotScope{};
    for (PlotKind kind : kAllPlotKinds)
        setLossPlotData(plot(kind), valid ? m_result : nullptr, scope);
    m_highest->setEntries(valid ? highestLossEntries(*m_result, scope)
                                : std::vector<HighestLossEntry>{});
    // Token losses exist only for sequence pairs; elsewhere the strip's room goes to the list.
    bool sequence = false;
    for (int p : scope.pairs)
        sequence = sequence || isSequenceLayout(m_result->pairs[size_t(p)].layout);
    m_tokens->setVisible(sequence);
    m_highestView->resizeColumnsToContents();
    const int name = HighestLossModel::BatchColumn;
    m_highestView->setColumnWidth(name,
                                  std::max(m_highestView->horizontalHeader()->sectionSizeHint(name),
                                           std::min(m_highestView->columnWidth(name),
                                                    fontMetrics().averageCharWidth() * 16)));
    if (m_scopes.empty() && !m_pendingNote.isEmpty()) {
        m_summary->setText(m_pendingNote);
    } else if (!m_result) {
        m_summary->setText(tr("No analysis yet."));
    } else if (m_scopes.empty()) {
        m_summary->setText(tr("No pair has losses to plot."));
    } else {
        qint64 samples = 0;
        for (int p : scope.pairs)
            samples += m_result->pairs[static_cast<size_t>(p)].samples.loss.size();
        m_summary->setText(
            tr("%1 samples in %n pair(s)", nullptr, static_cast<int>(scope.pairs.size()))
                .arg(QLocale().toString(samples)));
    }
}

void LossPlotsPage::showPair(int pair)
{
    const int scope = scopeOfPair(m_scopes, pair);
    if (scope >= 0 && scope != currentScope())
        setCurrentScope(scope);
}

void LossPlotsPage::showNextNonFinite()
{
    if (!m_result)
        return;
    const auto [pair, sample] = nextNonFiniteSample(*m_result, m_shownPair, m_shownSample);
    if (pair >= 0)
        showSample(pair, sample);
}

void LossPlotsPage::showSample(int pair, qint64 sample)
{
    m_shownPair = pair;
    m_shownSample = sample;
    showPair(pair);
    m_perSample->setSelectedSample(pair, sample);
    m_inspector->showSample(pair, sample);
    m_tokens->showSample(pair, sample);
    if (m_segmentation->pair() != pair || m_segmentation->sample() != sample)
        m_segmentation->showSample(pair, sample);
    Q_EMIT sampleActivated(pair, sample);
}

Status LossPlotsPage::exportPlot(const QString& path, const PlotExportOptions& options) const
{
    return shapescope::exportPlot(currentPlot()->customPlot(), path, options, m_dumpPath);
}

Status LossPlotsPage::exportLosses(const QString& path) const
{
    if (!m_result)
        return Error{tr("There is no analysis to export")};
    return exportLossesCsv(*m_result, path, m_dumpPath);
}

Status LossPlotsPage::exportReport(const QString& path) const
{
    if (!m_result)
        return Error{tr("There is no analysis to export")};
    if (QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0)
        return exportReportJson(*m_result, path, m_dumpPath);
    return exportReportMarkdown(m_result, path, m_dumpPath);
}

QString LossPlotsPage::suggestedPath(const QString& suffix) const
{
    const QFileInfo dump(m_dumpPath);
    const QString base =
        dump.completeBaseName().isEmpty() ? QStringLiteral("shapescope") : dump.completeBaseName();
    const QString dir =
        dump.absolutePath().isEmpty() ? QString() : dump.absolutePath() + QLatin1Char('/');
    return dir + base + QLatin1Char('-') + suffix;
}

void LossPlotsPage::reportExport(const Status& status, const QString& path)
{
    if (status) {
        Q_EMIT exported(path);
        return;
    }
    Q_EMIT exportFailed(status.error());
    QMessageBox::warning(this, tr("Export failed"), status.error());
}

void LossPlotsPage::exportPlotInteractive()
{
    ExportPlotDialog dialog(this);
    dialog.setOptions(m_lastPlotOptions);
    dialog.setPath(suggestedPath(plotKindName(currentKind()) + QLatin1Char('.') +
                                 plotFormatSuffix(m_lastPlotOptions.format)));
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_lastPlotOptions = dialog.options();
    reportExport(exportPlot(dialog.path(), dialog.options()), dialog.path());
}

void LossPlotsPage::exportLossesInteractive()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Losses"), suggestedPath(QStringLiteral("losses.csv")), tr("CSV (*.csv)"));
    if (!path.isEmpty())
        reportExport(exportLosses(path), path);
}

void LossPlotsPage::exportReportInteractive()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Report"), suggestedPath(QStringLiteral("report.md")),
        tr("Markdown with a plot (*.md);;JSON (*.json)"), &filter);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += filter.contains(QLatin1String("json")) ? QStringLiteral(".json")
                                                         : QStringLiteral(".md");
    reportExport(exportReport(target), target);
}

} // namespace shapescope
