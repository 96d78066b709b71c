// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end analysis of the generator's dumps, compared with what torch raised and computed.
#include "analysis/analyzer.h"
#include "analysis/runbatches.h"
#include "dumpcases.h"
#include "formats/dumpreader.h"
#include "testutils.h"
#include "torchquote.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <cstring>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

AnalysisOptions optionsFor(const QJsonObject& json)
{
    AnalysisOptions options;
    options.spec = test::specForCase(json);
    return options;
}

Expected<AnalysisResult> analyze(const QString& file, AnalysisOptions options)
{
    auto reader = openDump(QFINDTESTDATA(QStringLiteral("data/dumps/") + file));
    if (!reader)
        return Error{reader.error()};
    return analyzeDump(**reader, options);
}

QStringList diagnosticKeys(const AnalysisResult& result)
{
    QStringList keys;
    for (const Diagnostic& d : result.diagnostics)
        keys << d.codeName() + QLatin1Char('/') + severityName(d.severity);
    keys.sort();
    return keys;
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void threadAndTileInvariance_data();
    void threadAndTileInvariance();
    void cancelWithin100ms();
    void reportsProgress();
    void rejectsBadSpec_data();
    void rejectsBadSpec();
    void typicalValue_data();
    void typicalValue();
    void raggedBatchesOfTiedRuns_data();
    void raggedBatchesOfTiedRuns();
    void diagnosticCodeTable();
};

// Every case under every torch the generator ran (1.13 and the newest 2.x): the texts, the
// verdicts and the losses of that release.
void TestAnalysis::matchesTorch_data()
{
    QTest::addColumn<QJsonObject>("expected");
    QTest::addColumn<int>("tileBytes");
    QTest::addColumn<QString>("torch");
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        const QByteArray name = c.value(QStringLiteral("name")).toString().toUtf8();
        for (const QString& torch : test::measuredTorchVersions()) {
            const QByteArray version = torch.toUtf8();
            QTest::addRow("%s, torch %s", name.constData(), version.constData())
                << c << (1 << 20) << torch;
            // Tiny tiles: every sample split over several tiles and chunks.
            QTest::addRow("%s, torch %s, 64-byte tiles", name.constData(), version.constData())
                << c << 64 << torch;
        }
    }
}

