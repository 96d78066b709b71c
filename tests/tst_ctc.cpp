// SPDX-License-Identifier: GPL-3.0-or-later
// CTC and binary heads: every fixture of tests/data/ctc (gen_ctc.py) analysed as torch 1.13 and
// 2.15 saw it: the exception texts word for word, per-sample losses within 1e-5 relative, the
// diagnostic codes, and the samples no path can emit. And the SIMD recursion against torch's
// log-space one on every kernel target.
#include "analysis/analyzer.h"
#include "analysis/axisnames.h"
#include "analysis/ctckernel.h"
#include "analysis/ctctensors.h"
#include "analysis/kernels/kerneltargets.h"
#include "formats/dumpreader.h"
#include "testutils.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <cmath>
#include <random>

using namespace shapescope;

namespace {

QJsonArray ctcCases()
{
    return test::readJson(QFINDTESTDATA("data/ctc/expected.json"))
        .object()
        .value(QStringLiteral("cases"))
        .toArray();
}

CtcSample randomSample(std::mt19937& rng, qint64 steps, qint64 length, qint64 classes, bool repeats)
{
    std::uniform_int_distribution<qint64> label(1, classes - 1);
    std::vector<qint64> target(static_cast<size_t>(length));
    for (size_t i = 0; i < target.size(); ++i)
        target[i] = repeats && i % 3 == 1 ? target[i - 1] : label(rng);
    CtcSample sample = makeCtcSample(target, 0, steps);
    std::normal_distribution<double> logit(0.0, 3.0);
    sample.logProbs.resize(size_t(steps) * sample.labels.size());
    for (double& v : sample.logProbs)
        v = -std::abs(logit(rng)) - 0.01;
    return sample;
}

} // namespace

class TestCtc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void kernelMatchesReference_data();
    void kernelMatchesReference();
    void guessesCtcByName();
};

void TestCtc::matchesTorch_data()
{
    QTest::addColumn<QJsonObject>("spec");
    QTest::addColumn<QString>("torch");
    for (const QJsonValue value : ctcCases()) {
        const QJsonObject c = value.toObject();
        for (const QString& torch : c.value(QStringLiteral("torch")).toObject().keys()) {
            QTest::addRow("%s, torch %s", qPrintable(c.value(QStringLiteral("name")).toString()),
                          qPrintable(torch))
                << c << torch;
        }
    }
}

void TestCtc::matchesTorch()
{
    QFETCH(QJsonObject, spec);
    QFETCH(QString, torch);
    auto reader = openDump(
        QFINDTESTDATA(QStringLiteral("data/ctc/") + spec.value(QStringLiteral("file")).toString()));
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    AnalysisOptions options;
    options.spec.kind = *lossKindFromName(spec.value(QStringLiteral("loss")).toString());
    options.spec.blank = spec.value(QStringLiteral("blank")).toInteger(0);
    options.spec.zeroInfinity = spec.value(QStringLiteral("zero_infinity")).toBool(false);
    options.torch = parseTorchVersion(torch);
    options.threads = 2;
    const Expected<AnalysisResult> result = analyzeDump(**reader, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    const QJsonObject said = spec.value(QStringLiteral("torch")).toObject().value(torch).toObject();

    QSet<QString> codes, wanted;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.severity != Severity::Info)
            codes << d.codeName();
    }
    for (const QJsonValue code : spec.value(QStringLiteral("codes")).toArray())
        wanted << code.toString();
    QCOMPARE(codes, wanted);
    QVERIFY2(result->unpaired.isEmpty(), qPrintable(result->unpaired.join(QLatin1Char(' '))));
    QCOMPARE(result->pairs.size(), size_t(1));

    const QString error = said.value(QStringLiteral("pytorch_error")).toString();
    if (!error.isEmpty()) {
        QStringList quoted;
        for (const Diagnostic& d : result->diagnostics)
            quoted << d.pytorchError;
        QVERIFY2(quoted.contains(error), qPrintable(quoted.join(QLatin1Char('|'))));
    }
    const QJsonArray losses =
        said.value(error.isEmpty() ? QStringLiteral("losses") : QStringLiteral("fix_losses"))
            .toArray();
    const PairResult& pair = result->pairs.front();
    QCOMPARE(pair.hasLosses, !losses.isEmpty());
    // The targets' labels are their own axis (S), not the input's time (T).
    if (options.spec.kind == LossKind::Ctc && !pair.layout.targetRoles.empty()) {
        const QStringList targetAxes =
            axisLabels(pair.layout, pair.layout.targetRoles, pair.layout.targetRoles.size());
        QCOMPARE(targetAxes.back(), QStringLiteral("S"));
        QVERIFY(!axisLabels(pair.layout, pair.layout.inputRoles, 3).contains(QStringLiteral("S")));
    }
    QCOMPARE(pair.samples.loss.size(), size_t(losses.size()));
    for (qsizetype i = 0; i < losses.size(); ++i) {
        const double want = test::jsonNumber(losses[i]);
        QVERIFY2(test::closeToTorch(pair.samples.loss[size_t(i)], want),
                 qPrintable(QStringLiteral("sample %1: %2, torch %3")
                                .arg(i)
                                .arg(pair.samples.loss[size_t(i)], 0, 'g', 10)
                                .arg(want, 0, 'g', 10)));
    }
    if (spec.contains(QStringLiteral("infinite"))) {
        std::vector<qint64> infinite;
        for (const QJsonValue v : spec.value(QStringLiteral("infinite")).toArray())
            infinite.push_back(v.toInteger());
        const auto d =
            std::find_if(result->diagnostics.begin(), result->diagnostics.end(),
                         [](const Diagnostic& x) { return x.code == DiagCode::CtcTargetTooLong; });
        QVERIFY(d != result->diagnostics.end());
        QCOMPARE(d->samples, infinite);
        QCOMPARE(d->severity, options.spec.zeroInfinity ? Severity::Warning : Severity::Error);
    }
}

