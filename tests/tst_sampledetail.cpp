// SPDX-License-Identifier: GPL-3.0-or-later
// The sample inspector's numbers (core/analysis/sampledetail): recomputed per sample from values
// read through the Session, they equal torch's per-sample losses and the analysis's own.
#include "analysis/sampledetail.h"
#include "dumpcases.h"
#include "session/inprocesssession.h"
#include "testutils.h"

#include <cmath>
#include <numeric>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

AnalysisOptions optionsFor(const QJsonObject& json)
{
    AnalysisOptions options;
    options.spec = test::specForCase(json);
    return options;
}

SlabReader reader(InProcessSession& session, const QString& path)
{
    return [&session, path](const QString& tensor, const Slab& slab,
                            DType* type) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session.readSlice(SliceRequest{path, tensor, slab});
        if (!slice)
            return Error{slice.error()};
        if (type)
            *type = slice->sourceType;
        return std::move(slice->values);
    };
}

// The sample's loss over every slice of a higher-rank sample: the slices' counted positions
// weighted together, as the analysis averages the whole sample.
double wholeSampleLoss(const AnalysisResult& result, int pair, qint64 sample,
                       const SlabReader& read, const SampleDetail& first, const Shape& inputShape)
{
    if (first.wholeSample)
        return first.sampleLoss;
    std::vector<qint64> index(first.sliceAxes.size(), 0);
    double sum = 0;
    qint64 counted = 0;
    while (true) {
        const Expected<SampleDetail> d = readSampleDetail(result, pair, {sample, index}, read);
        if (!d)
            return std::nan("");
        sum += d->sampleLoss * static_cast<double>(d->countedPositions);
        counted += d->countedPositions;
        size_t k = index.size();
        while (k > 0 && ++index[k - 1] == inputShape[static_cast<size_t>(first.sliceAxes[k - 1])])
            index[--k] = 0;
        if (k == 0)
            break;
    }
    return counted ? sum / static_cast<double>(counted) : std::nan("");
}

bool closeToAnalysis(double ours, double analysis)
{
    if (std::isnan(analysis))
        return std::isnan(ours);
    return std::abs(ours - analysis) <= 1e-12 * std::max(1.0, std::abs(analysis));
}

} // namespace

class TestSampleDetail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchAndAnalysis_data();
    void matchesTorchAndAnalysis();
    void probabilitiesAreConsistent();
    void kdimMapsHoldEveryPosition_data();
    void kdimMapsHoldEveryPosition();
    void higherRankSlices();
    void slabsOfLayouts_data();
    void slabsOfLayouts();
    void rejectsBadRequests();
};

void TestSampleDetail::matchesTorchAndAnalysis_data()
{
    QTest::addColumn<QJsonObject>("expected");
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        bool anyLosses = false;
        for (const QJsonValue& pair : c.value(QStringLiteral("pairs")).toArray())
            anyLosses = anyLosses || pair.toObject().value(QStringLiteral("losses")).isArray();
        if (anyLosses)
            QTest::addRow("%s", qPrintable(c.value(QStringLiteral("name")).toString())) << c;
    }
}

