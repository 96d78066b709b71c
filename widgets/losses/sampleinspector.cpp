// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampleinspector.h"

#include "analysis/classnames.h"
#include "common/displaytext.h"
#include "common/statuscolors.h"
#include "plots/integerticker.h"
#include "plots/plotstyle.h"
#include "plots/qcustomplotinclude.h"
#include "sampledetailloader.h"
#include "sampleheadertext.h"
#include "samplemaps.h"
#include "topclassespanel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>
#include <cmath>

namespace shapescope {

SampleInspector::SampleInspector(QWidget* parent)
    : QWidget(parent), m_loader(new SampleDetailLoader(this)), m_header(new QLabel(this)),
      m_showValues(new QPushButton(tr("Show Values"), this)), m_sliceRow(new QWidget(this)),
      m_sliceLayout(new QHBoxLayout(m_sliceRow)), m_maps(new SampleMaps(this)),
      m_bars(new QCustomPlot(this)), m_topClasses(new TopClassesPanel(this)),
      m_status(new QLabel(this))
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setObjectName(QStringLiteral("inspectorHeader"));
    m_status->setWordWrap(true);
    m_showValues->setObjectName(QStringLiteral("showValues"));
    m_showValues->setToolTip(tr("Show this sample's row of the input in the Values tab"));
    connect(m_showValues, &QAbstractButton::clicked, this, [this] {
        if (m_detail && m_result)
            Q_EMIT valuesRequested(m_result->pairs[static_cast<size_t>(m_detail->pair)].inputTensor,
                                   m_detail->sample);
    });
    m_sliceLayout->setContentsMargins(0, 0, 0, 0);

    connect(m_maps, &SampleMaps::positionClicked, this, &SampleInspector::selectPosition);

    for (QCustomPlot* plot : {m_bars, m_maps->lossPlot(), m_maps->targetPlot()}) {
        connect(plot, &QCustomPlot::mousePress, this, [this] {
            if (m_pair >= 0)
                Q_EMIT sampleClicked(m_pair, m_sample);
        });
    }

