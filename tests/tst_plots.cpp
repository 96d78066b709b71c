// SPDX-License-Identifier: GPL-3.0-or-later
// Loss plots: the data builders from known fixtures (batch sizes, bins, per-class means against
// torch), the widgets (what they draw, hover tooltips, clicks), and 10 M points.
#include "analysis/lossstatistics.h"
#include "bench/runstripview.h"
#include "plots/histogramplot.h"
#include "plots/perbatchplot.h"
#include "plots/perclassplot.h"
#include "plots/persampleplot.h"
#include "plots/plotfactory.h"
#include "plots/qcustomplotinclude.h"
#include "tst_plots_support.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <ctime>
#include <map>
#include <numeric>

using namespace shapescope;

Q_DECLARE_METATYPE(shapescope::PlotKind)

namespace {

std::shared_ptr<const AnalysisResult> raggedRun(InProcessSession& session)
{
    return test::analyzeFile(session, test::examplePath(QStringLiteral("ragged_run.h5")));
}

void sendMove(QWidget* widget, const QPointF& pos)
{
    QMouseEvent event(QEvent::MouseMove, pos, widget->mapToGlobal(pos), Qt::NoButton, Qt::NoButton,
                      Qt::NoModifier);
    QApplication::sendEvent(widget, &event);
}

} // namespace

class TestPlots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // Data builders.
    void scopesOfTheRaggedRun();
    void batchSizesOfTheRaggedRun();
    void perSampleSeriesConcatenatesTheRun();
    void histogramEqualsLossSummary();
    void histogramOfARunUsesTheSameRule();
    void perClassMeansEqualTorch_data();
    void perClassMeansEqualTorch();
    void sortsClasses_data();
    void sortsClasses();
    void tiedSizesFlagOneBatch_data();
    void tiedSizesFlagOneBatch();
    // Widgets.
    void everyKindDrawsTheRaggedRun_data();
    void everyKindDrawsTheRaggedRun();
    void perBatchHighlightsTheShortBatch();
    void hoverShowsTheSample();
    void clickActivatesTheSample();
    void resetViewRestoresTheRange();
    void histogramLogCounts();
    void perClassSortFromTheToolRow();
    void emptyDataShowsAMessage();
    void followsADarkPalette();
    // Scale.
    void drawsTenMillionPoints();

private:
    InProcessSession m_session;
    std::shared_ptr<const AnalysisResult> m_ragged;
};

void TestPlots::initTestCase()
{
    m_ragged = raggedRun(m_session);
    QVERIFY(m_ragged);
    QCOMPARE(m_ragged->runs.size(), size_t(1));
}

void TestPlots::scopesOfTheRaggedRun()
{
    const std::vector<PlotScope> scopes = plotScopes(*m_ragged);
    QCOMPARE(scopes.size(), size_t(1));
    QCOMPARE(scopes[0].run, 0);
    QCOMPARE(scopes[0].pairs, m_ragged->runs[0].pairs);
    QVERIFY2(scopes[0].title.contains(QLatin1String("8 batches")), qPrintable(scopes[0].title));
    QCOMPARE(scopeOfPair(scopes, 7), 0);
    QCOMPARE(scopeOfPair(scopes, 99), -1);
    // Loose pairs get a scope each; pairs without losses get none.
    const auto names =
        test::analyzeFile(m_session, test::fixturePath(QStringLiteral("names_variants.h5")));
    QVERIFY(names);
    QCOMPARE(plotScopes(*names).size(), names->pairs.size());
}

void TestPlots::batchSizesOfTheRaggedRun()
{
    const BatchSeries series = buildBatchSeries(*m_ragged, plotScopes(*m_ragged).front());
    QCOMPARE(series.batches.size(), size_t(8));
    for (size_t b = 0; b < 7; ++b) {
        QCOMPARE(series.batches[b].size, qint64(64));
        QVERIFY(!series.batches[b].ragged);
    }
    QCOMPARE(series.batches[7].size, qint64(17));
    QVERIFY(series.batches[7].ragged);
    QCOMPARE(series.typicalSize, qint64(64));
    QCOMPARE(series.raggedCount, qint64(1));
    QCOMPARE(series.runName, QStringLiteral("/batch_#"));
    for (size_t b = 0; b < 8; ++b)
        QCOMPARE(series.batches[b].meanLoss, m_ragged->runs[0].batches[b].meanLoss);
}