void TestCtc::kernelMatchesReference_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<qint64>("steps");
    QTest::addColumn<qint64>("length");
    QTest::addColumn<bool>("repeats");
    for (const kernels::KernelTarget& t : kernels::availableKernelTargets()) {
        QTest::addRow("%s, empty target", t.name) << t.bits << qint64(7) << qint64(0) << false;
        QTest::addRow("%s, short", t.name) << t.bits << qint64(9) << qint64(3) << false;
        QTest::addRow("%s, repeats", t.name) << t.bits << qint64(40) << qint64(13) << true;
        QTest::addRow("%s, long", t.name) << t.bits << qint64(400) << qint64(100) << false;
        QTest::addRow("%s, exactly fits", t.name) << t.bits << qint64(12) << qint64(12) << false;
        QTest::addRow("%s, impossible", t.name) << t.bits << qint64(10) << qint64(9) << true;
    }
}

void TestCtc::kernelMatchesReference()
{
    QFETCH(qint64, target);
    QFETCH(qint64, steps);
    QFETCH(qint64, length);
    QFETCH(bool, repeats);
    kernels::forceKernelTarget(target);
    std::mt19937 rng(quint32(steps * 131 + length));
    for (int round = 0; round < 5; ++round) {
        const CtcSample sample = randomSample(rng, steps, length, 30, repeats);
        const double reference = ctcNegLogLikelihoodReference(sample);
        const double fast = ctcNegLogLikelihood(sample);
        if (std::isinf(reference)) {
            QCOMPARE(fast, reference);
            continue;
        }
        QVERIFY2(std::abs(fast - reference) <= 1e-9 * std::abs(reference),
                 qPrintable(
                     QStringLiteral("%1 vs %2").arg(fast, 0, 'g', 17).arg(reference, 0, 'g', 17)));
    }
    kernels::forceKernelTarget(0);
}

void TestCtc::guessesCtcByName()
{
    auto reader = openDump(QFINDTESTDATA("data/ctc/ctc_basic.npz"));
    QVERIFY(reader);
    const std::optional<QString> reason = ctcGuessReason((*reader)->tensors());
    QVERIFY(reason);
    QVERIFY2(reason->contains(QLatin1String("input_lengths")), qPrintable(*reason));
    auto other = openDump(QFINDTESTDATA("data/ctc/ce_single_class.npz"));
    QVERIFY(other);
    QVERIFY(!ctcGuessReason((*other)->tensors()));
}

QTEST_GUILESS_MAIN(TestCtc)
#include "tst_ctc.moc"