void TestSampleDetail::matchesTorchAndAnalysis()
{
    QFETCH(QJsonObject, expected);
    const QString path = test::dumpPath(expected.value(QStringLiteral("file")).toString());
    InProcessSession session;
    const Expected<AnalysisResult> result = session.analyze(
        AnalyzeRequest{path, optionsFor(expected.value(QStringLiteral("options")).toObject())}, {});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    int checked = 0;
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QJsonValue losses = pairs[p].toObject().value(QStringLiteral("losses"));
        if (!losses.isArray())
            continue;
        const PairResult& pair = result->pairs[static_cast<size_t>(p)];
        const QJsonArray torch = losses.toArray();
        for (qsizetype s = 0; s < torch.size(); ++s) {
            const Expected<SampleDetail> detail = readSampleDetail(
                *result, static_cast<int>(p), SampleSelection{s, {}}, reader(session, path));
            QVERIFY2(detail.ok(), qPrintable(detail.ok() ? QString() : detail.error()));
            QCOMPARE(detail->pair, int(p));
            QCOMPARE(detail->sample, s);
            Shape inputShape;
            for (const TensorInfo& t : result->dump.tensors)
                if (t.path == pair.input)
                    inputShape = t.shape;
            // More than two spatial axes: the map is one slice, the sample is all of them.
            const double sampleLoss =
                wholeSampleLoss(*result, int(p), s, reader(session, path), *detail, inputShape);
            const auto i = static_cast<size_t>(s);
            // The analysis's own per-sample value, to the last bits (a sum over slices: nearly).
            QVERIFY2(detail->wholeSample ? closeToAnalysis(sampleLoss, pair.samples.loss[i])
                                         : closeToTorch(sampleLoss, pair.samples.loss[i]),
                     qPrintable(QStringLiteral("pair %1 sample %2: inspector %3, analysis %4")
                                    .arg(p)
                                    .arg(s)
                                    .arg(sampleLoss, 0, 'g', 17)
                                    .arg(pair.samples.loss[i], 0, 'g', 17)));
            if (detail->wholeSample)
                QCOMPARE(detail->sampleIgnored, bool(pair.samples.ignored[i]));
            if (torch[s].isNull()) {
                QVERIFY(std::isnan(sampleLoss) || detail->sampleIgnored);
            } else {
                const double want = test::jsonNumber(torch[s]);
                QVERIFY2(closeToTorch(sampleLoss, want),
                         qPrintable(QStringLiteral("pair %1 sample %2: inspector %3, torch %4")
                                        .arg(p)
                                        .arg(s)
                                        .arg(sampleLoss, 0, 'g', 17)
                                        .arg(want, 0, 'g', 17)));
            }
            if (!pair.samples.target.empty()) {
                QCOMPARE(detail->positions(), qint64(1));
                QCOMPARE(detail->target[0], pair.samples.target[i]);
                QCOMPARE(qint64(detail->predicted[0]), pair.samples.predicted[i]);
                QVERIFY(closeToAnalysis(detail->pTarget[0], pair.samples.pTarget[i]));
            }
            ++checked;
        }
    }
    QVERIFY(checked > 0);
}

void TestSampleDetail::probabilitiesAreConsistent()
{
    const QString path = test::dumpPath(QStringLiteral("ce_basic.h5"));
    InProcessSession session;
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY(result.ok());
    for (qint64 s = 0; s < 32; ++s) {
        const Expected<SampleDetail> d =
            readSampleDetail(*result, 0, {s, {}}, reader(session, path));
        QVERIFY(d.ok());
        const std::vector<double> logits = d->logitsAt(0);
        const std::vector<double> p = d->probabilitiesAt(0);
        QCOMPARE(qint64(logits.size()), d->classes);
        QVERIFY(std::abs(std::accumulate(p.begin(), p.end(), 0.0) - 1.0) < 1e-12);
        const auto argmax = std::max_element(logits.begin(), logits.end()) - logits.begin();
        QCOMPARE(qint64(argmax), qint64(d->predicted[0]));
        // Cross-entropy without weight or smoothing is -log p(target).
        QVERIFY(std::abs(-std::log(p[static_cast<size_t>(d->target[0])]) - d->sampleLoss) <
                1e-5 * d->sampleLoss + 1e-6);
        QVERIFY(std::abs(p[static_cast<size_t>(d->target[0])] - d->pTarget[0]) < 1e-6);
        QVERIFY(d->targetVectorAt(0).empty());
        QVERIFY(d->mapShape.empty());
    }
}