void TestPlots::perSampleSeriesConcatenatesTheRun()
{
    const PerSampleSeries series = buildPerSampleSeries(m_ragged, plotScopes(*m_ragged).front());
    QCOMPARE(series.total, qint64(64 * 7 + 17));
    QCOMPARE(series.spans.size(), size_t(8));
    for (size_t b = 0; b < 8; ++b) {
        QCOMPARE(series.spans[b].first, qint64(64 * b));
        QCOMPARE(series.spans[b].count, b < 7 ? qint64(64) : qint64(17));
        QCOMPARE(series.spans[b].ragged, b == 7);
    }
    QVERIFY(series.hasPredictions);
    QCOMPARE(series.correct.size() + series.wrong.size() + series.ignored.size() +
                 series.other.size() + series.nonFinite,
             series.total);
    QCOMPARE(series.other.size(), qint64(0));
    // Correct predictions are the analysis's accuracy, batch by batch.
    double correct = 0;
    for (int p : m_ragged->runs[0].pairs) {
        const LossSummary& s = m_ragged->pairs[static_cast<size_t>(p)].summary;
        correct += s.accuracy * static_cast<double>(s.positions);
    }
    QCOMPARE(series.correct.size(), qint64(std::llround(correct)));
    // Keys are sorted global indices; values are the analysis's losses.
    QVERIFY(std::is_sorted(series.wrong.keys.begin(), series.wrong.keys.end()));
    for (qsizetype i = 0; i < series.wrong.size(); ++i) {
        const SamplePoint point = series.point(static_cast<qint64>(series.wrong.keys[i]));
        QCOMPARE(point.loss, series.wrong.values[i]);
        QVERIFY(point.predicted != point.target);
        QCOMPARE(series.globalIndex(point.pair, point.sample), point.global);
    }
    const SamplePoint last = series.point(series.total - 1);
    QCOMPARE(last.pair, m_ragged->runs[0].pairs.back());
    QCOMPARE(last.sample, qint64(16));
    QCOMPARE(series.point(series.total).pair, -1);
    QCOMPARE(series.point(-1).pair, -1);
}

void TestPlots::histogramEqualsLossSummary()
{
    const auto basic =
        test::analyzeFile(m_session, test::fixturePath(QStringLiteral("ce_basic.h5")));
    QVERIFY(basic);
    const PlotScope scope = plotScopes(*basic).front();
    const HistogramSeries series = buildHistogramSeries(*basic, scope);
    const Histogram& h = basic->pairs.front().summary.histogram;
    QCOMPARE(series.counts.size(), qsizetype(h.counts.size()));
    QVERIFY(series.counts.size() > 1);
    QCOMPARE(series.low, h.low);
    QVERIFY(std::abs(series.high() - h.high) < 1e-12);
    for (qsizetype b = 0; b < series.counts.size(); ++b) {
        QCOMPARE(series.counts[b], double(h.counts[static_cast<size_t>(b)]));
        QVERIFY(std::abs(series.centers[b] -
                         (h.low + (b + 0.5) * (h.high - h.low) / h.counts.size())) < 1e-12);
    }
    QCOMPARE(series.total, basic->pairs.front().summary.samples);
    QVERIFY(std::abs(series.mean - 3.798377752304077) < 1e-5); // torch's mean of ce_basic
}

void TestPlots::histogramOfARunUsesTheSameRule()
{
    const PlotScope scope = plotScopes(*m_ragged).front();
    const HistogramSeries series = buildHistogramSeries(*m_ragged, scope);
    std::vector<double> losses;
    std::vector<quint8> ignored;
    for (int p : scope.pairs) {
        const SampleValues& v = m_ragged->pairs[static_cast<size_t>(p)].samples;
        losses.insert(losses.end(), v.loss.begin(), v.loss.end());
        ignored.insert(ignored.end(), v.ignored.begin(), v.ignored.end());
    }
    const Histogram h = makeHistogram(losses, ignored);
    QCOMPARE(series.counts.size(), qsizetype(h.counts.size()));
    QCOMPARE(std::accumulate(series.counts.begin(), series.counts.end(), 0.0), double(64 * 7 + 17));
    QCOMPARE(series.total, qint64(64 * 7 + 17));
    QCOMPARE(series.maxCount, double(*std::max_element(h.counts.begin(), h.counts.end())));
}