void TestAnalysis::matchesTorch()
{
    QFETCH(QJsonObject, expected);
    QFETCH(int, tileBytes);
    QFETCH(QString, torch);
    AnalysisOptions options = optionsFor(expected.value(QStringLiteral("options")).toObject());
    options.torch = parseTorchVersion(torch);
    options.torchSource = TorchSource::CommandLine;
    options.budget.tileBytes = tileBytes;
    options.budget.chunkBytes = tileBytes * 4;
    const Expected<AnalysisResult> result =
        analyze(expected.value(QStringLiteral("file")).toString(), options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    QCOMPARE(result->torch.version.toString(), torch);

    // Pairs, in order.
    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(result->pairs.size(), size_t(pairs.size()));
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QJsonObject pair = pairs[p].toObject();
        const QJsonObject want =
            pair.value(QStringLiteral("torch")).toObject().value(torch).toObject();
        const PairResult& got = result->pairs[p];
        QCOMPARE(got.input, pair.value(QStringLiteral("input")).toString());
        QCOMPARE(got.target, pair.value(QStringLiteral("target")).toString());

        // PyTorch's own text, on a diagnostic of this pair, exactly when torch raised.
        const QString torchText = want.value(QStringLiteral("pytorch_error")).toString();
        const QString mismatch = test::quoteMismatch(*result, p, torchText);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        QCOMPARE(got.hasLosses, want.value(QStringLiteral("computed")).toBool());
        const QJsonValue losses = want.value(QStringLiteral("losses"));
        if (!losses.isArray())
            continue;
        const QJsonArray values = losses.toArray();
        QCOMPARE(got.samples.loss.size(), size_t(values.size()));
        for (qsizetype s = 0; s < values.size(); ++s) {
            if (values[s].isNull()) {
                QVERIFY2(got.samples.ignored[s], qPrintable(QStringLiteral("sample %1").arg(s)));
                continue;
            }
            const double torch = test::jsonNumber(values[s]);
            QVERIFY2(closeToTorch(got.samples.loss[s], torch),
                     qPrintable(QStringLiteral("sample %1: ours %2, torch %3")
                                    .arg(s)
                                    .arg(got.samples.loss[s], 0, 'g', 17)
                                    .arg(torch, 0, 'g', 17)));
        }
        const double torchMean = test::jsonNumber(want.value(QStringLiteral("mean")));
        QVERIFY2(closeToTorch(got.summary.mean, torchMean),
                 qPrintable(QStringLiteral("mean: ours %1, torch %2")
                                .arg(got.summary.mean, 0, 'g', 17)
                                .arg(torchMean, 0, 'g', 17)));
    }

    // Exactly the diagnostics the case specifies.
    QStringList wanted;
    const QJsonValue byTorch =
        expected.value(QStringLiteral("diagnostics_by_torch")).toObject().value(torch);
    const QJsonArray diagnostics = byTorch.isArray()
                                       ? byTorch.toArray()
                                       : expected.value(QStringLiteral("diagnostics")).toArray();
    for (const QJsonValue& d : diagnostics) {
        const QJsonObject o = d.toObject();
        wanted << o.value(QStringLiteral("code")).toString() + QLatin1Char('/') +
                      o.value(QStringLiteral("severity")).toString();
    }
    wanted.sort();
    QCOMPARE(diagnosticKeys(*result), wanted);
    if (byTorch.isArray()) {
        // The releases disagree on this case's verdict: a diagnostic says so in one line.
        QVERIFY(std::any_of(result->diagnostics.begin(), result->diagnostics.end(),
                            [](const Diagnostic& d) { return !d.versionNote.isEmpty(); }));
    }
    for (const Diagnostic& d : result->diagnostics) {
        QVERIFY(!d.message.isEmpty());
        QVERIFY(!d.explanation.isEmpty());
        QVERIFY(!d.fix.isEmpty());
    }

    // Runs, with their batch sizes.
    const QJsonArray runs = expected.value(QStringLiteral("runs")).toArray();
    if (!runs.isEmpty()) {
        QCOMPARE(result->runs.size(), size_t(runs.size()));
        for (qsizetype r = 0; r < runs.size(); ++r) {
            const QJsonObject want = runs[r].toObject();
            QCOMPARE(result->runs[r].name, want.value(QStringLiteral("name")).toString());
            std::vector<qint64> sizes;
            for (const BatchStatistic& b : result->runs[r].batches)
                sizes.push_back(b.size);
            std::vector<qint64> wantSizes;
            for (const QJsonValue& v : want.value(QStringLiteral("sizes")).toArray())
                wantSizes.push_back(v.toInteger());
            QCOMPARE(sizes, wantSizes);
        }
    }
}

void TestAnalysis::threadAndTileInvariance_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonObject>("options");
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        QTest::addRow("%s", qPrintable(c.value(QStringLiteral("name")).toString()))
            << c.value(QStringLiteral("file")).toString()
            << c.value(QStringLiteral("options")).toObject();
    }
}

void TestAnalysis::threadAndTileInvariance()
{
    QFETCH(QString, file);
    QFETCH(QJsonObject, options);
    std::vector<AnalysisResult> results;
    for (int threads : {1, 2, 3, 8}) {
        AnalysisOptions o = optionsFor(options);
        o.threads = threads;
        o.budget.tileBytes = 48;
        o.budget.chunkBytes = 200;
        Expected<AnalysisResult> result = analyze(file, o);
        QVERIFY(result.ok());
        results.push_back(std::move(result).value());
    }
    for (size_t i = 1; i < results.size(); ++i) {
        QCOMPARE(results[i].pairs.size(), results[0].pairs.size());
        for (size_t p = 0; p < results[0].pairs.size(); ++p) {
            const auto& a = results[0].pairs[p];
            const auto& b = results[i].pairs[p];
            QCOMPARE(a.samples.loss.size(), b.samples.loss.size());
            // Bit-identical, NaN included.
            QVERIFY(
                std::equal(a.samples.loss.begin(), a.samples.loss.end(), b.samples.loss.begin(),
                           [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }));
            QVERIFY(std::memcmp(&a.summary.mean, &b.summary.mean, sizeof(double)) == 0);
        }
        QCOMPARE(diagnosticKeys(results[i]), diagnosticKeys(results[0]));
    }
}

