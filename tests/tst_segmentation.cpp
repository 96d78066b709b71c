// SPDX-License-Identifier: GPL-3.0-or-later
// Segmentation in core: the confusion matrix, per-class IoU / accuracy and the most-confused
// pairs of a pair against numpy's counts, and the sample maps' argmax and losses against torch
// (tests/data/segmentation, made by gen_segmentation.py).
#include "analysis/confusion.h"
#include "analysis/sampledetail.h"
#include "formats/dumpreader.h"
#include "session/inprocesssession.h"
#include "session/workersession.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>

using namespace shapescope;

namespace {

QString dataDir()
{
    return QFINDTESTDATA("data/segmentation/expected.json").section(QLatin1Char('/'), 0, -2);
}

QJsonObject expectedCase(const QString& name)
{
    QFile file(dataDir() + QStringLiteral("/expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll())
        .object()
        .value(QStringLiteral("cases"))
        .toObject()
        .value(name)
        .toObject();
}

std::vector<double> readNpy(const QString& path, Shape* shape)
{
    Expected<std::unique_ptr<DumpReader>> reader = openDump(path);
    if (!reader || (*reader)->tensors().size() != 1)
        return {};
    *shape = (*reader)->tensors()[0].shape;
    std::vector<double> values(size_t(checkedElementCount(*shape)));
    if (!(*reader)->readRows(0, 0, (*shape)[0], DType::Float64, values.data()))
        return {};
    return values;
}

ConfusionRequest requestFor(const AnalysisResult& result, const QString& path)
{
    const PairResult& pair = result.pairs.front();
    return ConfusionRequest{path, result.spec, pair.input, pair.target, pair.layout};
}

// In this process, or across the worker protocol (the GUI's default).
std::unique_ptr<Session> makeSession(bool worker)
{
    if (!worker)
        return std::make_unique<InProcessSession>();
    WorkerOptions options;
    options.program = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    return std::make_unique<WorkerSession>(options);
}

QString why(const auto& expected)
{
    return expected ? QString() : expected.error();
}

} // namespace

class TestSegmentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void confusionMatchesNumpy_data();
    void confusionMatchesNumpy();
    void mapsMatchTorch_data();
    void mapsMatchTorch();
    void cancelled();
    void notClassIndices();
    void outcomes();
};

void TestSegmentation::confusionMatchesNumpy_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("worker");
    QTest::addRow("(N, C, H, W)") << QStringLiteral("seg2d") << false;
    QTest::addRow("(N, C, D, H, W)") << QStringLiteral("seg3d") << false;
    QTest::addRow("(N, C, H, W) in a worker") << QStringLiteral("seg2d") << true;
    QTest::addRow("(N, C, D, H, W) in a worker") << QStringLiteral("seg3d") << true;
}