void TestPlots::perClassMeansEqualTorch_data()
{
    QTest::addColumn<QJsonObject>("expected");
    const QJsonArray all = test::readJson(QFINDTESTDATA("data/dumps/expected.json")).array();
    for (const QJsonValue& value : all) {
        const QJsonObject c = value.toObject();
        const QJsonObject options = c.value(QStringLiteral("options")).toObject();
        // Class-index targets with plain options (the fixture's options are applied below).
        if (options.contains(QStringLiteral("loss")) || options.contains(QStringLiteral("input")))
            continue;
        bool losses = false;
        for (const QJsonValue& pair : c.value(QStringLiteral("pairs")).toArray())
            losses = losses || pair.toObject().value(QStringLiteral("losses")).isArray();
        if (losses)
            QTest::addRow("%s", qPrintable(c.value(QStringLiteral("name")).toString())) << c;
    }
}

void TestPlots::perClassMeansEqualTorch()
{
    QFETCH(QJsonObject, expected);
    const QJsonObject json = expected.value(QStringLiteral("options")).toObject();
    AnalysisOptions options;
    options.spec.ignoreIndex = json.value(QStringLiteral("ignore_index")).toInteger(-100);
    options.spec.labelSmoothing = json.value(QStringLiteral("label_smoothing")).toDouble(0.0);
    if (json.contains(QStringLiteral("weight_tensor")))
        options.spec.weightTensor = json.value(QStringLiteral("weight_tensor")).toString();
    else
        for (const QJsonValue& v : json.value(QStringLiteral("weight")).toArray())
            options.spec.weight.push_back(v.toDouble());
    if (json.contains(QStringLiteral("class_dim")))
        options.spec.classDim = json.value(QStringLiteral("class_dim")).toInt();
    const QString path = test::fixturePath(expected.value(QStringLiteral("file")).toString());
    const auto result = test::analyzeFile(m_session, path, options);
    QVERIFY(result);
    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    int compared = 0;
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const PairResult& pair = result->pairs[static_cast<size_t>(p)];
        const QJsonValue losses = pairs[p].toObject().value(QStringLiteral("losses"));
        // Per-sample torch values are per class only with one position per sample.
        if (!losses.isArray() || pair.layout.targetKind != TargetKind::ClassIndices ||
            pair.layout.positionsPerSample() != 1)
            continue;
        Shape targetShape;
        for (const TensorInfo& t : result->dump.tensors)
            if (t.path == pair.target)
                targetShape = t.shape;
        const Expected<SliceResult> targets =
            m_session.readSlice(SliceRequest{path, pair.target, Slab::whole(targetShape)});
        QVERIFY(targets.ok());
        std::map<qint64, std::pair<double, qint64>> byClass;
        const QJsonArray torch = losses.toArray();
        for (qsizetype s = 0; s < torch.size(); ++s) {
            const auto target = static_cast<qint64>(targets->values[static_cast<size_t>(s)]);
            if (torch[s].isNull() || target == options.spec.ignoreIndex)
                continue;
            auto& [sum, count] = byClass[target];
            sum += test::jsonNumber(torch[s]);
            ++count;
        }
        const ClassSeries series =
            buildClassSeries(*result, PlotScope{QString(), -1, {static_cast<int>(p)}});
        QCOMPARE(series.classes.size(), byClass.size());
        for (const ClassEntry& e : series.classes) {
            const auto& [sum, count] = byClass.at(e.classIndex);
            QCOMPARE(e.count, count);
            QVERIFY2(test::closeToTorch(e.meanLoss, sum / static_cast<double>(count)),
                     qPrintable(QStringLiteral("class %1: ours %2, torch %3")
                                    .arg(e.classIndex)
                                    .arg(e.meanLoss)
                                    .arg(sum / count)));
        }
        ++compared;
    }
    if (compared == 0)
        QSKIP("no (N, C) pair with class-index targets");
}

