// SPDX-License-Identifier: GPL-3.0-or-later
// The elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy, kl_div) against what
// torch 1.13 and 2.15 said about the dumps of tests/data/gen_regression.py: per-sample losses,
// the means, warning and exception texts, the broadcast value, and the guessed loss kind.

#include "analysis/analyzer.h"
#include "analysis/kernels/kerneltargets.h"
#include "analysis/losskernels.h"
#include "formats/dumpreader.h"
#include "testutils.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QJsonArray cases()
{
    return test::readJson(QFINDTESTDATA("data/regression/expected.json")).array();
}

LossSpec specFor(const QJsonObject& c)
{
    LossSpec spec;
    if (c.value(QLatin1String("loss")).isNull()) {
        spec.guessKind = true;
    } else {
        spec.kind = *lossKindFromName(c.value(QLatin1String("loss")).toString());
    }
    const QJsonObject o = c.value(QLatin1String("options")).toObject();
    spec.beta = o.value(QLatin1String("beta")).toDouble(1.0);
    spec.delta = o.value(QLatin1String("delta")).toDouble(1.0);
    spec.logTarget = o.value(QLatin1String("log_target")).toBool(false);
    spec.weightTensor = o.value(QLatin1String("weight")).toString();
    spec.inputPath = QStringLiteral("output");
    spec.targetPath = QStringLiteral("target");
    return spec;
}

QString pathOf(const QJsonObject& c)
{
    return QFINDTESTDATA(QStringLiteral("data/regression/") +
                         c.value(QLatin1String("file")).toString());
}

