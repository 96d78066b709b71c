// SPDX-License-Identifier: GPL-3.0-or-later
// Fixes that change the loss rather than a tensor (analysis/losstransforms.h): ignore_index=N, a
// class weight and re-pairing. The grammar, the statements a diagnostic's fix amounts to, and
// the analysis with them against torch's losses on the same fixtures (data/losstransforms,
// gen_losstransforms.py).
#include "analysis/analyzer.h"
#include "analysis/losstransforms.h"
#include "analysis/transformedanalysis.h"
#include "formats/dumpreader.h"
#include "testutils.h"
#include "transform/fixtransforms.h"

#include <QProcess>
#include <QTest>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QString fixture(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/losstransforms/") + file;
}

QStringList strings(const QJsonArray& array)
{
    QStringList list;
    for (const QJsonValue& v : array)
        list << v.toString();
    return list;
}

} // namespace

class TestLossTransforms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grammar_data();
    void grammar();
    void statementsOfFixes_data();
    void statementsOfFixes();
    void lossesMatchTorch_data();
    void lossesMatchTorch();
    void unknownNamesAreRefused();
    void checkApply();
};

void TestLossTransforms::grammar_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // "" = a tensor statement, "!" = an error
    QTest::addRow("ignore") << "ignore_index=255"
                            << "ignore_index=255";
    QTest::addRow("ignore spaced") << " ignore_index = -1 "
                                   << "ignore_index=-1";
    QTest::addRow("ignore float") << "ignore_index=2.5"
                                  << "!";
    QTest::addRow("weight list") << "weight=[1, 2.5,0.5]"
                                 << "weight=[1, 2.5, 0.5]";
    QTest::addRow("weight torch.tensor") << "weight=torch.tensor([1, 2])"
                                         << "weight=[1, 2]";
    QTest::addRow("weight tensor()") << "weight=tensor([0.25])"
                                     << "weight=[0.25]";
    QTest::addRow("weight negative") << "weight=[1, -2]"
                                     << "!";
    QTest::addRow("weight text") << "weight=[1, a]"
                                 << "!";
    QTest::addRow("weight of the dump") << "weight=class_weight"
                                        << "weight=class_weight";
    QTest::addRow("a tensor named weight") << "weight=weight.reshape(-1)"
                                           << "";
    QTest::addRow("pair") << "criterion(logits, coarse)"
                          << "criterion(logits, coarse)";
    QTest::addRow("pair loss_fn") << "loss_fn( out ,y )"
                                  << "criterion(out, y)";
    QTest::addRow("pair by path") << "criterion(/a/logits, /a/y)"
                                  << "criterion(/a/logits, /a/y)";
    QTest::addRow("pair of one") << "criterion(x, x)"
                                 << "!";
    QTest::addRow("pair of code") << "criterion(x.permute(0, 2, 1), y)"
                                  << "!";
    QTest::addRow("tensor statement") << "labels=labels - 1"
                                      << "";
}

void TestLossTransforms::grammar()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const std::optional<Expected<LossTransform>> parsed = parseLossTransform(text);
    if (canonical.isEmpty()) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY(parsed);
    if (canonical == QLatin1String("!")) {
        QVERIFY(!parsed->ok());
        QVERIFY2(parsed->error().contains(text.trimmed()), qPrintable(parsed->error()));
        return;
    }
    QVERIFY2(parsed->ok(), qPrintable(parsed->ok() ? QString() : parsed->error()));
    QCOMPARE((*parsed)->text(), canonical);
}

void TestLossTransforms::statementsOfFixes_data()
{
    QTest::addColumn<QString>("fix");
    QTest::addColumn<QStringList>("statements");
    const QStringList none;
    QTest::addRow("ignore_index constructor")
        << "criterion = nn.CrossEntropyLoss(ignore_index=255)" << QStringList{"ignore_index=255"};
    QTest::addRow("ignore_index keyword")
        << "loss = F.cross_entropy(logits, labels, ignore_index=-1)"
        << QStringList{"ignore_index=-1"};
    QTest::addRow("weight made 1-D") << "loss = F.nll_loss(logits, labels, weight=w.reshape(-1))"
                                     << QStringList{"w=w.reshape(-1)"};
    QTest::addRow("computed weight") << "counts = torch.bincount(labels.flatten(), minlength=5)\n"
                                        "criterion = nn.CrossEntropyLoss(weight=weight)"
                                     << none;
    QTest::addRow("other option") << "loss = F.cross_entropy(logits, labels, reduction=\"sum\")"
                                  << none;
    QTest::addRow("re-pair") << "loss = F.cross_entropy(logits, coarse)"
                             << QStringList{"criterion(logits, coarse)"};
    QTest::addRow("re-pair and transform")
        << "loss = F.cross_entropy(logits.permute(0, 2, 1), coarse)"
        << QStringList{"criterion(logits, coarse)", "logits=logits.permute(0, 2, 1)"};
    QTest::addRow("roles") << "shapescope check DUMP --role logits=output --role coarse=target"
                           << QStringList{"criterion(logits, coarse)"};
    QTest::addRow("roles of the pair")
        << "shapescope check DUMP --role logits=output --role labels=target" << none;
    QTest::addRow("roles of no tensor")
        << "shapescope check DUMP --role logits=output --role TARGET=target" << none;
    QTest::addRow("hash in a string")
        << "loss = F.cross_entropy(logits, labels, ignore_index=7)  # not '#' ignore_index=3"
        << QStringList{"ignore_index=7"};
}

