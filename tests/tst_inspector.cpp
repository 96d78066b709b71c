// SPDX-License-Identifier: GPL-3.0-or-later
// The sample inspector and the losses page: the highest-loss list (QAbstractItemModelTester),
// one sample's bars and maps (read through the Session, in this process or a worker process),
// and the interaction: clicking a point or a list row opens that sample.
#include "losses/highestlossmodel.h"
#include "losses/lossplotspage.h"
#include "losses/sampleinspector.h"
#include "plots/histogramplot.h"
#include "plots/persampleplot.h"
#include "plots/qcustomplotinclude.h"
#include "session/sessionfactory.h"
#include "tst_plots_support.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>

using namespace shapescope;

namespace {

std::shared_ptr<Session> makeSession(bool isolated)
{
    if (!isolated)
        return std::make_shared<InProcessSession>();
    SessionOptions options;
    options.isolated = true;
    options.workerProgram = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    Expected<std::unique_ptr<Session>> session = createSession(options);
    if (!session) {
        qWarning("%s", qPrintable(session.error()));
        return nullptr;
    }
    return std::shared_ptr<Session>(std::move(*session));
}

int barCount(QCPBars* bars)
{
    return bars ? bars->data()->size() : 0;
}

QList<QCPBars*> barsOf(QCustomPlot* plot)
{
    QList<QCPBars*> bars;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPBars*>(plot->plottable(i)))
            bars << b;
    return bars;
}

} // namespace

class TestInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void highestLossList();
    void showsOneSample_data();
    void showsOneSample();
    void showsKdimMaps();
    void higherRankSliceBoxes();
    void newestRequestWins();
    void explainsPairsWithoutLosses();
    void pageOpensClickedSamples();
    void pageOpensListRows();
    void pageFollowsScopes();

private:
    std::shared_ptr<Session> m_session = std::make_shared<InProcessSession>();
    QString m_raggedPath;
    std::shared_ptr<const AnalysisResult> m_ragged;
};

void TestInspector::initTestCase()
{
    m_raggedPath = test::examplePath(QStringLiteral("ragged_run.h5"));
    m_ragged = test::analyzeFile(*m_session, m_raggedPath);
    QVERIFY(m_ragged);
}

void TestInspector::highestLossList()
{
    HighestLossModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const PlotScope scope = plotScopes(*m_ragged).front();
    model.setEntries(highestLossEntries(*m_ragged, scope));
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(model.columnCount(), int(HighestLossModel::ColumnCount));
    // The run's highest per-sample loss first, descending after.
    double highest = 0;
    for (int p : scope.pairs)
        for (double loss : m_ragged->pairs[static_cast<size_t>(p)].samples.loss)
            highest = std::max(highest, loss);
    QCOMPARE(model.entries().front().sample.loss, highest);
    for (size_t i = 1; i < model.entries().size(); ++i)
        QVERIFY(model.entries()[i - 1].sample.loss >= model.entries()[i].sample.loss);
    const QModelIndex top = model.index(0, HighestLossModel::LossColumn);
    QCOMPARE(top.data().toString(), QString::number(highest, 'g', 5));
    const int pair = top.data(HighestLossModel::PairRole).toInt();
    const qint64 sample = top.data(HighestLossModel::SampleRole).toLongLong();
    QCOMPARE(m_ragged->pairs[static_cast<size_t>(pair)].samples.loss[static_cast<size_t>(sample)],
             highest);
    QCOMPARE(model.index(0, HighestLossModel::RankColumn).data().toInt(), 1);
    QCOMPARE(model.headerData(HighestLossModel::PTargetColumn, Qt::Horizontal).toString(),
             QStringLiteral("p(target)"));
    QVERIFY(model.index(0, HighestLossModel::TargetColumn).data() !=
            model.index(0, HighestLossModel::PredictedColumn).data());
    QVERIFY2(model.index(0, HighestLossModel::BatchColumn)
                 .data()
                 .toString()
                 .startsWith(QStringLiteral("/batch_")),
             qPrintable(model.index(0, HighestLossModel::BatchColumn).data().toString()));
    model.setEntries(highestLossEntries(*m_ragged, scope, 5));
    QCOMPARE(model.rowCount(), 5);
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
    // A pair in the file's root is named by its input, not by the root group "/".
    const auto loose =
        test::analyzeFile(*m_session, test::fixturePath(QStringLiteral("ce_basic.h5")));
    QVERIFY(loose);
    model.setEntries(highestLossEntries(*loose, plotScopes(*loose).front()));
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(model.index(0, HighestLossModel::BatchColumn).data().toString(),
             QStringLiteral("/logits"));
}

void TestInspector::showsOneSample_data()
{
    QTest::addColumn<bool>("isolated");
    QTest::addRow("in this process") << false;
    QTest::addRow("through a worker process") << true;
}

