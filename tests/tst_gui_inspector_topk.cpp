// SPDX-License-Identifier: GPL-3.0-or-later
// The inspector's top-k list: torch.softmax's top-5 of a fixture sample (tests/data/
// gen_classnames.py, torch 1.13), class names from classes.txt, the target marked and listed
// with its rank when outside the k, and the k box changing the list. Also the highest-loss
// table and the per-class plot with names.
#include "analysis/classnames.h"
#include "losses/highestlossmodel.h"
#include "losses/sampleinspector.h"
#include "losses/topclassesmodel.h"
#include "losses/topclassespanel.h"
#include "plots/integerticker.h"
#include "plots/perclassplot.h"
#include "plots/plotdata.h"
#include "plots/qcustomplotinclude.h"
#include "tst_plots_support.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>

using namespace shapescope;

namespace {

QString classnamesPath(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/classnames/") + file;
}

QJsonObject topkExpected()
{
    return test::readJson(classnamesPath(QStringLiteral("expected.json")))
        .object()[QStringLiteral("topk")]
        .toObject();
}

} // namespace

class TestInspectorTopK : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_path = classnamesPath(QStringLiteral("txt/dump.h5"));
        AnalysisOptions options;
        options.spec.kind = LossKind::CrossEntropy;
        m_result = test::analyzeFile(*m_session, m_path, options);
        QVERIFY(m_result);
        QCOMPARE(m_result->pairs.front().classNames.size(), 12);
    }

    void modelUnderTester()
    {
        TopClassesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProbabilities({0.1, 0.5, 0.2, 0.2}, 3, {QStringLiteral("a")});
        QCOMPARE(model.rowCount(), 4);
        model.setK(2);
        // Class 1, then 2 before 3 (equal p: the lower class first), then the target 3.
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(
            model.data(model.index(0, TopClassesModel::ClassColumn), TopClassesModel::ClassRole)
                .toLongLong(),
            1);
        QCOMPARE(model.data(model.index(2, TopClassesModel::RankColumn)).toString(),
                 QStringLiteral("3"));
        QVERIFY(model.data(model.index(2, 0), TopClassesModel::TargetRole).toBool());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void matchesTorchSoftmax()
    {
        const QJsonObject want = topkExpected();
        SampleInspector inspector;
        inspector.resize(1000, 700);
        inspector.setSource(m_session, m_path, m_result);
        QSignalSpy shown(&inspector, &SampleInspector::detailShown);
        inspector.showSample(0, want[QStringLiteral("sample")].toInt());
        QTRY_COMPARE(shown.count(), 1);
        const TopClassesModel* model = inspector.topClasses()->model();
        QAbstractItemModelTester tester(const_cast<TopClassesModel*>(model),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(inspector.topClasses()->k(), 5);
        const QJsonArray classes = want[QStringLiteral("classes")].toArray();
        const QJsonArray probabilities = want[QStringLiteral("probabilities")].toArray();
        const QStringList names = m_result->pairs.front().classNames;
        for (int r = 0; r < 5; ++r) {
            const qint64 cls = classes[r].toInteger();
            QCOMPARE(model
                         ->data(model->index(r, TopClassesModel::ClassColumn),
                                TopClassesModel::ClassRole)
                         .toLongLong(),
                     cls);
            QVERIFY(model->data(model->index(r, TopClassesModel::ClassColumn))
                        .toString()
                        .startsWith(classLabel(names, cls)));
            QVERIFY(model->data(model->index(r, TopClassesModel::ClassColumn))
                        .toString()
                        .contains(names[cls]));
            const double p =
                model->data(model->index(r, 0), Qt::ToolTipRole).toString().mid(4).toDouble();
            QVERIFY2(std::abs(p - probabilities[r].toDouble()) < 1e-6,
                     qPrintable(
                         QStringLiteral("%1 vs torch %2").arg(p).arg(probabilities[r].toDouble())));
        }
        // The target (class 4 in the fixture) is not among the five: it follows, marked.
        const qint64 target = want[QStringLiteral("target")].toInteger();
        QCOMPARE(model->rowCount(), 6);
        QVERIFY(model->data(model->index(5, 0), TopClassesModel::TargetRole).toBool());
        QCOMPARE(model->data(model->index(5, 0), TopClassesModel::ClassRole).toLongLong(), target);
        QVERIFY(model->data(model->index(5, TopClassesModel::ClassColumn))
                    .toString()
                    .contains(QStringLiteral("target")));
        QVERIFY(inspector.headerText().contains(classLabel(names, target)));

        // "Show Values" asks for the sample's row of the pair's input.
        QSignalSpy values(&inspector, &SampleInspector::valuesRequested);
        QVERIFY(inspector.showValuesButton()->isEnabled());
        inspector.showValuesButton()->click();
        QCOMPARE(values.count(), 1);
        QCOMPARE(values.front().at(0).toInt(), m_result->pairs.front().inputTensor);
        QCOMPARE(values.front().at(1).toLongLong(), qint64(want[QStringLiteral("sample")].toInt()));
    }

    void changingKChangesTheList_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("rows");
        QTest::addRow("k = 1") << 1 << 2;
        QTest::addRow("k = 3") << 3 << 4;
        QTest::addRow("k = 12, the target inside") << 12 << 12;
    }
    void changingKChangesTheList()
    {
        QFETCH(int, k);
        QFETCH(int, rows);
        SampleInspector inspector;
        inspector.setSource(m_session, m_path, m_result);
        QSignalSpy shown(&inspector, &SampleInspector::detailShown);
        inspector.showSample(0, topkExpected()[QStringLiteral("sample")].toInt());
        QTRY_COMPARE(shown.count(), 1);
        QSpinBox* box = inspector.topClasses()->kBox();
        box->setValue(k);
        QCOMPARE(inspector.topClasses()->table()->model()->rowCount(), rows);
    }

    void namesInTablesAndPlots()
    {
        const PairResult& pair = m_result->pairs.front();
        HighestLossModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(highestLossEntries(*m_result, PlotScope{QString(), -1, {0}}, 5));
        QVERIFY(model.rowCount() > 0);
        const RankedSample& top = pair.summary.highestLoss.front();
        QCOMPARE(model.data(model.index(0, HighestLossModel::TargetColumn)).toString(),
                 classLabel(pair.classNames, top.target));

        PerClassPlot plot;
        plot.setData(buildClassSeries(*m_result, PlotScope{QString(), -1, {0}}));
        auto* ticker = static_cast<IntegerTicker*>(plot.customPlot()->xAxis->ticker().data());
        QCOMPARE(ticker->names(), pair.classNames);
    }

private:
    std::shared_ptr<Session> m_session = std::make_shared<InProcessSession>();
    QString m_path;
    std::shared_ptr<const AnalysisResult> m_result;
};

SHAPESCOPE_GUI_TEST_MAIN(TestInspectorTopK)
#include "tst_gui_inspector_topk.moc"
