// SPDX-License-Identifier: GPL-3.0-or-later
// The Steps view's figures (core/analysis/stepseries): each step's mean loss, accuracy and
// counts of non-finite losses and ignored positions against torch 1.13
// (tests/data/gen_stepsview.py), the steps whose shapes or dtypes change, and the cost of a
// 1000-step run.

#include "analysis/analyzer.h"
#include "analysis/stepseries.h"
#include "formats/dumpreader.h"
#include "testutils.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QJsonObject expected()
{
    QFile file(QFINDTESTDATA("data/stepsview/expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

Expected<AnalysisResult> analyze(const QString& path)
{
    auto reader = openDump(path);
    if (!reader)
        return reader.failure();
    return analyzeDump(**reader, AnalysisOptions{});
}

} // namespace

class TestStepSeries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void invariantNames_data();
    void invariantNames();
    void noRun();
    void thousandSteps();
};

void TestStepSeries::matchesTorch_data()
{
    QTest::addColumn<QString>("path");
    QTest::addRow("hdf5 groups") << QFINDTESTDATA("data/stepsview/run.h5");
    QTest::addRow("folder of files") << QFINDTESTDATA("data/stepsview/run_folder");
}

void TestStepSeries::matchesTorch()
{
    QFETCH(QString, path);
    QVERIFY(!path.isEmpty());
    const QJsonObject torch = expected();
    const QJsonArray steps = torch.value("steps").toArray();
    QVERIFY(!steps.isEmpty());

    const Expected<AnalysisResult> result = analyze(path);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    const int run = longestRun(*result);
    QVERIFY(run >= 0);
    const StepSeries series = stepSeries(*result, run);
    QCOMPARE(series.run, run);
    QCOMPARE(series.steps.size(), size_t(steps.size()));

    QList<int> changed;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject want = steps[i].toObject();
        const StepPoint& step = series.steps[size_t(i)];
        QVERIFY2(step.hasLosses, qPrintable(step.label));
        QVERIFY2(closeToTorch(step.meanLoss, test::jsonNumber(want.value("mean"))),
                 qPrintable(QStringLiteral("step %1: %2 vs torch %3")
                                .arg(i)
                                .arg(step.meanLoss)
                                .arg(want.value("mean").toVariant().toString())));
        QVERIFY2(closeToTorch(step.accuracy, want.value("accuracy").toDouble()),
                 qPrintable(QStringLiteral("step %1 accuracy %2").arg(i).arg(step.accuracy)));
        QCOMPARE(step.nonFinite, want.value("non_finite").toInteger());
        QCOMPARE(step.ignored, want.value("ignored").toInteger());
        QCOMPARE(series.indexOfPair(step.pair), int(i));
        if (step.changed())
            changed << int(i);
    }
    QList<int> wantChanged;
    for (const QJsonValue& step : torch.value("changed_steps").toArray())
        wantChanged << step.toInt();
    QCOMPARE(changed, wantChanged);
    QCOMPARE(series.changedCount(), int(wantChanged.size()));
    // The change names the tensor and both sides, as the view's table shows it.
    const QString dtypeChange = series.steps[size_t(wantChanged.front())].changes.join("; ");
    QVERIFY2(dtypeChange.contains("float32 -> ") && dtypeChange.contains("float64"),
             qPrintable(dtypeChange));
}

void TestStepSeries::invariantNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("invariant");
    QTest::addRow("folder file") << "batch_0003_logits"
                                 << "batch_#_logits";
    QTest::addRow("plain") << "logits"
                           << "logits";
    QTest::addRow("two numbers") << "epoch_3_iter_17"
                                 << "epoch_#_iter_#";
}

void TestStepSeries::invariantNames()
{
    QFETCH(QString, name);
    QFETCH(QString, invariant);
    QCOMPARE(stepInvariantName(name), invariant);
}

void TestStepSeries::noRun()
{
    const AnalysisResult empty;
    QCOMPARE(longestRun(empty), -1);
    QVERIFY(stepSeries(empty, 0).steps.empty());
    QCOMPARE(stepSeries(empty, -1).run, -1);
}

// Opening, analysing and summarising a 1000-step run (a folder of 2000 .npy files written
// here): what the Steps view waits for. Reported, not asserted (`-bench` style numbers).
void TestStepSeries::thousandSteps()
{
    QTemporaryDir dir;
    QVERIFY(test::writeRunFolder(dir.path(), std::vector<qint64>(1000, 32), 10));
    StepSeries series;
    QBENCHMARK
    {
        const Expected<AnalysisResult> result = analyze(dir.path());
        QVERIFY(result.ok());
        series = stepSeries(*result, longestRun(*result));
    }
    QCOMPARE(series.steps.size(), size_t(1000));
    QCOMPARE(series.changedCount(), 0);
}

QTEST_GUILESS_MAIN(TestStepSeries)
#include "tst_stepseries.moc"