void TestSegmentation::confusionMatchesNumpy()
{
    QFETCH(QString, name);
    const QJsonObject expected = expectedCase(name);
    QFETCH(bool, worker);
    QVERIFY(!expected.isEmpty());
    const QString path = dataDir() + QLatin1Char('/') + name + QStringLiteral(".h5");
    const std::unique_ptr<Session> session = makeSession(worker);
    const Expected<AnalysisResult> result = session->analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY2(result, qPrintable(why(result)));
    QCOMPARE(result->spec.ignoreIndex, 255); // recorded by the dump
    int reports = 0;
    const Expected<ConfusionMatrix> matrix =
        session->confusion(requestFor(*result, path), [&reports](double fraction, const QString&) {
            reports += fraction >= 0 && fraction <= 1 ? 1 : 1000;
            return true;
        });
    QVERIFY2(matrix, qPrintable(why(matrix)));

    const qint64 classes = expected.value(QStringLiteral("classes")).toInteger();
    QCOMPARE(matrix->classes, classes);
    QVERIFY(reports >= 1 && reports < 1000);
    const QJsonArray rows = expected.value(QStringLiteral("matrix")).toArray();
    for (qint64 t = 0; t < classes; ++t) {
        for (qint64 p = 0; p < classes; ++p)
            QCOMPARE(matrix->count(t, p), rows[t].toArray()[p].toInteger());
    }
    QCOMPARE(matrix->ignored, expected.value(QStringLiteral("ignored")).toInteger());
    QCOMPARE(matrix->outOfRange, 0);
    QCOMPARE(matrix->unpredicted, 0);

    const std::vector<ClassScore> scores = classScores(*matrix);
    const QJsonArray iou = expected.value(QStringLiteral("iou")).toArray();
    const QJsonArray accuracy = expected.value(QStringLiteral("accuracy")).toArray();
    for (qint64 c = 0; c < classes; ++c) {
        const ClassScore& s = scores[size_t(c)];
        QCOMPARE(s.iou, iou[c].toDouble());
        if (accuracy[c].isNull())
            QVERIFY2(std::isnan(s.accuracy), "a class that is never a target has no accuracy");
        else
            QCOMPARE(s.accuracy, accuracy[c].toDouble());
    }
    QCOMPARE(meanIou(scores), expected.value(QStringLiteral("mean_iou")).toDouble());
    QCOMPARE(pixelAccuracy(*matrix), expected.value(QStringLiteral("pixel_accuracy")).toDouble());

    const QJsonArray confused = expected.value(QStringLiteral("most_confused")).toArray();
    const std::vector<ConfusedPair> pairs = mostConfusedPairs(*matrix, int(confused.size()));
    QCOMPARE(qsizetype(pairs.size()), confused.size());
    for (qsizetype i = 0; i < confused.size(); ++i) {
        const QJsonArray c = confused[i].toArray();
        QCOMPARE(pairs[size_t(i)].target, c[0].toInteger());
        QCOMPARE(pairs[size_t(i)].predicted, c[1].toInteger());
        QCOMPARE(pairs[size_t(i)].positions, c[2].toInteger());
    }

    const QJsonObject cells = expected.value(QStringLiteral("cell_samples")).toObject();
    for (qint64 cell = 0; cell < classes * classes; ++cell) {
        const QJsonArray want = cells.value(QString::number(cell)).toArray();
        const std::vector<CellSample> got = samplesInCell(*matrix, cell / classes, cell % classes);
        QCOMPARE(qsizetype(got.size()), want.size());
        QCOMPARE(matrix->cellSampleTotals[size_t(cell)], want.size());
        for (qsizetype i = 0; i < want.size(); ++i) {
            QCOMPARE(got[size_t(i)].sample, want[i].toArray()[0].toInteger());
            QCOMPARE(got[size_t(i)].positions, want[i].toArray()[1].toInteger());
        }
    }
}

void TestSegmentation::mapsMatchTorch_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("(N, C, H, W)") << QStringLiteral("seg2d");
    QTest::addRow("(N, C, D, H, W)") << QStringLiteral("seg3d");
}