void TestLossTransforms::statementsOfFixes()
{
    QFETCH(QString, fix);
    QFETCH(QStringList, statements);
    FixContext context{QStringLiteral("logits"),
                       QStringLiteral("labels"),
                       {QStringLiteral("logits"), QStringLiteral("labels"),
                        QStringLiteral("coarse"), QStringLiteral("w")}};
    QCOMPARE(transformsOfFix(fix, context), statements);
}

void TestLossTransforms::lossesMatchTorch_data()
{
    QTest::addColumn<QJsonObject>("c");
    for (const QJsonValue& v : test::readJson(fixture(QStringLiteral("expected.json"))).array())
        QTest::addRow("%s", qPrintable(v.toObject().value(QStringLiteral("name")).toString()))
            << v.toObject();
}

void TestLossTransforms::lossesMatchTorch()
{
    QFETCH(QJsonObject, c);
    auto reader = openDump(fixture(c.value(QStringLiteral("file")).toString()));
    QVERIFY(reader.ok());
    AnalysisOptions options;
    options.spec.kind = *lossKindFromName(c.value(QStringLiteral("loss")).toString());
    options.threads = 2;
    options.transforms = strings(c.value(QStringLiteral("apply")).toArray());
    options.torch = parseTorchVersion(c.value(QStringLiteral("torch")).toString());
    const Expected<AnalysisResult> result = analyzeDump(**reader, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));

    const QJsonArray pairs = c.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(result->pairs.size(), size_t(pairs.size()));
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QJsonObject expected = pairs[p].toObject();
        const PairResult& pair = result->pairs[size_t(p)];
        QVERIFY2(pair.input.endsWith(expected.value(QStringLiteral("input")).toString()) &&
                     pair.target.endsWith(expected.value(QStringLiteral("target")).toString()),
                 qPrintable(pair.input + QStringLiteral(" / ") + pair.target));
        QVERIFY(pair.hasLosses);
        const QJsonArray losses = expected.value(QStringLiteral("losses")).toArray();
        QCOMPARE(pair.samples.loss.size(), size_t(losses.size()));
        for (qsizetype s = 0; s < losses.size(); ++s)
            QVERIFY2(closeToTorch(pair.samples.loss[size_t(s)], losses[s].toDouble()),
                     qPrintable(QStringLiteral("sample %1: %2 vs torch %3")
                                    .arg(s)
                                    .arg(pair.samples.loss[size_t(s)])
                                    .arg(losses[s].toDouble())));
        QVERIFY(closeToTorch(pair.summary.mean, expected.value(QStringLiteral("mean")).toDouble()));
    }
    const QString before = c.value(QStringLiteral("error_before")).toString();
    if (!before.isEmpty())
        QVERIFY2(result->errorsBefore.contains(before),
                 qPrintable(result->errorsBefore.join(QLatin1Char('|'))));
    QVERIFY(c.value(QStringLiteral("error_after")).isNull());
    const TransformVerdict verdict = transformVerdict(*result);
    QVERIFY2(verdict.now.size() == 1 && verdict.now.front().startsWith(QLatin1String("accepted")),
             qPrintable(verdict.now.join(QLatin1Char('|'))));
    QCOMPARE(verdict.fixed, !before.isEmpty());
    // What the strip and the reports list: the canonical statements, in the user's order.
    QStringList canonical;
    for (const QString& statement : options.transforms)
        canonical << (*parseLossTransform(statement))->text();
    QCOMPARE(result->transforms, canonical);
}

void TestLossTransforms::unknownNamesAreRefused()
{
    auto reader = openDump(fixture(QStringLiteral("repair.npz")));
    QVERIFY(reader.ok());
    AnalysisOptions options;
    options.threads = 2;
    for (const QString& statement :
         {QStringLiteral("criterion(logits, nowhere)"), QStringLiteral("weight=nowhere")}) {
        options.transforms = {statement};
        const Expected<AnalysisResult> result = analyzeDump(**reader, options);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().contains(QLatin1String("nowhere")) &&
                     result.error().contains(QLatin1String("repair.npz")),
                 qPrintable(result.error()));
    }
}

void TestLossTransforms::checkApply()
{
    const QString file = fixture(QStringLiteral("void_label.h5"));
    QProcess process;
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE),
                  {QStringLiteral("check"), file, QStringLiteral("--apply"),
                   QStringLiteral("ignore_index=255")});
    QVERIFY(process.waitForFinished(60000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(process.exitCode() == 0, qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("ignore_index=255")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("was: Target 255 is out of bounds.")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("now: accepted, mean loss")), qPrintable(out));
}

QTEST_GUILESS_MAIN(TestLossTransforms)
#include "tst_losstransforms.moc"