void TestSampleDetail::kdimMapsHoldEveryPosition_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonObject>("options");
    QTest::addColumn<std::vector<qint64>>("mapShape");
    QTest::addColumn<std::vector<int>>("mapAxes");
    QTest::addRow("(N, C, L)") << "ce_kdim_1d.h5" << QJsonObject{} << std::vector<qint64>{7}
                               << std::vector<int>{2};
    QTest::addRow("(N, C, H, W), ignore 255")
        << "seg_ignore_255.h5" << QJsonObject{{"ignore_index", 255}} << std::vector<qint64>{6, 6}
        << std::vector<int>{2, 3};
    QTest::addRow("(N, T, C)") << "class_dim_last.h5" << QJsonObject{} << std::vector<qint64>{7}
                               << std::vector<int>{1};
    QTest::addRow("(N, H, W, C)") << "class_dim_last_4d.npz" << QJsonObject{}
                                  << std::vector<qint64>{4, 4} << std::vector<int>{1, 2};
    QTest::addRow("bce (N, C, H, W)") << "bce_kdim.npz" << QJsonObject{{"loss", "bce"}}
                                      << std::vector<qint64>{4, 5} << std::vector<int>{2, 3};
}

void TestSampleDetail::kdimMapsHoldEveryPosition()
{
    QFETCH(QString, file);
    QFETCH(QJsonObject, options);
    QFETCH(std::vector<qint64>, mapShape);
    QFETCH(std::vector<int>, mapAxes);
    const QString path = test::dumpPath(file);
    InProcessSession session;
    const Expected<AnalysisResult> result =
        session.analyze(AnalyzeRequest{path, optionsFor(options)}, {});
    QVERIFY(result.ok());
    QVERIFY(result->pairs.front().hasLosses);
    const PairResult& pair = result->pairs.front();
    for (qint64 s = 0; s < pair.layout.batchSize; ++s) {
        const Expected<SampleDetail> d =
            readSampleDetail(*result, 0, {s, {}}, reader(session, path));
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error()));
        QCOMPARE(d->mapShape, mapShape);
        QCOMPARE(d->mapAxes, mapAxes);
        QCOMPARE(d->positions(),
                 std::accumulate(mapShape.begin(), mapShape.end(), qint64(1), std::multiplies<>()));
        // The map's counted positions average to the sample's loss.
        double sum = 0;
        qint64 counted = 0;
        qint64 ignored = 0;
        for (qint64 p = 0; p < d->positions(); ++p) {
            const auto i = static_cast<size_t>(p);
            if (d->ignored[i]) {
                QVERIFY(std::isnan(d->loss[i]));
                ++ignored;
                continue;
            }
            sum += d->loss[i];
            ++counted;
            QCOMPARE(qint64(d->logitsAt(p).size()), d->classes);
        }
        QCOMPARE(counted, d->countedPositions);
        QVERIFY(closeToAnalysis(d->sampleLoss, counted ? sum / counted : std::nan("")));
        QVERIFY(closeToAnalysis(d->sampleLoss, pair.samples.loss[static_cast<size_t>(s)]));
        if (file.startsWith(QLatin1String("seg_ignore")))
            QVERIFY2(ignored > 0, "the fixture marks void pixels 255");
        if (file.startsWith(QLatin1String("bce")))
            QCOMPARE(qint64(d->targetVectorAt(0).size()), d->classes);
        QVERIFY(d->worstPosition() >= 0 && d->worstPosition() < d->positions());
    }
}