void TestInspector::showsOneSample()
{
    QFETCH(bool, isolated);
    const std::shared_ptr<Session> session = makeSession(isolated);
    QVERIFY(session);
    SampleInspector inspector;
    inspector.setSource(session, m_raggedPath, m_ragged);
    QSignalSpy shown(&inspector, &SampleInspector::detailShown);
    const int pair = m_ragged->runs[0].pairs[7];
    inspector.showSample(pair, 3);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 15000);
    QCOMPARE(shown.front().at(0).toInt(), pair);
    QCOMPARE(shown.front().at(1).toLongLong(), qint64(3));
    const SampleDetail* d = inspector.detail();
    QVERIFY(d);
    const SampleValues& values = m_ragged->pairs[static_cast<size_t>(pair)].samples;
    QCOMPARE(d->sampleLoss, values.loss[3]);
    QCOMPARE(d->target[0], values.target[3]);
    const QString header = inspector.headerText();
    QVERIFY2(header.contains(QLatin1String("Sample 3")), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("target <b>%1</b>").arg(values.target[3])),
             qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("predicted <b>%1</b>").arg(values.predicted[3])),
             qPrintable(header));
    QVERIFY2(header.contains(QString::number(values.loss[3], 'g', 5)), qPrintable(header));
    // Ten classes as bars: the target's in its own (highlighted) bar set, in both charts.
    const QList<QCPBars*> bars = barsOf(inspector.barPlot());
    QCOMPARE(bars.size(), 4);
    QCOMPARE(barCount(bars[0]) + barCount(bars[1]), 10);
    QCOMPARE(barCount(bars[1]), 1);
    QCOMPARE(bars[1]->data()->at(0)->key, double(values.target[3]));
    QCOMPARE(barCount(bars[3]), 1);
    QVERIFY(std::abs(bars[3]->data()->at(0)->value - values.pTarget[3]) < 1e-6);
    QVERIFY(bars[1]->brush().color() != bars[0]->brush().color());
    QVERIFY(!inspector.lossMapPlot()->isVisibleTo(&inspector));
}

void TestInspector::showsKdimMaps()
{
    const QString path = test::examplePath(QStringLiteral("segmentation_void.h5"));
    AnalysisOptions options;
    options.spec.ignoreIndex = 255;
    const auto result = test::analyzeFile(*m_session, path, options);
    QVERIFY(result);
    QVERIFY(result->pairs.front().hasLosses);
    SampleInspector inspector;
    inspector.resize(900, 800);
    inspector.setSource(m_session, path, result);
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    QSignalSpy shown(&inspector, &SampleInspector::detailShown);
    inspector.showSample(0, 1);
    QTRY_COMPARE(shown.size(), 1);
    const SampleDetail* d = inspector.detail();
    QVERIFY(d);
    QCOMPARE(d->mapShape.size(), size_t(2));
    QVERIFY(inspector.lossMapPlot()->isVisibleTo(&inspector));
    QVERIFY(inspector.targetMapPlot()->isVisibleTo(&inspector));
    auto* lossMap = qobject_cast<QCPColorMap*>(inspector.lossMapPlot()->plottable(0));
    QVERIFY(lossMap);
    QCOMPARE(lossMap->data()->keySize(), int(d->mapShape[1]));
    QCOMPARE(lossMap->data()->valueSize(), int(d->mapShape[0]));
    // Starts at the worst position; clicking a cell of the map selects it.
    QCOMPARE(inspector.position(), d->worstPosition());
    QCustomPlot* map = inspector.lossMapPlot();
    map->replot();
    const QPoint cell(qRound(map->xAxis->coordToPixel(5)), qRound(map->yAxis->coordToPixel(2)));
    QTest::mouseClick(map, Qt::LeftButton, {}, cell);
    QCOMPARE(inspector.position(), qint64(2 * d->mapShape[1] + 5));
    QVERIFY2(inspector.headerText().contains(QLatin1String("row 2, column 5")),
             qPrintable(inspector.headerText()));
    // Void pixels (255) are ignored: not counted, drawn in the NaN colour.
    qint64 ignored = 0;
    for (quint8 i : d->ignored)
        ignored += i;
    QVERIFY(ignored > 0);
    QCOMPARE(d->countedPositions + ignored, qint64(d->loss.size()));
    const QList<QCPBars*> bars = barsOf(inspector.barPlot());
    QCOMPARE(barCount(bars[0]) + barCount(bars[1]), int(d->classes));
}

void TestInspector::higherRankSliceBoxes()
{
    const QString path = test::fixturePath(QStringLiteral("ce_kdim_3d.npz"));
    const auto result = test::analyzeFile(*m_session, path);
    QVERIFY(result);
    SampleInspector inspector;
    inspector.setSource(m_session, path, result);
    QSignalSpy shown(&inspector, &SampleInspector::detailShown);
    inspector.showSample(0, 0);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(inspector.detail()->sliceIndex, std::vector<qint64>{0});
    auto* box = inspector.findChild<QSpinBox*>(QStringLiteral("slice2"));
    QVERIFY(box);
    QCOMPARE(box->maximum(), 1);
    box->setValue(1);
    QTRY_COMPARE(shown.size(), 2);
    QCOMPARE(inspector.detail()->sliceIndex, std::vector<qint64>{1});
    QVERIFY(inspector.headerText().contains(QLatin1String("slice loss")));
}