const Diagnostic* find(const AnalysisResult& result, const QString& code)
{
    for (const Diagnostic& d : result.diagnostics) {
        if (d.codeName() == code)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestRegression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindsListed()
    {
        const std::vector<LossKind> kinds = allLossKinds();
        QStringList names;
        for (LossKind kind : kinds) {
            names << lossKindName(kind);
            QVERIFY(lossKindFromName(lossKindName(kind)) == kind);
        }
        for (const char* name : {"mse", "l1", "smooth_l1", "huber", "binary_cross_entropy",
                                 "kl_div", "bce", "cross_entropy", "nll"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
        QCOMPARE(lossClassName(LossKind::BinaryCrossEntropy), QStringLiteral("BCELoss"));
        QCOMPARE(lossClassName(LossKind::Bce), QStringLiteral("BCEWithLogitsLoss"));
    }

    void analysis_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        QTest::addColumn<QString>("torch");
        for (const QJsonValue& value : cases()) {
            const QJsonObject c = value.toObject();
            if (c.value(QLatin1String("loss")).isNull())
                continue;
            for (const QString& version : c.value(QLatin1String("torch")).toObject().keys())
                QTest::addRow("%s/%s", qPrintable(c.value(QLatin1String("name")).toString()),
                              qPrintable(version))
                    << c << version;
        }
    }

    // The whole analysis, on small tiles and two threads so the pairs span many tiles.
    void analysis()
    {
        QFETCH(QJsonObject, testCase);
        QFETCH(QString, torch);
        const QJsonObject said =
            testCase.value(QLatin1String("torch")).toObject().value(torch).toObject();
        auto reader = openDump(pathOf(testCase));
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
        AnalysisOptions options;
        options.spec = specFor(testCase);
        options.torch = parseTorchVersion(torch);
        options.threads = 2;
        options.budget = TileBudget{1024, 4096};
        const Expected<AnalysisResult> result = analyzeDump(**reader, options);
        QVERIFY2(result, qPrintable(result ? QString() : result.error()));
        QCOMPARE(result->pairs.size(), size_t(1));
        const PairResult& pair = result->pairs.front();

        QStringList expected, found;
        for (const QJsonValue& d : testCase.value(QLatin1String("diagnostics")).toArray())
            expected << d[QLatin1String("code")].toString() + QLatin1Char('/') +
                            d[QLatin1String("severity")].toString();
        for (const Diagnostic& d : result->diagnostics) {
            if (d.severity != Severity::Info && d.code != DiagCode::TorchVersionDifference)
                found << d.codeName() + QLatin1Char('/') + severityName(d.severity);
        }
        expected.sort();
        found.sort();
        QCOMPARE(found, expected);

        // torch's own texts, word for word.
        const QString warning = said.value(QLatin1String("warning")).toString();
        const QString error = said.value(QLatin1String("error")).toString();
        if (!error.isEmpty()) {
            QStringList quoted;
            for (const Diagnostic& d : result->diagnostics)
                quoted << d.pytorchError;
            QVERIFY2(quoted.contains(error), qPrintable(quoted.join(QLatin1Char('|'))));
        } else if (!warning.isEmpty()) {
            const Diagnostic* broadcast = find(*result, QStringLiteral("broadcast-target"));
            QVERIFY(broadcast);
            QCOMPARE(broadcast->pytorchError, warning);
        }
        // The broadcast's value as torch computed it, beside the intended one.
        if (const Diagnostic* broadcast = find(*result, QStringLiteral("broadcast-target"))) {
            const double mean = said.value(QLatin1String("mean")).toDouble();
            QVERIFY2(broadcast->message.contains(QString::number(mean, 'g', 6)),
                     qPrintable(broadcast->message));
        }

        const QJsonArray perSample = said.value(QLatin1String("per_sample")).toArray();
        if (perSample.isEmpty()) {
            QVERIFY(!pair.hasLosses);
            return;
        }
        QVERIFY2(pair.hasLosses, qPrintable(pair.lossError));
        QCOMPARE(pair.samples.loss.size(), size_t(perSample.size()));
        // Where torch raises on an input value, the sample's loss is NaN and the diagnostic
        // names the sample; torch's per-sample values there are of the clamped input.
        const Diagnostic* range = find(*result, QStringLiteral("input-out-of-range"));
        for (qsizetype s = 0; s < perSample.size(); ++s) {
            if (range && std::isnan(pair.samples.loss[size_t(s)])) {
                QVERIFY(std::find(range->samples.begin(), range->samples.end(), s) !=
                        range->samples.end());
                continue;
            }
            QVERIFY2(closeToTorch(pair.samples.loss[size_t(s)], perSample[s].toDouble()),
                     qPrintable(QStringLiteral("sample %1: %2 vs torch %3")
                                    .arg(s)
                                    .arg(pair.samples.loss[size_t(s)], 0, 'g', 10)
                                    .arg(perSample[s].toDouble(), 0, 'g', 10)));
        }
        if (error.isEmpty()) {
            const double intended = said.value(QLatin1String("intended_mean")).toDouble();
            QVERIFY2(closeToTorch(pair.summary.mean, intended),
                     qPrintable(QStringLiteral("mean %1 vs torch %2")
                                    .arg(pair.summary.mean, 0, 'g', 10)
                                    .arg(intended, 0, 'g', 10)));
        }
    }

    void kernel_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        QTest::addColumn<qint64>("target");
        for (const kernels::KernelTarget& target : kernels::availableKernelTargets()) {
            for (const QJsonValue& value : cases()) {
                const QJsonObject c = value.toObject();
                if (c.value(QLatin1String("loss")).isNull() ||
                    c.value(QLatin1String("input_shape")) !=
                        c.value(QLatin1String("target_shape")) ||
                    !c.value(QLatin1String("torch"))
                         .toObject()
                         .value(QLatin1String("2.15"))
                         .toObject()
                         .value(QLatin1String("error"))
                         .isNull() ||
                    c.value(QLatin1String("options")).toObject().contains(QLatin1String("weight")))
                    continue;
                QTest::addRow("%s/%s", qPrintable(c.value(QLatin1String("name")).toString()),
                              target.name)
                    << c << target.bits;
            }
        }
    }

    // The kernel alone, on every SIMD target this CPU has, one block for the whole tensor with
    // the last axis as the "classes": the per-sample means must still be torch's.
    void kernel()
    {
        QFETCH(QJsonObject, testCase);
        QFETCH(qint64, target);
        auto reader = openDump(pathOf(testCase));
        QVERIFY(reader);
        const int x = (*reader)->indexOf(QStringLiteral("output"));
        const int t = (*reader)->indexOf(QStringLiteral("target"));
        const Shape shape = (*reader)->tensors()[x].shape;
        const qint64 n = shape[0];
        const qint64 elements = (*reader)->tensors()[x].elementCount();
        std::vector<float> input(static_cast<size_t>(elements)),
            targets(static_cast<size_t>(elements));
        QVERIFY((*reader)->readRows(x, 0, n, DType::Float32, input.data()));
        QVERIFY((*reader)->readRows(t, 0, n, DType::Float32, targets.data()));
        const LossSpec spec = specFor(testCase);
        const qint64 classes = shape.size() >= 2 ? shape.back() : 1;
        const ClassBlock<float> block{input.data(), elements / classes, classes, 1};
        std::vector<double> loss(size_t(block.positions()));
        kernels::forceKernelTarget(target);
        elementwiseLoss(block, targets.data(),
                        ElementwiseOptions{spec.kind, spec.beta, spec.delta, spec.logTarget},
                        PositionOutputs{loss.data()});
        kernels::forceKernelTarget(0);
        const QJsonArray perSample = testCase.value(QLatin1String("torch"))
                                         .toObject()
                                         .value(QLatin1String("2.15"))
                                         .toObject()
                                         .value(QLatin1String("per_sample"))
                                         .toArray();
        const qint64 rowsPerSample = block.positions() / n;
        for (qint64 s = 0; s < n; ++s) {
            double sum = 0;
            for (qint64 r = 0; r < rowsPerSample; ++r)
                sum += loss[size_t(s * rowsPerSample + r)];
            // kl_div keeps each row's sum; the others its mean, so a sample is their mean.
            const double ours = sum / double(rowsPerSample);
            QVERIFY2(closeToTorch(ours, perSample[s].toDouble()),
                     qPrintable(QStringLiteral("sample %1: %2 vs torch %3")
                                    .arg(s)
                                    .arg(ours, 0, 'g', 10)
                                    .arg(perSample[s].toDouble(), 0, 'g', 10)));
        }
    }

    void guess_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const QJsonValue& value : cases()) {
            const QJsonObject c = value.toObject();
            if (c.value(QLatin1String("guess")).isString())
                QTest::addRow("%s", qPrintable(c.value(QLatin1String("name")).toString())) << c;
        }
    }

    // Without a kind, the analysis guesses one and says why; the guess is never silent.
    void guess()
    {
        QFETCH(QJsonObject, testCase);
        auto reader = openDump(pathOf(testCase));
        QVERIFY(reader);
        AnalysisOptions options;
        options.spec.guessKind = true;
        const Expected<AnalysisResult> result = analyzeDump(**reader, options);
        QVERIFY(result);
        const QString kind = testCase.value(QLatin1String("guess")).toString();
        QCOMPARE(lossKindName(result->spec.kind), kind);
        QVERIFY2(
            result->lossKindReason.startsWith(QStringLiteral("guessed: %1, because").arg(kind)),
            qPrintable(result->lossKindReason));
        QVERIFY(result->pairs.front().hasLosses);

        options.spec.guessKind = false; // a chosen kind is never second-guessed
        options.spec.kind = LossKind::L1;
        const Expected<AnalysisResult> chosen = analyzeDump(**reader, options);
        QVERIFY(chosen);
        QVERIFY(chosen->lossKindReason.isEmpty());
        QCOMPARE(chosen->spec.kind, LossKind::L1);
    }
};

QTEST_GUILESS_MAIN(TestRegression)
#include "tst_regression.moc"
