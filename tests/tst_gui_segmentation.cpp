// SPDX-License-Identifier: GPL-3.0-or-later
// The Losses tab's segmentation images (offscreen): the maps follow the selected sample, the
// layer buttons change what is drawn, the confusion matrix matches numpy's counts and clicking a
// cell lists the samples it happens in; every new model under QAbstractItemModelTester.
#include "common/theme.h"
#include "losses/confusionmodel.h"
#include "losses/lossplotspage.h"
#include "losses/segmentationpanel.h"
#include "plots/segmentationmapplot.h"
#include "session/sessionfactory.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace shapescope;

namespace {

QString dump()
{
    return QFINDTESTDATA("data/segmentation/seg2d.h5");
}

QJsonObject expected()
{
    QFile file(QFINDTESTDATA("data/segmentation/expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll())
        .object()[QStringLiteral("cases")]
        .toObject()[QStringLiteral("seg2d")]
        .toObject();
}

std::shared_ptr<Session> makeSession(bool isolated)
{
    SessionOptions options;
    options.isolated = isolated;
    options.workerProgram = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    Expected<std::unique_ptr<Session>> created = createSession(options);
    return created ? std::shared_ptr<Session>(std::move(*created)) : nullptr;
}

std::shared_ptr<const AnalysisResult> analyse(Session& session)
{
    Expected<AnalysisResult> analysed = session.analyze(AnalyzeRequest{dump(), {}}, {});
    return analysed ? std::make_shared<const AnalysisResult>(std::move(*analysed)) : nullptr;
}

} // namespace

class TestGuiSegmentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapsFollowTheSample_data();
    void mapsFollowTheSample();
    void layersChangeTheImage();
    void cellListsItsSamples();
    void legendAndNames();
    void exports();
    // Not a check: with SHAPESCOPE_SCREENSHOT_DIR set, saves the Losses tab at 1024 x 700 with
    // the segmentation images, light and dark.
    void screenshots();
};

void TestGuiSegmentation::mapsFollowTheSample_data()
{
    QTest::addColumn<bool>("isolated");
    QTest::addRow("in process") << false;
    QTest::addRow("worker") << true;
}

void TestGuiSegmentation::mapsFollowTheSample()
{
    QFETCH(bool, isolated);
    const std::shared_ptr<Session> session = makeSession(isolated);
    QVERIFY(session);
    const auto result = analyse(*session);
    QVERIFY(result);
    QVERIFY(SegmentationPanel::isSegmentationPair(*result, 0));
    LossPlotsPage page;
    page.resize(1024, 700);
    page.setSession(session);
    SegmentationPanel* panel = page.segmentationPanel();
    QSignalSpy shown(panel, &SegmentationPanel::detailShown);
    page.setResult(result, dump());
    QVERIFY(page.viewTabs()->isTabEnabled(1));
    QTRY_COMPARE(shown.count(), 1);
    QCOMPARE(panel->mapPlot()->detail()->sample, 0);
    const QImage first = panel->mapPlot()->image();
    QCOMPARE(first.size(), QSize(16, 12));
    // Selecting another sample anywhere on the page redraws the maps with that sample.
    page.showSample(0, 4);
    QTRY_COMPARE(shown.count(), 2);
    QCOMPARE(panel->sample(), 4);
    QCOMPARE(panel->mapPlot()->detail()->sample, 4);
    QVERIFY(panel->mapPlot()->image() != first);
    const QString readout = panel->mapPlot()->readoutAt(3, 5);
    QVERIFY2(readout.contains(QStringLiteral("pixel (h 3, w 5)")), qPrintable(readout));
    QVERIFY(readout.contains(QStringLiteral("p(target)")));
}

void TestGuiSegmentation::layersChangeTheImage()
{
    const std::shared_ptr<Session> session = makeSession(false);
    const auto result = analyse(*session);
    QVERIFY(result);
    SegmentationPanel panel;
    QSignalSpy shown(&panel, &SegmentationPanel::detailShown);
    panel.setSource(session, dump(), result);
    panel.showSample(0, 2);
    QTRY_COMPARE(shown.count(), 1);
    std::vector<QImage> images;
    for (MapLayer layer :
         {MapLayer::Target, MapLayer::Predicted, MapLayer::Errors, MapLayer::Loss}) {
        QAbstractButton* button = panel.findChild<QAbstractButton*>(mapLayerName(layer));
        QVERIFY(button);
        button->click();
        QCOMPARE(panel.mapPlot()->layer(), layer);
        images.push_back(panel.mapPlot()->image());
    }
    for (size_t a = 0; a < images.size(); ++a) {
        for (size_t b = a + 1; b < images.size(); ++b)
            QVERIFY2(images[a] != images[b], "two layers drew the same image");
    }
    // The error map's pixels: wrong where the prediction differs from an unignored target.
    const SampleDetail& d = *panel.mapPlot()->detail();
    const QImage errors = images[2];
    const QRgb wrong = errors.pixel(0, 0);
    int wrongPixels = 0, expectedWrong = 0;
    for (qint64 p = 0; p < d.positions(); ++p) {
        expectedWrong += !d.ignored[size_t(p)] && d.predicted[size_t(p)] != d.target[size_t(p)];
        wrongPixels += errors.pixel(int(p % 16), int(p / 16)) == wrong;
    }
    const bool firstIsWrong = !d.ignored[0] && d.predicted[0] != d.target[0];
    if (firstIsWrong)
        QCOMPARE(wrongPixels, expectedWrong);
}

void TestGuiSegmentation::cellListsItsSamples()
{
    const std::shared_ptr<Session> session = makeSession(false);
    const auto result = analyse(*session);
    QVERIFY(result);
    SegmentationPanel panel;
    panel.resize(1000, 600);
    QAbstractItemModelTester tester(panel.confusionModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(&panel, &SegmentationPanel::confusionReady);
    panel.setSource(session, dump(), result);
    panel.showSample(0, 0);
    QTRY_COMPARE(ready.count(), 1);
    const QJsonObject want = expected();
    const QJsonArray matrix = want[QStringLiteral("matrix")].toArray();
    ConfusionModel* model = panel.confusionModel();
    QCOMPARE(model->rowCount(), matrix.size());
    QCOMPARE(model->columnCount(), matrix.size() + 3);
    for (int t = 0; t < matrix.size(); ++t) {
        for (int p = 0; p < matrix.size(); ++p)
            QCOMPARE(model->index(t, p).data(ConfusionModel::CountRole).toLongLong(),
                     matrix[t].toArray()[p].toInteger());
    }
    QCOMPARE(model->index(0, model->firstScoreColumn() + 1).data().toString(),
             QString::number(want[QStringLiteral("iou")].toArray()[0].toDouble(), 'f', 3));

    // Clicking cell (target 0, predicted 2) lists numpy's samples for it.
    panel.show();
    QTableView* view = panel.confusionView();
    const QModelIndex cell = model->index(0, 2);
    view->scrollTo(cell);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
    const QJsonArray samples =
        want[QStringLiteral("cell_samples")].toObject()[QStringLiteral("2")].toArray();
    QVERIFY(!samples.isEmpty());
    QCOMPARE(panel.cellSamples()->count(), samples.size());
    for (int i = 0; i < samples.size(); ++i)
        QCOMPARE(panel.cellSamples()->item(i)->data(Qt::UserRole).toLongLong(),
                 samples[i].toArray()[0].toInteger());
    // Activating a listed sample shows it.
    QSignalSpy activated(&panel, &SegmentationPanel::sampleActivated);
    const qint64 last = samples.last().toArray()[0].toInteger();
    Q_EMIT panel.cellSamples()->itemActivated(panel.cellSamples()->item(samples.size() - 1));
    QCOMPARE(activated.count(), 1);
    QCOMPARE(panel.sample(), last);
}

void TestGuiSegmentation::legendAndNames()
{
    const std::shared_ptr<Session> session = makeSession(false);
    const auto result = analyse(*session);
    SegmentationPanel panel;
    QSignalSpy shown(&panel, &SegmentationPanel::detailShown);
    panel.setSource(session, dump(), result);
    panel.showSample(0, 1);
    QTRY_COMPARE(shown.count(), 1);
    QStringList legend = panel.mapPlot()->legendEntries();
    QVERIFY2(legend.contains(QStringLiteral("0")), qPrintable(legend.join(u'|')));
    QVERIFY(legend.contains(QStringLiteral("ignored (255)")));
    panel.setClassNames({QStringLiteral("background"), QStringLiteral("road")});
    legend = panel.mapPlot()->legendEntries();
    QVERIFY2(legend.contains(QStringLiteral("0 (background)")), qPrintable(legend.join(u'|')));
    QVERIFY(legend.contains(QStringLiteral("2"))); // no name given: the id
    panel.setClassNames({});
    QVERIFY(panel.mapPlot()->legendEntries().contains(QStringLiteral("1")));
}

void TestGuiSegmentation::exports()
{
    const std::shared_ptr<Session> session = makeSession(false);
    const auto result = analyse(*session);
    SegmentationPanel panel;
    panel.resize(900, 600);
    QSignalSpy shown(&panel, &SegmentationPanel::detailShown);
    QSignalSpy ready(&panel, &SegmentationPanel::confusionReady);
    panel.setSource(session, dump(), result);
    panel.showSample(0, 0);
    QTRY_COMPARE(shown.count(), 1);
    QTRY_COMPARE(ready.count(), 1);
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("map.png"));
    QVERIFY(panel.exportMap(png));
    QVERIFY(!QImage(png).isNull());
    const QString csv = dir.filePath(QStringLiteral("confusion.csv"));
    QVERIFY(panel.exportConfusionCsv(csv));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.startsWith("target,0,1,2,3,4,targets,iou,accuracy\n0,362,"));
    QVERIFY(!panel.exportMap(dir.filePath(QStringLiteral("map.txt"))));
}

void TestGuiSegmentation::screenshots()
{
    const QString dir = qEnvironmentVariable("SHAPESCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("SHAPESCOPE_SCREENSHOT_DIR is not set");
    const std::shared_ptr<Session> session = makeSession(false);
    const auto result = analyse(*session);
    for (Theme theme : {Theme::Light, Theme::Dark}) {
        applyTheme(theme);
        LossPlotsPage page;
        page.resize(1024, 700);
        page.setSession(session);
        SegmentationPanel* panel = page.segmentationPanel();
        QSignalSpy shown(panel, &SegmentationPanel::detailShown);
        QSignalSpy ready(panel, &SegmentationPanel::confusionReady);
        page.setResult(result, dump());
        page.viewTabs()->setCurrentIndex(1);
        page.show();
        QTRY_COMPARE(shown.count(), 1);
        QTRY_COMPARE(ready.count(), 1);
        panel->setLayer(theme == Theme::Light ? MapLayer::Target : MapLayer::Errors);
        panel->showCell(0, 2);
        QTest::qWait(50);
        QVERIFY(page.grab().save(dir + "/segmentation-" + themeName(theme) + ".png"));
    }
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestGuiSegmentation test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_gui_segmentation.moc"