void TestInspector::newestRequestWins()
{
    SampleInspector inspector;
    inspector.setSource(m_session, m_raggedPath, m_ragged);
    QSignalSpy shown(&inspector, &SampleInspector::detailShown);
    for (qint64 s = 0; s < 10; ++s)
        inspector.showSample(m_ragged->runs[0].pairs[1], s);
    QTRY_VERIFY(shown.size() >= 1);
    QTest::qWait(100);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(inspector.sample(), qint64(9));
    QCOMPARE(inspector.detail()->sample, qint64(9));
}

void TestInspector::explainsPairsWithoutLosses()
{
    const QString path = test::fixturePath(QStringLiteral("batch_32_vs_64.h5"));
    const auto result = test::analyzeFile(*m_session, path);
    QVERIFY(result);
    SampleInspector inspector;
    inspector.setSource(m_session, path, result);
    QSignalSpy failed(&inspector, &SampleInspector::loadFailed);
    inspector.showSample(0, 0);
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(!inspector.detail());
    QVERIFY2(inspector.statusText().startsWith(QLatin1String("Cannot inspect sample 0: ")),
             qPrintable(inspector.statusText()));
}

void TestInspector::pageOpensClickedSamples()
{
    LossPlotsPage page;
    page.setSession(m_session);
    page.setResult(m_ragged, m_raggedPath);
    page.resize(1500, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.currentKind(), PlotKind::PerSample);
    PerSamplePlot* plot = page.perSamplePlot();
    plot->customPlot()->replot();
    const int pair = m_ragged->runs[0].pairs[5];
    const QPointF where = plot->pixelOf(pair, 40);
    QSignalSpy activated(&page, &LossPlotsPage::sampleActivated);
    QSignalSpy shown(page.inspector(), &SampleInspector::detailShown);
    // Hover first: the tooltip names the sample.
    QMouseEvent move(QEvent::MouseMove, where, plot->customPlot()->mapToGlobal(where), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(plot->customPlot(), &move);
    QVERIFY2(plot->lastToolTip().contains(QLatin1String("Sample 40")),
             qPrintable(plot->lastToolTip()));
    QTest::mouseClick(plot->customPlot(), Qt::LeftButton, {}, where.toPoint());
    QCOMPARE(activated.size(), 1);
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(page.inspector()->pair(), pair);
    QCOMPARE(page.inspector()->sample(), qint64(40));
    QVERIFY(page.inspector()->headerText().contains(QLatin1String("Sample 40")));
}

void TestInspector::pageOpensListRows()
{
    LossPlotsPage page;
    page.setSession(m_session);
    page.setResult(m_ragged, m_raggedPath);
    page.resize(1500, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTableView* list = page.highestLossView();
    QCOMPARE(list->model()->rowCount(), 20);
    const QModelIndex row = list->model()->index(2, HighestLossModel::SampleColumn);
    QSignalSpy shown(page.inspector(), &SampleInspector::detailShown);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row).center());
    QTRY_COMPARE(shown.size(), 1);
    QCOMPARE(page.inspector()->pair(), row.data(HighestLossModel::PairRole).toInt());
    QCOMPARE(page.inspector()->sample(), row.data(HighestLossModel::SampleRole).toLongLong());
    // The per-sample plot rings it.
    auto* ring = page.perSamplePlot()->customPlot()->graph(
        page.perSamplePlot()->customPlot()->graphCount() - 1);
    QCOMPARE(ring->dataCount(), 1);
}

void TestInspector::pageFollowsScopes()
{
    const QString path = test::fixturePath(QStringLiteral("names_variants.h5"));
    const auto result = test::analyzeFile(*m_session, path);
    QVERIFY(result);
    LossPlotsPage page;
    page.setSession(m_session);
    page.setResult(result, path);
    auto* scopes = page.findChild<QComboBox*>(QStringLiteral("scope"));
    QVERIFY(scopes);
    QCOMPARE(scopes->count(), int(page.scopes().size()));
    QVERIFY(scopes->count() > 1);
    page.showSample(2, 0);
    QCOMPARE(page.currentScope(), scopeOfPair(page.scopes(), 2));
    QVERIFY(page.perSamplePlot()->title().contains(result->pairs[2].input));
    QVERIFY(page.histogramPlot()->title().contains(result->pairs[2].input));
    page.setCurrentKind(PlotKind::PerBatch);
    QCOMPARE(page.currentPlot()->kind(), PlotKind::PerBatch);
    QVERIFY(page.suggestedPath(QStringLiteral("losses.csv"))
                .endsWith(QLatin1String("names_variants-losses.csv")));
    page.clear();
    QVERIFY(!page.hasResult());
    QVERIFY(!page.perSamplePlot()->hasData());
    QCOMPARE(page.highestLossModel()->rowCount(), 0);
}

SHAPESCOPE_GUI_TEST_MAIN(TestInspector)
#include "tst_inspector.moc"