void TestPlots::sortsClasses_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<bool>("ascending");
    QTest::addColumn<std::vector<qint64>>("classes");
    QTest::addRow("by class") << int(ClassOrder::ByClass) << false
                              << std::vector<qint64>{0, 1, 2, 3};
    QTest::addRow("by mean loss, highest first")
        << int(ClassOrder::ByMeanLoss) << false << std::vector<qint64>{2, 0, 3, 1};
    QTest::addRow("by mean loss, lowest first")
        << int(ClassOrder::ByMeanLoss) << true << std::vector<qint64>{1, 3, 0, 2};
    QTest::addRow("by count, ties by class")
        << int(ClassOrder::ByCount) << false << std::vector<qint64>{1, 3, 0, 2};
}

void TestPlots::sortsClasses()
{
    QFETCH(int, order);
    QFETCH(bool, ascending);
    QFETCH(std::vector<qint64>, classes);
    std::vector<ClassEntry> entries{{2, 5, 3.0}, {0, 7, 2.0}, {3, 9, 1.5}, {1, 9, 0.5}};
    sortClasses(entries, static_cast<ClassOrder>(order), ascending);
    std::vector<qint64> got;
    for (const ClassEntry& e : entries)
        got.push_back(e.classIndex);
    QCOMPARE(got, classes);
}

void TestPlots::tiedSizesFlagOneBatch_data()
{
    QTest::addColumn<std::vector<qint64>>("sizes");
    QTest::addColumn<QList<int>>("ragged"); // steps
    QTest::addRow("64, 32") << std::vector<qint64>{64, 32} << QList<int>{1};
    QTest::addRow("32, 64") << std::vector<qint64>{32, 64} << QList<int>{0};
    QTest::addRow("64, 64, 32, 32") << std::vector<qint64>{64, 64, 32, 32} << QList<int>{2, 3};
}

// On tied sizes the diagnostic, the run strip and the Losses tab's plots flag the same batches.
void TestPlots::tiedSizesFlagOneBatch()
{
    QFETCH(std::vector<qint64>, sizes);
    QFETCH(QList<int>, ragged);
    QTemporaryDir dir;
    QVERIFY(test::writeRunFolder(dir.path(), sizes));
    const auto result = test::analyzeFile(m_session, dir.path());
    QVERIFY(result);
    QList<int> diagnosed;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.code == DiagCode::RaggedBatch)
            diagnosed << result->pairs[size_t(d.pair)].step;
    }
    QCOMPARE(diagnosed, ragged);

    RunStripView strip;
    strip.setRun(result.get(), 0, -1);
    QCOMPARE(strip.raggedBatches(), ragged);
    QCOMPARE(strip.typicalSize(), result->runs[0].typicalBatchSize);

    const PlotScope scope = plotScopes(*result).front();
    const BatchSeries batches = buildBatchSeries(*result, scope);
    const PerSampleSeries samples = buildPerSampleSeries(result, scope);
    QList<int> plotted, banded;
    for (size_t b = 0; b < batches.batches.size(); ++b) {
        if (batches.batches[b].ragged)
            plotted << int(b);
    }
    for (size_t s = 0; s < samples.spans.size(); ++s) {
        if (samples.spans[s].ragged)
            banded << int(s);
    }
    QCOMPARE(plotted, ragged);
    QCOMPARE(banded, ragged);
    QCOMPARE(batches.raggedCount, qint64(ragged.size()));
    QCOMPARE(batches.typicalSize, result->runs[0].typicalBatchSize);
}

void TestPlots::everyKindDrawsTheRaggedRun_data()
{
    QTest::addColumn<PlotKind>("kind");
    for (PlotKind kind : kAllPlotKinds)
        QTest::addRow("%s", qPrintable(plotKindName(kind))) << kind;
}