void TestAnalysis::cancelWithin100ms()
{
    QTemporaryDir dir;
    const qint64 rows = 16384, classes = 1024; // 64 MiB of logits
    std::vector<float> logits(static_cast<size_t>(rows * classes), 0.5f);
    std::vector<qint64> labels(static_cast<size_t>(rows), 3);
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("logits.npy")), "<f4", {rows, classes},
                           logits.data(), qint64(logits.size() * sizeof(float))));
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("labels.npy")), "<i8", {rows}, labels.data(),
                           qint64(labels.size() * sizeof(qint64))));
    auto reader = openDump(dir.path());
    QVERIFY(reader.ok());
    QElapsedTimer sinceCancel;
    int calls = 0;
    AnalysisOptions options;
    options.progressIntervalMs = 0; // every report reaches the callback: cancel mid-work
    options.budget.chunkBytes = 1 << 20;
    const Expected<AnalysisResult> result =
        analyzeDump(**reader, options, [&](double f, const QString&) {
            if (++calls < 3 || f <= 0.0)
                return true;
            sinceCancel.start();
            return false;
        });
    QVERIFY(!result.ok());
    QVERIFY(result.isCancelled());
    QVERIFY2(sinceCancel.elapsed() < 100, qPrintable(QString::number(sinceCancel.elapsed())));
}

void TestAnalysis::reportsProgress()
{
    std::vector<double> fractions;
    auto reader = openDump(QFINDTESTDATA("data/dumps/run_ragged.h5"));
    QVERIFY(reader.ok());
    AnalysisOptions options;
    options.budget.tileBytes = 64;
    options.budget.chunkBytes = 256;
    const auto result = analyzeDump(**reader, options, [&](double f, const QString& message) {
        fractions.push_back(f);
        return !message.isEmpty();
    });
    QVERIFY(result.ok());
    QVERIFY(fractions.size() >= 2);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
}

void TestAnalysis::rejectsBadSpec_data()
{
    QTest::addColumn<QJsonObject>("options");
    QTest::addColumn<QString>("error");
    QTest::addRow("label smoothing > 1")
        << QJsonObject{{QStringLiteral("label_smoothing"), 1.5}}
        << QStringLiteral("label_smoothing must be between 0.0 and 1.0. Got: 1.5");
    QTest::addRow("missing weight tensor")
        << QJsonObject{{QStringLiteral("weight_tensor"), QStringLiteral("/nope")}}
        << QStringLiteral("there is no tensor /nope");
    QTest::addRow("missing override")
        << QJsonObject{{QStringLiteral("input"), QStringLiteral("/logits")},
                       {QStringLiteral("target"), QStringLiteral("/nope")}}
        << QStringLiteral("there is no tensor /nope");
}

void TestAnalysis::rejectsBadSpec()
{
    QFETCH(QJsonObject, options);
    QFETCH(QString, error);
    const auto result = analyze(QStringLiteral("ce_basic.h5"), optionsFor(options));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(error), qPrintable(result.error()));
}

void TestAnalysis::typicalValue_data()
{
    QTest::addColumn<std::vector<qint64>>("values");
    QTest::addColumn<qint64>("typical");
    QTest::addRow("ragged last") << std::vector<qint64>{64, 64, 64, 17} << qint64(64);
    QTest::addRow("tie goes to the larger") << std::vector<qint64>{32, 64} << qint64(64);
    QTest::addRow("tie, larger first") << std::vector<qint64>{64, 32} << qint64(64);
    QTest::addRow("two-two tie") << std::vector<qint64>{32, 32, 64, 64} << qint64(64);
    QTest::addRow("most frequent beats larger") << std::vector<qint64>{8, 8, 64} << qint64(8);
    QTest::addRow("one batch") << std::vector<qint64>{5} << qint64(5);
    QTest::addRow("none") << std::vector<qint64>{} << qint64(0);
}