void TestSampleDetail::higherRankSlices()
{
    // (2, 3, 2, 3, 4): the map is the last two spatial axes (3 x 4); axis 2 is chosen by index.
    const QString path = test::dumpPath(QStringLiteral("ce_kdim_3d.npz"));
    InProcessSession session;
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY(result.ok());
    const double analysis = result->pairs.front().samples.loss[1];
    double sum = 0;
    qint64 counted = 0;
    for (qint64 index = 0; index < 2; ++index) {
        const Expected<SampleDetail> d =
            readSampleDetail(*result, 0, {1, {index}}, reader(session, path));
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error()));
        QVERIFY(!d->wholeSample);
        QCOMPARE(d->sliceAxes, std::vector<int>{2});
        QCOMPARE(d->sliceIndex, std::vector<qint64>{index});
        QCOMPARE(d->mapShape, (std::vector<qint64>{3, 4}));
        sum += d->sampleLoss * static_cast<double>(d->countedPositions);
        counted += d->countedPositions;
    }
    QVERIFY(std::abs(sum / counted - analysis) < 1e-9);
    const Expected<SampleDetail> outside =
        readSampleDetail(*result, 0, {1, {2}}, reader(session, path));
    QVERIFY(!outside.ok());
    QVERIFY2(outside.error().contains(QLatin1String("axis 2")), qPrintable(outside.error()));
}

void TestSampleDetail::slabsOfLayouts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<std::vector<qint64>>("inputCount");
    QTest::addColumn<std::vector<qint64>>("targetCount");
    QTest::addRow("(N, C)") << "ce_basic.h5" << std::vector<qint64>{1, 10}
                            << std::vector<qint64>{1};
    QTest::addRow("unbatched (C) with a () target")
        << "ce_unbatched.npz" << std::vector<qint64>{10} << std::vector<qint64>{};
    QTest::addRow("(N, C, d1, d2, d3)") << "ce_kdim_3d.npz" << std::vector<qint64>{1, 3, 1, 3, 4}
                                        << std::vector<qint64>{1, 1, 3, 4};
    QTest::addRow("probabilities")
        << "ce_probabilities.npz" << std::vector<qint64>{1, 5} << std::vector<qint64>{1, 5};
}

void TestSampleDetail::slabsOfLayouts()
{
    QFETCH(QString, file);
    QFETCH(std::vector<qint64>, inputCount);
    QFETCH(std::vector<qint64>, targetCount);
    InProcessSession session;
    const Expected<AnalysisResult> result =
        session.analyze(AnalyzeRequest{test::dumpPath(file), {}}, {});
    QVERIFY(result.ok());
    const PairResult& pair = result->pairs.front();
    Shape inputShape, targetShape;
    for (const TensorInfo& t : result->dump.tensors) {
        if (t.path == pair.input)
            inputShape = t.shape;
        if (t.path == pair.target)
            targetShape = t.shape;
    }
    const Expected<SampleSlabs> slabs = sampleSlabs(pair.layout, inputShape, targetShape, {0, {}});
    QVERIFY2(slabs.ok(), qPrintable(slabs.ok() ? QString() : slabs.error()));
    QCOMPARE(slabs->input.count, inputCount);
    QCOMPARE(slabs->target.count, targetCount);
}

void TestSampleDetail::rejectsBadRequests()
{
    InProcessSession session;
    const QString path = test::dumpPath(QStringLiteral("ce_basic.h5"));
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY(result.ok());
    QVERIFY(!readSampleDetail(*result, 0, {32, {}}, reader(session, path)).ok());
    QVERIFY(!readSampleDetail(*result, 0, {-1, {}}, reader(session, path)).ok());
    QVERIFY(!readSampleDetail(*result, 5, {0, {}}, reader(session, path)).ok());
    // A pair PyTorch rejects has no numbers to show, and says why.
    const QString mismatch = test::dumpPath(QStringLiteral("batch_32_vs_64.h5"));
    const Expected<AnalysisResult> bad = session.analyze(AnalyzeRequest{mismatch, {}}, {});
    QVERIFY(bad.ok());
    const Expected<SampleDetail> d = readSampleDetail(*bad, 0, {0, {}}, reader(session, mismatch));
    QVERIFY(!d.ok());
    QVERIFY(!d.error().isEmpty());
}

QTEST_GUILESS_MAIN(TestSampleDetail)
#include "tst_sampledetail.moc"