void TestPlots::everyKindDrawsTheRaggedRun()
{
    QFETCH(PlotKind, kind);
    std::unique_ptr<LossPlot> plot = createLossPlot(kind, m_ragged, plotScopes(*m_ragged).front());
    QCOMPARE(plot->kind(), kind);
    QVERIFY(plot->hasData());
    QVERIFY(plot->message().isEmpty());
    QVERIFY2(plot->title().contains(QLatin1String("/batch_#")), qPrintable(plot->title()));
    QCOMPARE(plotKindFromName(plotKindName(kind)), std::optional<PlotKind>(kind));
    const QImage image = plot->customPlot()->toPixmap(900, 500).toImage();
    QCOMPARE(image.size(), QSize(900, 500));
    QVERIFY(test::distinctColors(image) > 4);
}

void TestPlots::perBatchHighlightsTheShortBatch()
{
    PerBatchPlot plot;
    plot.setData(buildBatchSeries(*m_ragged, plotScopes(*m_ragged).front()));
    QCustomPlot* custom = plot.customPlot();
    // Two bar sets: the 7 regular batches and the short one, in the highlight colour.
    QList<QCPBars*> bars;
    for (int i = 0; i < custom->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPBars*>(custom->plottable(i)))
            bars << b;
    QCOMPARE(bars.size(), 2);
    QCOMPARE(bars[0]->data()->size(), 7);
    QCOMPARE(bars[1]->data()->size(), 1);
    QCOMPARE(bars[1]->data()->at(0)->key, 7.0);
    QCOMPARE(bars[1]->data()->at(0)->value, 17.0);
    QVERIFY(bars[1]->brush().color() != bars[0]->brush().color());
    // Sizes start at 0, so the short bar is a quarter of the others' height.
    QCOMPARE(custom->yAxis->range().lower, 0.0);
    bool labelled = false;
    for (int i = 0; i < custom->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(custom->item(i)))
            labelled =
                labelled || (text->visible() && text->text().contains(QLatin1String("17 samples")));
    QVERIFY(labelled);
    plot.resize(800, 500);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    custom->replot();
    const QRect rect = custom->axisRect()->rect();
    const QPointF shortBar(custom->xAxis->coordToPixel(7), custom->yAxis->coordToPixel(8));
    QCOMPARE(plot.batchAt(shortBar), 7);
    QVERIFY2(plot.toolTipAt(shortBar).contains(QLatin1String("17 samples (usually 64)")),
             qPrintable(plot.toolTipAt(shortBar)));
    QVERIFY(rect.contains(shortBar.toPoint()));
    QSignalSpy activated(&plot, &PerBatchPlot::batchActivated);
    QTest::mouseClick(custom, Qt::LeftButton, {}, shortBar.toPoint());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.front().front().toInt(), m_ragged->runs[0].pairs[7]);
}

void TestPlots::hoverShowsTheSample()
{
    PerSamplePlot plot;
    plot.setData(buildPerSampleSeries(m_ragged, plotScopes(*m_ragged).front()));
    plot.resize(1000, 600);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.customPlot()->replot();
    const int pair = m_ragged->runs[0].pairs[3];
    const PairResult& p = m_ragged->pairs[static_cast<size_t>(pair)];
    // A wrong prediction: the tooltip names target, prediction, p(target) and the loss.
    qint64 sample = 0;
    while (p.samples.predicted[static_cast<size_t>(sample)] ==
           p.samples.target[static_cast<size_t>(sample)])
        ++sample;
    const QPointF where = plot.pixelOf(pair, sample);
    QVERIFY(!std::isnan(where.x()));
    const SamplePoint found = plot.sampleAt(where);
    QCOMPARE(found.pair, pair);
    QCOMPARE(found.sample, sample);
    QSignalSpy hovered(&plot, &PerSamplePlot::sampleHovered);
    sendMove(plot.customPlot(), where);
    const QString tip = plot.lastToolTip();
    QVERIFY2(tip.contains(QStringLiteral("Sample %1").arg(sample)), qPrintable(tip));
    QVERIFY2(tip.contains(
                 QStringLiteral("target %1").arg(p.samples.target[static_cast<size_t>(sample)])),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("predicted %1 (wrong)")
                              .arg(p.samples.predicted[static_cast<size_t>(sample)])),
             qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("p(target)")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("loss %1").arg(p.samples.loss[static_cast<size_t>(sample)],
                                                        0, 'g', 5)),
             qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("batch 3")), qPrintable(tip));
    QCOMPARE(hovered.size(), 1);
    QCOMPARE(hovered.front().at(0).toInt(), pair);
    // Far from every point: no tooltip.
    sendMove(plot.customPlot(), QPointF(plot.customPlot()->axisRect()->left() + 2,
                                        plot.customPlot()->axisRect()->top() + 2));
    QVERIFY(plot.lastToolTip().isEmpty());
    QCOMPARE(hovered.size(), 2);
    QCOMPARE(hovered.back().at(0).toInt(), -1);
}