void TestAnalysis::typicalValue()
{
    QFETCH(std::vector<qint64>, values);
    QFETCH(qint64, typical);
    QCOMPARE(shapescope::typicalValue(values), typical);
}

void TestAnalysis::raggedBatchesOfTiedRuns_data()
{
    QTest::addColumn<std::vector<qint64>>("sizes");
    QTest::addColumn<qint64>("typical");
    QTest::addColumn<std::vector<int>>("ragged"); // steps
    QTest::addRow("64, 32") << std::vector<qint64>{64, 32} << qint64(64) << std::vector<int>{1};
    QTest::addRow("32, 64") << std::vector<qint64>{32, 64} << qint64(64) << std::vector<int>{0};
    QTest::addRow("64, 64, 32, 32")
        << std::vector<qint64>{64, 64, 32, 32} << qint64(64) << std::vector<int>{2, 3};
    QTest::addRow("32, 64, 32, 64")
        << std::vector<qint64>{32, 64, 32, 64} << qint64(64) << std::vector<int>{0, 2};
    QTest::addRow("even") << std::vector<qint64>{16, 16, 16} << qint64(16) << std::vector<int>{};
}

// The run's flags, and the ragged-batch diagnostics, name the same batches.
void TestAnalysis::raggedBatchesOfTiedRuns()
{
    QFETCH(std::vector<qint64>, sizes);
    QFETCH(qint64, typical);
    QFETCH(std::vector<int>, ragged);
    QTemporaryDir dir;
    QVERIFY(test::writeRunFolder(dir.path(), sizes));
    auto reader = openDump(dir.path());
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    const Expected<AnalysisResult> result = analyzeDump(**reader, AnalysisOptions{});
    QVERIFY(result.ok());
    QCOMPARE(result->runs.size(), size_t(1));
    const RunResult& run = result->runs.front();
    QCOMPARE(run.batches.size(), sizes.size());
    QCOMPARE(run.typicalBatchSize, typical);
    std::vector<int> flagged, diagnosed;
    for (size_t step = 0; step < run.batches.size(); ++step) {
        QCOMPARE(run.batches[step].size, sizes[step]);
        if (run.batches[step].ragged)
            flagged.push_back(int(step));
    }
    for (const Diagnostic& d : result->diagnostics) {
        if (d.code == DiagCode::RaggedBatch) {
            QCOMPARE(d.run, 0);
            diagnosed.push_back(result->pairs[size_t(d.pair)].step);
        }
    }
    QCOMPARE(flagged, ragged);
    QCOMPARE(diagnosed, ragged);
}

// Every code has one spelling, and the spelling leads back to the code.
void TestAnalysis::diagnosticCodeTable()
{
    QSet<QString> names;
    for (int c = 0; c <= int(DiagCode::UnpairedTensor); ++c) {
        const auto code = static_cast<DiagCode>(c);
        const QString name = diagCodeName(code);
        QVERIFY(!name.isEmpty());
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
        QCOMPARE(diagCodeFromName(name), std::optional<DiagCode>(code));
    }
    QCOMPARE(diagCodeName(DiagCode::BatchSizeMismatch), QStringLiteral("batch-size-mismatch"));
    QCOMPARE(diagCodeFromName(QStringLiteral("no-such-code")), std::nullopt);
    QCOMPARE(dtypeSide(DiagCode::TargetDtype), std::optional<TensorSide>(TensorSide::Target));
    QCOMPARE(dtypeSide(DiagCode::InputDtype), std::optional<TensorSide>(TensorSide::Input));
    QCOMPARE(dtypeSide(DiagCode::RaggedBatch), std::nullopt);
}

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
