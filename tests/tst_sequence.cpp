// SPDX-License-Identifier: GPL-3.0-or-later
// Sequence models and advice that must not harm (issue 11): the dumps of data/sequence/, made by
// data/gen_sequence.py, under each torch that ran them.
#include "analysis/analyzer.h"
#include "dumpcases.h"
#include "formats/dumpreader.h"
#include "testutils.h"
#include "torchquote.h"

#include <cmath>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QJsonArray sequenceCases()
{
    static const QJsonArray all =
        test::readJson(QFINDTESTDATA("data/sequence/expected.json")).array();
    return all;
}

QStringList strings(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

const Diagnostic* firstOf(const AnalysisResult& result, const QString& code)
{
    for (const Diagnostic& d : result.diagnostics) {
        if (d.codeName() == code)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestSequence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void codeSpellings_data();
    void codeSpellings();
};

void TestSequence::matchesTorch_data()
{
    QTest::addColumn<QJsonObject>("expected");
    QTest::addColumn<QString>("torch");
    QVERIFY(!sequenceCases().isEmpty());
    for (const QJsonValue& value : sequenceCases()) {
        const QJsonObject c = value.toObject();
        const QByteArray name = c.value(QStringLiteral("name")).toString().toUtf8();
        const QJsonObject versions = c.value(QStringLiteral("pairs"))
                                         .toArray()
                                         .first()
                                         .toObject()
                                         .value(QStringLiteral("torch"))
                                         .toObject();
        for (const QString& torch : versions.keys())
            QTest::addRow("%s, torch %s", name.constData(), qPrintable(torch)) << c << torch;
    }
}

void TestSequence::matchesTorch()
{
    QFETCH(QJsonObject, expected);
    QFETCH(QString, torch);
    AnalysisOptions options;
    options.spec = test::specForCase(expected.value(QStringLiteral("options")).toObject());
    options.torch = parseTorchVersion(torch);
    options.torchSource = TorchSource::CommandLine;
    auto reader = openDump(QFINDTESTDATA(QStringLiteral("data/sequence/") +
                                         expected.value(QStringLiteral("file")).toString()));
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    const Expected<AnalysisResult> result = analyzeDump(**reader, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));

    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(result->pairs.size(), size_t(pairs.size()));
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QJsonObject want =
            pairs[p].toObject().value(QStringLiteral("torch")).toObject().value(torch).toObject();
        const PairResult& got = result->pairs[p];
        const QString torchText = want.value(QStringLiteral("pytorch_error")).toString();
        const QString mismatch = test::quoteMismatch(*result, p, torchText);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(got.hasLosses, want.value(QStringLiteral("computed")).toBool());
        if (!got.hasLosses || !want.value(QStringLiteral("losses")).isArray())
            continue;
        const double torchMean = test::jsonNumber(want.value(QStringLiteral("mean")));
        if (std::isnan(torchMean))
            QVERIFY(std::isnan(got.summary.mean));
        else
            QVERIFY2(closeToTorch(got.summary.mean, torchMean),
                     qPrintable(QStringLiteral("mean: ours %1, torch %2")
                                    .arg(got.summary.mean, 0, 'g', 17)
                                    .arg(torchMean, 0, 'g', 17)));
    }

    QStringList wanted;
    for (const QJsonValue& d : expected.value(QStringLiteral("diagnostics")).toArray()) {
        wanted << d.toObject().value(QStringLiteral("code")).toString() + QLatin1Char('/') +
                      d.toObject().value(QStringLiteral("severity")).toString();
    }
    wanted.sort();
    QStringList keys;
    for (const Diagnostic& d : result->diagnostics)
        keys << d.codeName() + QLatin1Char('/') + severityName(d.severity);
    keys.sort();
    QCOMPARE(keys, wanted);

    // What the advice must and must not say.
    const QString code = expected.value(QStringLiteral("code")).toString();
    const Diagnostic* d = firstOf(*result, code);
    QVERIFY2(d, qPrintable(code));
    for (const QString& part : strings(expected.value(QStringLiteral("fix_contains"))))
        QVERIFY2(d->fix.contains(part), qPrintable(part + QStringLiteral(" not in ") + d->fix));
    for (const QString& part : strings(expected.value(QStringLiteral("fix_excludes"))))
        QVERIFY2(!d->fix.contains(part), qPrintable(part + QStringLiteral(" in ") + d->fix));
    for (const QString& part : strings(expected.value(QStringLiteral("explanation_excludes"))))
        QVERIFY2(!d->explanation.contains(part),
                 qPrintable(part + QLatin1String(" in ") + d->explanation));

    if (expected.contains(QStringLiteral("class_axis"))) {
        const PairLayout& layout = result->pairs.front().layout;
        const int axis = expected.value(QStringLiteral("class_axis")).toInt();
        QCOMPARE(layout.classAxis, axis);
        // A vocabulary-sized last axis is the classes, never a spatial axis.
        QCOMPARE(layout.inputRoles.at(size_t(axis)), AxisRole::Class);
    }
    if (expected.contains(QStringLiteral("ignored_share"))) {
        QVERIFY(result->pairs.front().hasLosses);
        QVERIFY(qAbs(result->pairs.front().summary.ignoredShare() -
                     expected.value(QStringLiteral("ignored_share")).toDouble()) < 1e-12);
    }
}

// The spellings users and scripts see, and the old one gone.
void TestSequence::codeSpellings_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("known");
    for (const char* name : {"label-shift", "time-major-output", "squeezed-batch", "rgb-mask",
                             "labels-shifted", "all-targets-ignored"})
        QTest::addRow("%s", name) << QString::fromLatin1(name) << true;
    QTest::addRow("labels-one-based") << QStringLiteral("labels-one-based") << false;
}

void TestSequence::codeSpellings()
{
    QFETCH(QString, name);
    QFETCH(bool, known);
    const std::optional<DiagCode> code = diagCodeFromName(name);
    QCOMPARE(code.has_value(), known);
    if (code)
        QCOMPARE(diagCodeName(*code), name);
}

QTEST_GUILESS_MAIN(TestSequence)
#include "tst_sequence.moc"