void TestPlots::clickActivatesTheSample()
{
    PerSamplePlot plot;
    plot.setData(buildPerSampleSeries(m_ragged, plotScopes(*m_ragged).front()));
    plot.resize(1000, 600);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.customPlot()->replot();
    const int pair = m_ragged->runs[0].pairs[7]; // the short batch
    const QPointF where = plot.pixelOf(pair, 5);
    QSignalSpy activated(&plot, &PerSamplePlot::sampleActivated);
    QTest::mouseClick(plot.customPlot(), Qt::LeftButton, {}, where.toPoint());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.front().at(0).toInt(), pair);
    QCOMPARE(activated.front().at(1).toLongLong(), qint64(5));
    // A click on empty space activates nothing.
    QTest::mouseClick(plot.customPlot(), Qt::LeftButton, {},
                      plot.customPlot()->axisRect()->topLeft() + QPoint(3, 3));
    QCOMPARE(activated.size(), 1);
}

void TestPlots::resetViewRestoresTheRange()
{
    PerSamplePlot plot;
    plot.setData(buildPerSampleSeries(m_ragged, plotScopes(*m_ragged).front()));
    const QCPRange x = plot.customPlot()->xAxis->range();
    const QCPRange y = plot.customPlot()->yAxis->range();
    QVERIFY(x.lower < 0 && x.upper > 464);
    plot.zoomToPair(m_ragged->runs[0].pairs[2]);
    QVERIFY(plot.customPlot()->xAxis->range().lower > 120 &&
            plot.customPlot()->xAxis->range().upper < 200);
    plot.customPlot()->yAxis->scaleRange(0.5);
    auto* reset = plot.findChild<QToolButton*>(QStringLiteral("resetView"));
    QVERIFY(reset);
    reset->click();
    QCOMPARE(plot.customPlot()->xAxis->range(), x);
    QCOMPARE(plot.customPlot()->yAxis->range(), y);
}

void TestPlots::histogramLogCounts()
{
    LossHistogramPlot plot;
    plot.setData(buildHistogramSeries(*m_ragged, plotScopes(*m_ragged).front()));
    QCOMPARE(plot.customPlot()->yAxis->scaleType(), QCPAxis::stLinear);
    auto* box = plot.findChild<QCheckBox*>(QStringLiteral("logCounts"));
    QVERIFY(box);
    box->click();
    QVERIFY(plot.logCounts());
    QCOMPARE(plot.customPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.customPlot()->yAxis->range().lower > 0);
    QVERIFY(test::distinctColors(plot.customPlot()->toPixmap(600, 400).toImage()) > 4);
    plot.setLogCounts(false);
    QVERIFY(!box->isChecked());
}

void TestPlots::perClassSortFromTheToolRow()
{
    PerClassPlot plot;
    plot.setData(buildClassSeries(*m_ragged, plotScopes(*m_ragged).front()));
    QCOMPARE(plot.classes().size(), size_t(10));
    auto* box = plot.findChild<QComboBox*>(QStringLiteral("classOrder"));
    QVERIFY(box);
    box->setCurrentIndex(box->findData(int(ClassOrder::ByMeanLoss)));
    QCOMPARE(plot.order(), ClassOrder::ByMeanLoss);
    for (size_t i = 1; i < plot.classes().size(); ++i)
        QVERIFY(plot.classes()[i - 1].meanLoss >= plot.classes()[i].meanLoss);
    plot.resize(800, 500);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.customPlot()->replot();
    const QPointF first(plot.customPlot()->xAxis->coordToPixel(0),
                        plot.customPlot()->yAxis->coordToPixel(0.1));
    QVERIFY2(plot.toolTipAt(first).startsWith(
                 QStringLiteral("class %1\n").arg(plot.classes().front().classIndex)),
             qPrintable(plot.toolTipAt(first)));
}