    // Logits above, probabilities below, sharing the class axis.
    m_bars->setMinimumSize(240, 220);
    m_bars->plotLayout()->clear();
    auto* top = new QCPAxisRect(m_bars);
    auto* bottom = new QCPAxisRect(m_bars);
    m_bars->plotLayout()->addElement(0, 0, top);
    m_bars->plotLayout()->addElement(1, 0, bottom);
    auto* group = new QCPMarginGroup(m_bars);
    top->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    bottom->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    for (QCPAxisRect* rect : {top, bottom}) {
        rect->axis(QCPAxis::atBottom)
            ->setTicker(QSharedPointer<IntegerTicker>::create(rect->axis(QCPAxis::atBottom), 32));
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        for (QCPAxis* axis : rect->axes())
            axis->setLayer(QStringLiteral("axes"));
        rect->axis(QCPAxis::atBottom)->grid()->setLayer(QStringLiteral("grid"));
        rect->axis(QCPAxis::atLeft)->grid()->setLayer(QStringLiteral("grid"));
    }
    connect(top->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            bottom->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(bottom->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            top->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    m_bars->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    auto bars = [](QCPAxisRect* rect) {
        auto* b = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        b->setWidth(0.75);
        return b;
    };
    m_logits = bars(top);
    m_logitsTarget = bars(top);
    m_probabilities = bars(bottom);
    m_probabilitiesTarget = bars(bottom);
    m_targetDistribution =
        m_bars->addGraph(bottom->axis(QCPAxis::atBottom), bottom->axis(QCPAxis::atLeft));
    m_targetDistribution->setLineStyle(QCPGraph::lsNone);
    m_targetDistribution->setName(tr("target"));
    top->axis(QCPAxis::atBottom)->setTickLabels(false);
    bottom->axis(QCPAxis::atBottom)->setLabel(tr("class"));
    m_predictedLabel = new QCPItemText(m_bars);
    m_targetLabel = new QCPItemText(m_bars);
    for (QCPItemText* label : {m_predictedLabel, m_targetLabel}) {
        label->setClipAxisRect(bottom);
        label->position->setAxes(bottom->axis(QCPAxis::atBottom), bottom->axis(QCPAxis::atLeft));
        label->position->setAxisRect(bottom);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setPadding(QMargins(2, 0, 2, 2));
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_showValues, 0, Qt::AlignTop);
    layout->addLayout(headerRow);
    layout->addWidget(m_sliceRow);
    layout->addWidget(m_maps, 3);
    auto* barsRow = new QHBoxLayout;
    barsRow->addWidget(m_bars, 3);
    barsRow->addWidget(m_topClasses, 1);
    layout->addLayout(barsRow, 2);
    layout->addWidget(m_status);

    connect(m_loader, &SampleDetailLoader::loaded, this, &SampleInspector::onLoaded);
    connect(m_loader, &SampleDetailLoader::failed, this, &SampleInspector::onFailed);
    restyle();
    clear();
}

SampleInspector::~SampleInspector() = default;

void SampleInspector::setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                                std::shared_ptr<const AnalysisResult> result)
{
    m_result = result;
    m_loader->setSource(std::move(session), dumpPath, std::move(result));
    clear();
}

void SampleInspector::clear()
{
    m_loader->cancel();
    m_detail.reset();
    m_pair = -1;
    m_sample = -1;
    m_position = 0;
    m_sliceIndex.clear();
    m_status->setText(tr("Click a sample in a plot or the highest-loss list to inspect it."));
    showDetail();
}

QString SampleInspector::headerText() const
{
    return m_header->text();
}

QString SampleInspector::statusText() const
{
    return m_status->text();
}

void SampleInspector::showSample(int pair, qint64 sample)
{
    if (pair != m_pair)
        m_sliceIndex.clear();
    m_pair = pair;
    m_sample = sample;
    m_status->setText(tr("Reading sample %1\u2026").arg(sample));
    m_loader->load(pair, SampleSelection{sample, m_sliceIndex});
}

void SampleInspector::setSliceIndex(const std::vector<qint64>& index)
{
    m_sliceIndex = index;
    if (m_pair >= 0)
        m_loader->load(m_pair, SampleSelection{m_sample, m_sliceIndex});
}

void SampleInspector::selectPosition(qint64 position)
{
    if (!m_detail || position < 0 || position >= m_detail->positions())
        return;
    m_position = position;
    updateBars();
    updateMaps();
    updateHeader();
}

void SampleInspector::onLoaded(std::shared_ptr<const SampleDetail> detail)
{
    const bool sameSample =
        m_detail && m_detail->pair == detail->pair && m_detail->sample == detail->sample;
    m_detail = std::move(detail);
    m_pair = m_detail->pair;
    m_sample = m_detail->sample;
    m_sliceIndex = m_detail->sliceIndex;
    if (!sameSample || m_position >= m_detail->positions())
        m_position = m_detail->worstPosition();
    m_status->clear();
    showDetail();
    Q_EMIT detailShown(m_pair, m_sample);
}

void SampleInspector::onFailed(int pair, qint64 sample, const QString& message)
{
    m_detail.reset();
    m_status->setText(tr("Cannot inspect sample %1: %2").arg(sample).arg(message));
    Q_UNUSED(pair);
    showDetail();
    Q_EMIT loadFailed(message);
}

void SampleInspector::showDetail()
{
    m_showValues->setEnabled(m_detail != nullptr);
    rebuildSliceBoxes();
    updateBars();
    updateMaps();
    updateHeader();
}

void SampleInspector::updateHeader()
{
    if (!m_detail || !m_result) {
        m_header->setText(tr("<b>Sample inspector</b>"));
        return;
    }
    m_header->setText(
        sampleHeaderHtml(*m_result, *m_detail, m_position, StatusColors::from(palette()).error));
}

void SampleInspector::rebuildSliceBoxes()
{
    while (QLayoutItem* item = m_sliceLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (!m_detail || m_detail->sliceAxes.empty() || !m_result) {
        m_sliceRow->setVisible(false);
        return;
    }
    const PairResult& pair = m_result->pairs[static_cast<size_t>(m_detail->pair)];
    const TensorInfo* input = m_result->dump.tensor(pair.inputTensor);
    const Shape shape = input ? input->shape : Shape{};
    m_sliceLayout->addWidget(new QLabel(tr("Slice:"), m_sliceRow));
    for (size_t k = 0; k < m_detail->sliceAxes.size(); ++k) {
        const int axis = m_detail->sliceAxes[k];
        auto* box = new QSpinBox(m_sliceRow);
        box->setObjectName(QStringLiteral("slice%1").arg(axis));
        box->setPrefix(tr("axis %1 = ").arg(axis));
        box->setRange(0, axis < static_cast<int>(shape.size())
                             ? static_cast<int>(
                                   std::min<qint64>(shape[static_cast<size_t>(axis)] - 1, INT_MAX))
                             : 0);
        box->setValue(static_cast<int>(m_detail->sliceIndex[k]));
        box->setKeyboardTracking(false);
        connect(box, &QSpinBox::valueChanged, this, [this, k](int value) {
            std::vector<qint64> index = m_sliceIndex;
            index.resize(std::max(index.size(), k + 1), 0);
            index[k] = value;
            setSliceIndex(index);
        });
        m_sliceLayout->addWidget(box);
    }
    m_sliceLayout->addStretch(1);
    m_sliceRow->setVisible(true);
}

void SampleInspector::updateBars()
{
    QVector<double> keys, logits, probabilities, targetKeys, targetLogits, targetProbabilities,
        distribution;
    QCPAxisRect* top = m_bars->axisRect(0);
    QCPAxisRect* bottom = m_bars->axisRect(1);
    const bool show = m_detail && m_position < m_detail->positions();
    m_targetLabel->setVisible(false);
    m_predictedLabel->setVisible(false);
    const QStringList names = classNames();
    for (QCPAxisRect* rect : {top, bottom})
        static_cast<IntegerTicker*>(rect->axis(QCPAxis::atBottom)->ticker().data())
            ->setNames(names);
    // Names are longer than numbers: slanted, so neighbours do not overlap.
    bottom->axis(QCPAxis::atBottom)->setTickLabelRotation(names.isEmpty() ? 0 : -35);
    m_topClasses->setVisible(show && m_detail->lossKind != LossKind::Bce);
    if (!show)
        m_topClasses->clear();
    if (show) {
        const SampleDetail& d = *m_detail;
        const auto i = static_cast<size_t>(m_position);
        const std::vector<double> l = d.logitsAt(m_position);
        const std::vector<double> p = d.probabilitiesAt(m_position);
        const std::vector<double> t = d.targetVectorAt(m_position);
        const qint64 target = d.targetKind == TargetKind::ClassIndices ? d.target[i] : -1;
        m_topClasses->setProbabilities(p, d.ignored[i] ? -1 : target, names);
        for (size_t c = 0; c < l.size(); ++c) {
            const auto key = static_cast<double>(c);
            const bool isTarget = static_cast<qint64>(c) == target;
            (isTarget ? targetKeys : keys) << key;
            (isTarget ? targetLogits : logits) << (std::isfinite(l[c]) ? l[c] : 0.0);
            (isTarget ? targetProbabilities : probabilities) << (std::isfinite(p[c]) ? p[c] : 0.0);
        }
        for (double v : t)
            distribution << v;
        const qint32 predicted = d.predicted[i];
        // Labels lean away from the nearer edge, so the last class's is not cut off.
        auto place = [&](QCPItemText* label, qint64 cls) {
            const bool right = static_cast<double>(cls) > static_cast<double>(d.classes - 1) / 2;
            label->setPositionAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignBottom);
            label->position->setCoords(
                static_cast<double>(cls) + (right ? 0.4 : -0.4),
                std::isfinite(p[static_cast<size_t>(cls)]) ? p[static_cast<size_t>(cls)] : 0.0);
        };
        if (predicted >= 0 && d.lossKind != LossKind::Bce) {
            place(m_predictedLabel, predicted);
            m_predictedLabel->setText(predicted == target ? tr("predicted = target")
                                                          : tr("predicted"));
            m_predictedLabel->setVisible(true);
        }
        if (target >= 0 && target < d.classes && target != predicted) {
            // At the top, so it never sits on the prediction's label when both are near 0.
            place(m_targetLabel, target);
            m_targetLabel->setPositionAlignment(
                (m_targetLabel->positionAlignment() & Qt::AlignHorizontal_Mask) | Qt::AlignTop);
            m_targetLabel->position->setCoords(m_targetLabel->position->key(), 1.15);
            m_targetLabel->setText(tr("target \u25BE"));
            m_targetLabel->setVisible(true);
        }
        top->axis(QCPAxis::atLeft)
            ->setLabel(d.lossKind == LossKind::Nll ? tr("log p (input)") : tr("logit"));
        bottom->axis(QCPAxis::atLeft)
            ->setLabel(d.lossKind == LossKind::Bce   ? tr("sigmoid")
                       : d.lossKind == LossKind::Nll ? tr("exp(input)")
                                                     : tr("softmax"));
    }
    m_logits->setData(keys, logits, true);
    m_probabilities->setData(keys, probabilities, true);
    m_logitsTarget->setData(targetKeys, targetLogits, true);
    m_probabilitiesTarget->setData(targetKeys, targetProbabilities, true);
    QVector<double> distributionKeys;
    for (qsizetype c = 0; c < distribution.size(); ++c)
        distributionKeys << static_cast<double>(c);
    m_targetDistribution->setData(distributionKeys, distribution, true);
    const double classes = show ? static_cast<double>(m_detail->classes) : 10.0;
    top->axis(QCPAxis::atBottom)->setRange(-0.6, classes - 0.4);
    bool found = false;
    QCPRange logitRange = m_logits->getValueRange(found);
    bool foundTarget = false;
    const QCPRange targetRange = m_logitsTarget->getValueRange(foundTarget);
    if (foundTarget)
        logitRange = found ? QCPRange(std::min(logitRange.lower, targetRange.lower),
                                      std::max(logitRange.upper, targetRange.upper))
                           : targetRange;
    if (found || foundTarget) {
        logitRange.lower = std::min(0.0, logitRange.lower);
        logitRange.upper = std::max(0.0, logitRange.upper);
        const double pad = std::max(1e-6, logitRange.size() * 0.08);
        top->axis(QCPAxis::atLeft)
            ->setRange(logitRange.lower - (logitRange.lower < 0 ? pad : 0), logitRange.upper + pad);
    } else {
        top->axis(QCPAxis::atLeft)->setRange(0, 1);
    }
    bottom->axis(QCPAxis::atLeft)->setRange(0, 1.15);
    m_bars->setVisible(show);
    m_bars->replot(QCustomPlot::rpQueuedReplot);
}

void SampleInspector::updateMaps()
{
    m_maps->setDetail(m_detail, m_position);
}

void SampleInspector::restyle()
{
    const PlotColors c = PlotColors::from(palette());
    applyPlotColors(m_bars, c);
    QColor fill = c.primary;
    fill.setAlpha(190);
    for (QCPBars* bars : {m_logits, m_probabilities}) {
        bars->setBrush(fill);
        bars->setPen(QPen(c.primary.darker(c.dark ? 70 : 130)));
    }
    for (QCPBars* bars : {m_logitsTarget, m_probabilitiesTarget}) {
        bars->setBrush(c.highlight);
        bars->setPen(QPen(c.highlight.darker(c.dark ? 80 : 140), 1.5));
    }
    m_targetDistribution->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(c.highlight, 2), c.highlight, 9));
    m_predictedLabel->setColor(c.wrong);
    m_targetLabel->setColor(c.highlight.darker(c.dark ? 80 : 130));
}

void SampleInspector::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
        updateMaps();
        m_bars->replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace shapescope
