// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampleinspector.h"

#include "common/displaytext.h"
#include "common/statuscolors.h"
#include "plots/integerticker.h"
#include "plots/plotstyle.h"
#include "plots/qcustomplotinclude.h"
#include "sampledetailloader.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>
#include <cmath>

namespace shapescope {

namespace {

// Viridis: perceptually uniform, readable in grey and with colour-vision deficiencies.
QCPColorGradient lossGradient(const QColor& nan)
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(68, 1, 84));
    gradient.setColorStopAt(0.25, QColor(59, 82, 139));
    gradient.setColorStopAt(0.5, QColor(33, 145, 140));
    gradient.setColorStopAt(0.75, QColor(94, 201, 98));
    gradient.setColorStopAt(1.0, QColor(253, 231, 37));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(nan);
    return gradient;
}

QCPColorGradient classGradient(qint64 classes, const QColor& nan)
{
    QCPColorGradient gradient(QCPColorGradient::gpHues);
    gradient.setLevelCount(static_cast<int>(std::clamp<qint64>(classes, 2, 350)));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(nan);
    return gradient;
}

QCustomPlot* makeMapPlot(QWidget* parent, const QString& title, QCPColorMap** map,
                         QCPItemRect** cursor)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(200, 160);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(
        0, 0,
        new QCPTextElement(plot, title,
                           QFont(plot->font().family(), plot->font().pointSize(), QFont::Bold)));
    *map = new QCPColorMap(plot->xAxis, plot->yAxis);
    (*map)->setInterpolate(false);
    (*map)->setTightBoundary(true);
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(1, 1, scale);
    scale->setType(QCPAxis::atRight);
    (*map)->setColorScale(scale);
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    plot->yAxis->setRangeReversed(true); // row 0 at the top, like an image
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // The selected position: a white frame over a black one, drawn first.
    auto* shadow = new QCPItemRect(plot);
    *cursor = new QCPItemRect(plot);
    (*cursor)->setBrush(Qt::NoBrush);
    shadow->setBrush(Qt::NoBrush);
    shadow->setPen(QPen(Qt::black, 4));
    shadow->topLeft->setParentAnchor((*cursor)->topLeft);
    shadow->bottomRight->setParentAnchor((*cursor)->bottomRight);
    shadow->topLeft->setCoords(0, 0);
    shadow->bottomRight->setCoords(0, 0);
    return plot;
}

} // namespace

// "logits: NaN at class 2, +Inf at class 7" (the first 8), or empty when all are finite.
QString SampleInspector::nonFiniteMarks(const std::vector<double>& logits)
{
    QStringList marks;
    qsizetype count = 0;
    for (size_t c = 0; c < logits.size(); ++c) {
        if (std::isfinite(logits[c]))
            continue;
        if (++count <= 8)
            marks << tr("<b>%1</b> at class %2")
                         .arg(std::isnan(logits[c]) ? QStringLiteral("NaN")
                              : logits[c] > 0       ? QStringLiteral("+Inf")
                                                    : QStringLiteral("-Inf"))
                         .arg(c);
    }
    if (count == 0)
        return {};
    QString text = tr("logits: %1").arg(marks.join(QStringLiteral(", ")));
    if (count > 8)
        text += tr(" and %1 more").arg(count - 8);
    return text;
}

