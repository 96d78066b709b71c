// SPDX-License-Identifier: GPL-3.0-or-later
#include "segmentationpanel.h"

#include "confusionmodel.h"
#include "plots/plotexport.h"
#include "report/confusioncsv.h"
#include "sampledetailloader.h"

#include <QButtonGroup>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace shapescope {

namespace {

constexpr MapLayer kPanelLayers[] = {MapLayer::Target, MapLayer::Predicted, MapLayer::Errors,
                                     MapLayer::Loss};

} // namespace

SegmentationPanel::SegmentationPanel(QWidget* parent)
    : QWidget(parent), m_loader(new SampleDetailLoader(this)), m_layers(new QButtonGroup(this)),
      m_map(new SegmentationMapPlot(this)), m_title(new QLabel(this)), m_readout(new QLabel(this)),
      m_confusionTitle(new QLabel(this)), m_confusion(new ConfusionModel(this)),
      m_confusionView(new QTableView(this)), m_cellTitle(new QLabel(this)),
      m_cellSamples(new QListWidget(this)), m_exportMap(new QPushButton(tr("Export Map..."), this)),
      m_exportCsv(new QPushButton(tr("Export CSV..."), this))
{
    auto* layerRow = new QHBoxLayout;
    layerRow->addWidget(m_title, 1);
    for (MapLayer layer : kPanelLayers) {
        auto* button = new QToolButton(this);
        button->setText(mapLayerTitle(layer));
        button->setCheckable(true);
        button->setObjectName(mapLayerName(layer));
        m_layers->addButton(button, int(layer));
        layerRow->addWidget(button);
    }
    m_layers->button(int(MapLayer::Target))->setChecked(true);
    layerRow->addWidget(m_exportMap);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setText(tr("Hover over the map for a pixel's target, prediction and loss."));

    auto* mapBox = new QWidget(this);
    auto* mapLayout = new QVBoxLayout(mapBox);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addLayout(layerRow);
    mapLayout->addWidget(m_map, 1);
    mapLayout->addWidget(m_readout);

    m_confusionView->setModel(m_confusion);
    m_confusionView->setObjectName(QStringLiteral("confusionMatrix"));
    m_confusionView->setTabKeyNavigation(false); // Tab leaves a read-only table
    m_confusionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_confusionView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_confusionView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_confusionTitle->setWordWrap(true);
    m_cellTitle->setWordWrap(true);
    m_cellTitle->setText(tr("Click a cell to list the samples where it happens."));
    auto* csvRow = new QHBoxLayout;
    csvRow->addWidget(m_confusionTitle, 1);
    csvRow->addWidget(m_exportCsv);
    auto* confusionBox = new QWidget(this);
    auto* confusionLayout = new QVBoxLayout(confusionBox);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    confusionLayout->addLayout(csvRow);
    confusionLayout->addWidget(m_confusionView, 3);
    confusionLayout->addWidget(m_cellTitle);
    confusionLayout->addWidget(m_cellSamples, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(mapBox);
    split->addWidget(confusionBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(m_layers, &QButtonGroup::idClicked, this,
            [this](int id) { setLayer(static_cast<MapLayer>(id)); });
    connect(m_map, &SegmentationMapPlot::readoutChanged, this, [this](const QString& text) {
        if (!text.isEmpty())
            m_readout->setText(text);
    });
    connect(m_loader, &SampleDetailLoader::loaded, this,
            [this](std::shared_ptr<const SampleDetail> detail) {
                m_map->setDetail(std::move(detail));
                m_title->setText(tr("Sample %1").arg(m_sample));
                Q_EMIT detailShown();
            });
    connect(m_loader, &SampleDetailLoader::failed, this,
            [this](int, qint64 sample, const QString& message) {
                m_map->setDetail(nullptr);
                m_title->setText(tr("Sample %1: %2").arg(sample).arg(message));
            });
    connect(m_confusionView, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.column() < m_confusion->firstScoreColumn())
            showCell(index.row(), index.column());
    });
    connect(m_cellSamples, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const qint64 sample = item->data(Qt::UserRole).toLongLong();
        showSample(m_pair, sample);
        Q_EMIT sampleActivated(m_pair, sample);
    });
    connect(m_exportMap, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Map"),
            QStringLiteral("%1-sample%2.png").arg(mapLayerName(m_map->layer())).arg(m_sample),
            tr("Images (*.png *.svg *.pdf)"));
        if (!path.isEmpty()) {
            const Status s = exportMap(path);
            m_title->setText(s ? tr("Saved %1").arg(path) : s.error());
        }
    });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Confusion Matrix"),
                                         QStringLiteral("confusion.csv"), tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            const Status s = exportConfusionCsv(path);
            m_confusionTitle->setText(s ? tr("Saved %1").arg(path) : s.error());
        }
    });
    m_exportCsv->setEnabled(false);
}

SegmentationPanel::~SegmentationPanel() = default;

bool SegmentationPanel::isSegmentationPair(const AnalysisResult& result, int pair)
{
    if (pair < 0 || size_t(pair) >= result.pairs.size())
        return false;
    const PairResult& p = result.pairs[size_t(pair)];
    int spatial = 0;
    for (AxisRole role : p.layout.inputRoles)
        spatial += role == AxisRole::Spatial ? 1 : 0;
    return p.hasLosses && p.layout.targetKind == TargetKind::ClassIndices &&
           p.layout.classAxis >= 0 && spatial >= 2;
}