void TestPlots::emptyDataShowsAMessage()
{
    for (PlotKind kind : kAllPlotKinds) {
        std::unique_ptr<LossPlot> plot = createLossPlot(kind);
        QVERIFY(!plot->hasData());
        QVERIFY2(!plot->message().isEmpty(), qPrintable(plotKindName(kind)));
        // A null result clears a plot that had data.
        setLossPlotData(plot.get(), m_ragged, plotScopes(*m_ragged).front());
        QVERIFY(plot->hasData());
        setLossPlotData(plot.get(), nullptr, {});
        QVERIFY(!plot->hasData());
    }
    // K-dim pairs have no per-class entries only when targets are not classes; BCE has none.
    const auto bce =
        test::analyzeFile(m_session, test::fixturePath(QStringLiteral("bce_basic.h5")), [] {
            AnalysisOptions o;
            o.spec.kind = LossKind::Bce;
            return o;
        }());
    QVERIFY(bce);
    PerClassPlot plot;
    plot.setData(buildClassSeries(*bce, plotScopes(*bce).front()));
    QVERIFY(!plot.hasData());
    QVERIFY(plot.message().contains(QLatin1String("not class indices")));
}

void TestPlots::followsADarkPalette()
{
    PerBatchPlot plot;
    plot.setData(buildBatchSeries(*m_ragged, plotScopes(*m_ragged).front()));
    const QColor lightBackground = plot.customPlot()->toPixmap(400, 300).toImage().pixelColor(2, 2);
    QPalette dark = plot.palette();
    dark.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    plot.setPalette(dark);
    const QImage image = plot.customPlot()->toPixmap(400, 300).toImage();
    QVERIFY(lightBackground.lightnessF() > 0.5);
    QVERIFY(image.pixelColor(2, 2).lightnessF() < 0.3);
    QCOMPARE(plot.customPlot()->xAxis->tickLabelColor(), QColor(0xe6, 0xe6, 0xe6));
}

void TestPlots::drawsTenMillionPoints()
{
    // 5,000 batches of 2,000 samples: 10 M points, and a band per batch. How fast this replots
    // is measured by tests/bench/guibench.cpp (--replot), not here: tests run under sanitizers
    // and on shared machines.
    const auto result = test::syntheticRun(5000, 2000, 1234);
    const PlotScope scope = plotScopes(*result).front();
    PerSampleSeries series = buildPerSampleSeries(result, scope);
    QCOMPARE(series.total, qint64(4999) * 2000 + 1234);
    PerSamplePlot plot;
    plot.resize(1600, 1000);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setData(std::move(series));
    QCustomPlot* custom = plot.customPlot();
    custom->replot(QCustomPlot::rpImmediateRefresh);
    QCOMPARE(custom->xAxis->range().lower <= 0 && custom->xAxis->range().upper >= 9'999'000, true);
    // Zoomed in, hovering finds the sample under the cursor, in the right batch.
    custom->xAxis->setRange(4'000'000, 4'000'400);
    custom->replot(QCustomPlot::rpImmediateRefresh);
    const SamplePoint hit = plot.sampleAt(QPointF(custom->axisRect()->center()), 400);
    QVERIFY2(hit.global >= 4'000'000 && hit.global <= 4'000'400,
             qPrintable(QString::number(hit.global)));
    QCOMPARE(hit.pair, int(hit.global / 2000));
    QCOMPARE(hit.sample, hit.global % 2000);
}

SHAPESCOPE_GUI_TEST_MAIN(TestPlots)
#include "tst_plots.moc"