SampleInspector::SampleInspector(QWidget* parent)
    : QWidget(parent), m_loader(new SampleDetailLoader(this)), m_header(new QLabel(this)),
      m_sliceRow(new QWidget(this)), m_sliceLayout(new QHBoxLayout(m_sliceRow)),
      m_maps(new QWidget(this)), m_bars(new QCustomPlot(this)), m_status(new QLabel(this))
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setObjectName(QStringLiteral("inspectorHeader"));
    m_status->setWordWrap(true);
    m_sliceLayout->setContentsMargins(0, 0, 0, 0);

    m_lossMap = makeMapPlot(m_maps, tr("Loss per position"), &m_lossColors, &m_lossCursor);
    m_targetMap = makeMapPlot(m_maps, tr("Target class"), &m_targetColors, &m_targetCursor);
    m_lossColors->colorScale()->axis()->setLabel(tr("loss"));
    m_targetColors->colorScale()->axis()->setLabel(tr("class (grey: ignored)"));
    auto* maps = new QHBoxLayout(m_maps);
    maps->setContentsMargins(0, 0, 0, 0);
    maps->addWidget(m_lossMap);
    maps->addWidget(m_targetMap);
    for (auto [plot, map] :
         {std::pair{m_lossMap, m_lossColors}, std::pair{m_targetMap, m_targetColors}}) {
        connect(plot, &QCustomPlot::mousePress, this,
                [this, plot = plot, map = map](QMouseEvent* event) {
                    if (event->button() == Qt::LeftButton &&
                        (event->modifiers() & Qt::ShiftModifier) == 0)
                        onMapClicked(plot, map, event->position());
                });
    }

    for (QCustomPlot* plot : {m_bars, m_lossMap, m_targetMap}) {
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
    layout->addWidget(m_header);
    layout->addWidget(m_sliceRow);
    layout->addWidget(m_maps, 3);
    layout->addWidget(m_bars, 2);
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
    const SampleDetail& d = *m_detail;
    const PairResult& pair = m_result->pairs[static_cast<size_t>(d.pair)];
    QString text = tr("<b>Sample %1</b> of %2").arg(d.sample).arg(pair.input.toHtmlEscaped());
    if (!pair.group.isEmpty() && m_result->pairs.size() > 1)
        text += tr(" (%1)").arg(pair.group.toHtmlEscaped());
    const qint64 p = m_position;
    const bool single = d.positions() == 1;
    QString where;
    if (!single) {
        if (d.mapShape.size() == 2)
            where =
                tr("position (row %1, column %2)").arg(p / d.mapShape[1]).arg(p % d.mapShape[1]);
        else
            where = tr("position %1").arg(p);
    }
    const QString loss = d.wholeSample ? tr("sample loss") : tr("slice loss");
    text += QStringLiteral("<br>") + tr("%1 <b>%2</b>")
                                         .arg(loss, d.sampleIgnored
                                                        ? tr("none (every position ignored)")
                                                        : numberText(d.sampleLoss, 5));
    if (!single)
        text += tr(" (mean over %1 counted positions)").arg(d.countedPositions);
    if (p < d.positions()) {
        QStringList parts;
        const auto i = static_cast<size_t>(p);
        if (d.targetKind == TargetKind::ClassIndices) {
            parts << (d.ignored[i] ? tr("target %1 (ignore_index)").arg(d.target[i])
                                   : tr("target <b>%1</b>").arg(d.target[i]));
        } else {
            parts << tr("target distribution peaks at class %1").arg(d.target[i]);
        }
        if (d.lossKind != LossKind::Bce)
            parts << tr("predicted <b>%1</b>")
                         .arg(d.predicted[i] >= 0 ? QString::number(d.predicted[i])
                                                  : tr("none (NaN)"));
        if (!std::isnan(d.pTarget[i]))
            parts << tr("p(target) %1").arg(numberText(d.pTarget[i], 5));
        if (!d.ignored[i] && !d.outOfRange[i])
            parts << tr("loss %1").arg(numberText(d.loss[i], 5));
        if (d.outOfRange[i])
            parts << tr("target outside [0, %1)").arg(d.classes);
        text += QStringLiteral("<br>") +
                (where.isEmpty() ? QString() : where + QStringLiteral(": ")) +
                parts.join(QStringLiteral(", "));
        // The bars draw a NaN or infinite logit as 0: say which they are.
        const QString marks = nonFiniteMarks(d.logitsAt(p));
        if (!marks.isEmpty())
            text += QStringLiteral("<br><span style=\"color:%1\">%2</span>")
                        .arg(StatusColors::from(palette()).error.name(), marks);
    }
    m_header->setText(text);
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
    if (show) {
        const SampleDetail& d = *m_detail;
        const auto i = static_cast<size_t>(m_position);
        const std::vector<double> l = d.logitsAt(m_position);
        const std::vector<double> p = d.probabilitiesAt(m_position);
        const std::vector<double> t = d.targetVectorAt(m_position);
        const qint64 target = d.targetKind == TargetKind::ClassIndices ? d.target[i] : -1;
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
    const bool show = m_detail && !m_detail->mapShape.empty();
    m_maps->setVisible(show);
    if (!show)
        return;
    const SampleDetail& d = *m_detail;
    const int columns = static_cast<int>(d.mapShape.back());
    const int rows = d.mapShape.size() == 2 ? static_cast<int>(d.mapShape.front()) : 1;
    // QCPColorMap cannot draw a single row (its cells have no height), so a sequence is drawn
    // as two equal rows.
    const int drawnRows = std::max(rows, 2);
    const PlotColors c = PlotColors::from(palette());
    for (QCPColorMap* map : {m_lossColors, m_targetColors}) {
        map->data()->setSize(columns, drawnRows);
        map->data()->setRange(QCPRange(0, columns - 1),
                              rows == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, rows - 1));
    }
    double lossMax = 0;
    for (int r = 0; r < drawnRows; ++r) {
        for (int col = 0; col < columns; ++col) {
            const auto p = static_cast<size_t>(std::min(r, rows - 1)) * columns + col;
            const double loss = d.loss[p];
            m_lossColors->data()->setCell(col, r, loss);
            if (std::isfinite(loss))
                lossMax = std::max(lossMax, loss);
            const bool counted =
                d.targetKind != TargetKind::ClassIndices || (!d.ignored[p] && !d.outOfRange[p]);
            m_targetColors->data()->setCell(col, r,
                                            counted ? static_cast<double>(d.target[p])
                                                    : std::numeric_limits<double>::quiet_NaN());
        }
    }
    m_lossColors->setGradient(lossGradient(c.ignored));
    m_lossColors->setDataRange(QCPRange(0, lossMax > 0 ? lossMax : 1));
    m_targetColors->setGradient(classGradient(d.classes, c.ignored));
    m_targetColors->setDataRange(
        QCPRange(-0.5, static_cast<double>(std::max<qint64>(1, d.classes)) - 0.5));
    const int row = rows > 1 ? static_cast<int>(m_position / columns) : 0;
    const int column = static_cast<int>(m_position % columns);
    for (auto [plot, cursor] :
         {std::pair{m_lossMap, m_lossCursor}, std::pair{m_targetMap, m_targetCursor}}) {
        plot->xAxis->setRange(-0.5, columns - 0.5);
        plot->yAxis->setRange(-0.5, rows - 0.5);
        cursor->topLeft->setCoords(column - 0.5, row - 0.5);
        cursor->bottomRight->setCoords(column + 0.5, row + 0.5);
        // White on a dark outline: visible on every colour of both maps.
        cursor->setPen(QPen(Qt::white, 2));
        cursor->setBrush(Qt::NoBrush);
        plot->xAxis->setLabel(d.mapAxes.size() >= 1 ? tr("axis %1").arg(d.mapAxes.back())
                                                    : QString());
        plot->yAxis->setLabel(d.mapAxes.size() == 2 ? tr("axis %1").arg(d.mapAxes.front())
                                                    : QString());
        plot->yAxis->setTickLabels(rows > 1);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void SampleInspector::onMapClicked(QCustomPlot* plot, QCPColorMap* map, const QPointF& pos)
{
    if (!m_detail || m_detail->mapShape.empty() ||
        !plot->axisRect()->rect().contains(pos.toPoint()))
        return;
    double key = 0, value = 0;
    map->pixelsToCoords(pos, key, value);
    int column = 0, row = 0;
    map->data()->coordToCell(key, value, &column, &row);
    const qint64 columns = m_detail->mapShape.back();
    const qint64 rows = m_detail->mapShape.size() == 2 ? m_detail->mapShape.front() : 1;
    if (column < 0 || column >= columns || row < 0 || row >= rows)
        return;
    selectPosition(row * columns + column);
}

void SampleInspector::restyle()
{
    const PlotColors c = PlotColors::from(palette());
    applyPlotColors(m_bars, c);
    applyPlotColors(m_lossMap, c);
    applyPlotColors(m_targetMap, c);
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
    for (QCPColorMap* map : {m_lossColors, m_targetColors}) {
        QCPAxis* axis = map->colorScale()->axis();
        styleAxis(axis, c);
    }
    for (QCustomPlot* plot : {m_lossMap, m_targetMap}) {
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
            title->setTextColor(c.text);
    }
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