void SegmentationPanel::setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                                  std::shared_ptr<const AnalysisResult> result)
{
    m_session = std::move(session);
    m_dumpPath = dumpPath;
    m_result = std::move(result);
    m_loader->setSource(m_session, m_dumpPath, m_result);
    m_confusionJob.supersede();
    m_confusion->setMatrix(nullptr);
    m_cellSamples->clear();
    m_confusionPair = -1;
    m_pair = -1;
    m_sample = -1;
    m_map->setDetail(nullptr);
    m_exportCsv->setEnabled(false);
    m_confusionTitle->clear();
    m_title->setText(tr("Select a sample of a segmentation pair"));
}

void SegmentationPanel::setClassNames(const QStringList& names)
{
    m_map->setClassNames(names);
    m_confusion->setClassNames(names);
}

void SegmentationPanel::setLayer(MapLayer layer)
{
    if (QAbstractButton* button = m_layers->button(int(layer)))
        button->setChecked(true);
    m_map->setLayer(layer);
}

void SegmentationPanel::showSample(int pair, qint64 sample)
{
    if (!m_result || !isSegmentationPair(*m_result, pair))
        return;
    if (m_pair != pair)
        setClassNames(m_result->pairs[size_t(pair)].classNames); // the pair's (classnames.h)
    m_pair = pair;
    m_sample = sample;
    m_title->setText(tr("Sample %1: reading...").arg(sample));
    m_loader->load(pair, SampleSelection{sample, {}});
    if (m_confusionPair != pair)
        startConfusion(pair);
}

void SegmentationPanel::startConfusion(int pair)
{
    m_confusionPair = pair;
    m_confusionJob.supersede();
    m_confusion->setMatrix(nullptr);
    m_cellSamples->clear();
    m_exportCsv->setEnabled(false);
    if (!m_session)
        return;
    const PairResult& p = m_result->pairs[size_t(pair)];
    const ConfusionRequest request{m_dumpPath, m_result->spec, p.input, p.target, p.layout};
    m_confusionTitle->setText(tr("Counting the confusion matrix..."));
    m_confusionJob.run(
        nullptr, [session = m_session, request] { return session->confusion(request, {}); },
        [this](Expected<ConfusionMatrix> matrix) {
            if (!matrix) {
                m_confusionTitle->setText(tr("Confusion matrix: %1").arg(matrix.error()));
                return;
            }
            const auto shared = std::make_shared<const ConfusionMatrix>(std::move(*matrix));
            const std::vector<ClassScore> scores = classScores(*shared);
            QString text = tr("Confusion matrix (rows: target, columns: prediction) · %1 "
                              "positions · mean IoU %2 · pixel accuracy %3 · %4 ignored")
                               .arg(shared->counted())
                               .arg(meanIou(scores), 0, 'f', 3)
                               .arg(pixelAccuracy(*shared), 0, 'f', 3)
                               .arg(shared->ignored);
            const std::vector<ConfusedPair> worst = mostConfusedPairs(*shared, 3);
            QStringList most;
            for (const ConfusedPair& c : worst)
                most << tr("%1→%2 (%3)").arg(c.target).arg(c.predicted).arg(c.positions);
            if (!most.isEmpty())
                text += tr(" · most confused: %1").arg(most.join(QStringLiteral(", ")));
            m_confusionTitle->setText(text);
            m_confusion->setMatrix(shared);
            m_exportCsv->setEnabled(true);
            Q_EMIT confusionReady();
        });
}

void SegmentationPanel::showCell(qint64 target, qint64 predicted)
{
    m_cellSamples->clear();
    const std::shared_ptr<const ConfusionMatrix> matrix = m_confusion->matrix();
    if (!matrix)
        return;
    const std::vector<CellSample> samples = samplesInCell(*matrix, target, predicted);
    const qint64 total = matrix->cellSampleTotals[size_t(target * matrix->classes + predicted)];
    m_cellTitle->setText(
        tr("Target %1 predicted as %2: %3 positions in %4 samples%5 (activate one to show it)")
            .arg(target)
            .arg(predicted)
            .arg(matrix->count(target, predicted))
            .arg(total)
            .arg(qint64(samples.size()) < total ? tr(", the first %1 listed").arg(samples.size())
                                                : QString()));
    for (const CellSample& s : samples) {
        auto* item = new QListWidgetItem(
            tr("sample %1 · %2 positions").arg(s.sample).arg(s.positions), m_cellSamples);
        item->setData(Qt::UserRole, s.sample);
    }
}

Status SegmentationPanel::exportMap(const QString& path) const
{
    const std::optional<PlotFormat> format = plotFormatFromPath(path);
    if (!format)
        return Error{tr("%1: the suffix must be .png, .jpg, .pdf or .svg").arg(path)};
    PlotExportOptions options;
    options.format = *format;
    options.width = std::max(m_map->width(), 400);
    options.height = std::max(m_map->height(), 300);
    return exportPlot(m_map->customPlot(), path, options, m_dumpPath);
}

Status SegmentationPanel::exportConfusionCsv(const QString& path) const
{
    if (!m_confusion->matrix())
        return Error{tr("the confusion matrix is not counted yet")};
    return saveConfusionCsv(*m_confusion->matrix(), path, m_dumpPath);
}

} // namespace shapescope