void TestSegmentation::mapsMatchTorch()
{
    // Each sample's predicted mask is torch.argmax(logits, dim=1), its loss map torch's
    // reduction='none' values, position by position (for (N, C, D, H, W): slice by slice).
    QFETCH(QString, name);
    const QString path = dataDir() + QLatin1Char('/') + name + QStringLiteral(".h5");
    Shape argmaxShape, lossShape;
    const std::vector<double> argmax =
        readNpy(dataDir() + QLatin1Char('/') + name + QStringLiteral("_argmax.npy"), &argmaxShape);
    const std::vector<double> torchLoss =
        readNpy(dataDir() + QLatin1Char('/') + name + QStringLiteral("_loss.npy"), &lossShape);
    QVERIFY(!argmax.empty() && argmaxShape == lossShape);
    InProcessSession session;
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY2(result, qPrintable(why(result)));
    const SlabReader read = [&session, path](const QString& tensor, const Slab& slab,
                                             DType* type) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session.readSlice(SliceRequest{path, tensor, slab});
        if (!slice)
            return Error{slice.error()};
        if (type)
            *type = slice->sourceType;
        return std::move(slice->values);
    };
    const qint64 samples = argmaxShape[0];
    const qint64 depth = argmaxShape.size() == 4 ? argmaxShape[1] : 1;
    const qint64 plane = argmaxShape[argmaxShape.size() - 2] * argmaxShape.back();
    int wrong = 0, ignored = 0;
    for (qint64 s = 0; s < samples; ++s) {
        for (qint64 d = 0; d < depth; ++d) {
            SampleSelection selection{s, {}};
            if (argmaxShape.size() == 4)
                selection.sliceIndex = {d};
            const Expected<SampleDetail> detail = readSampleDetail(*result, 0, selection, read);
            QVERIFY2(detail, qPrintable(why(detail)));
            QCOMPARE(detail->positions(), plane);
            const std::vector<PositionOutcome> outcome = positionOutcomes(*detail);
            for (qint64 p = 0; p < plane; ++p) {
                const auto at = size_t((s * depth + d) * plane + p);
                QCOMPARE(double(detail->predicted[size_t(p)]), argmax[at]);
                if (detail->ignored[size_t(p)]) {
                    QCOMPARE(outcome[size_t(p)], PositionOutcome::Ignored);
                    ++ignored;
                    continue;
                }
                QVERIFY(std::abs(detail->loss[size_t(p)] - torchLoss[at]) <=
                        1e-5 * std::abs(torchLoss[at]) + 1e-6);
                const bool right = detail->predicted[size_t(p)] == detail->target[size_t(p)];
                QCOMPARE(outcome[size_t(p)],
                         right ? PositionOutcome::Correct : PositionOutcome::Wrong);
                wrong += right ? 0 : 1;
            }
        }
    }
    const QJsonObject expected = expectedCase(name);
    QCOMPARE(ignored, expected.value(QStringLiteral("ignored")).toInt());
    QVERIFY(wrong > 0);
}

void TestSegmentation::cancelled()
{
    const QString path = dataDir() + QStringLiteral("/seg2d.h5");
    InProcessSession session;
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, {}}, {});
    QVERIFY2(result, qPrintable(why(result)));
    int calls = 0;
    const Expected<ConfusionMatrix> matrix =
        session.confusion(requestFor(*result, path), [&calls](double, const QString& message) {
            ++calls;
            return !message.isEmpty() && false;
        });
    QVERIFY(!matrix);
    QVERIFY(matrix.isCancelled());
    QCOMPARE(calls, 1);
}

void TestSegmentation::notClassIndices()
{
    const QString path = QFINDTESTDATA("data/perelement/mse_2d.npz");
    InProcessSession session;
    AnalysisOptions options;
    options.spec.kind = LossKind::Mse;
    const Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, options}, {});
    QVERIFY2(result, qPrintable(why(result)));
    QVERIFY(!result->pairs.empty());
    const Expected<ConfusionMatrix> matrix = session.confusion(requestFor(*result, path), {});
    QVERIFY(!matrix);
    QVERIFY2(matrix.error().contains(QStringLiteral("class-index")), qPrintable(matrix.error()));
}

void TestSegmentation::outcomes()
{
    SampleDetail detail;
    detail.target = {0, 1, 255, 7, 2};
    detail.predicted = {0, 2, 1, 1, -1};
    detail.ignored = {0, 0, 1, 0, 0};
    detail.outOfRange = {0, 0, 0, 1, 0};
    const std::vector<PositionOutcome> want = {
        PositionOutcome::Correct, PositionOutcome::Wrong, PositionOutcome::Ignored,
        PositionOutcome::Unscorable, PositionOutcome::Unscorable};
    QCOMPARE(positionOutcomes(detail), want);
}

QTEST_GUILESS_MAIN(TestSegmentation)
#include "tst_segmentation.moc"
