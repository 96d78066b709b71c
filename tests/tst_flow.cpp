// SPDX-License-Identifier: GPL-3.0-or-later
// The step as a dataflow (loader -> model -> loss): roles, the batch axis traced across the
// step's tensors, guessed pairs and dumps where nothing could be checked, on the dumps of
// tests/data/gen_steps.py (made and checked with torch).
#include "analysis/analyzer.h"
#include "formats/dumpreader.h"
#include "report/jsonreport.h"
#include "testutils.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace shapescope;

namespace {

QJsonArray expectedCases()
{
    return test::readJson(QFINDTESTDATA("data/steps/expected.json"))
        .object()
        .value(QStringLiteral("cases"))
        .toArray();
}

QJsonObject expectedCase(const QString& file)
{
    const QJsonArray cases = expectedCases();
    for (const QJsonValue& c : cases) {
        if (c[QStringLiteral("file")].toString() == file)
            return c.toObject();
    }
    return {};
}

Expected<AnalysisResult> analyze(const QString& file, const std::vector<RoleOverride>& roles = {},
                                 const QString& torch = {})
{
    auto reader = openDump(QFINDTESTDATA(QStringLiteral("data/steps/") + file));
    if (!reader)
        return Error{reader.error()};
    AnalysisOptions options;
    options.spec.roles = roles;
    options.spec.guessKind = true; // as `check` without --loss: ctc_step.npz is read as CTC
    if (!torch.isEmpty())
        options.torch = parseTorchVersion(torch);
    return analyzeDump(**reader, options);
}

QStringList codes(const AnalysisResult& result)
{
    QStringList list;
    for (const Diagnostic& d : result.diagnostics)
        list << d.codeName();
    return list;
}

// {path: batch} of the step's tensors in `role`, as expected.json writes them.
QJsonObject byRole(const StepFlow& flow, TensorRole role)
{
    QJsonObject object;
    for (const FlowTensor& t : flow.tensors) {
        if (t.role == role)
            object.insert(t.path, t.batch);
    }
    return object;
}

const Diagnostic* find(const AnalysisResult& result, DiagCode code)
{
    for (const Diagnostic& d : result.diagnostics) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flows_data();
    void flows();
    void modelMergedSays();
    void loaderMismatchSays();
    void loaderInputsAreNotUnpaired();
    void userRolesChangeTheAnalysis();
    void flowJson_data();
    void flowJson();
    void eachTorchQuote_data();
    void eachTorchQuote();
    void ctcBatchAxis();
    void extraOfAnotherBatchSays();
    void accuracyOnlyWhereMeaningful_data();
    void accuracyOnlyWhereMeaningful();
};

void TestFlow::flows_data()
{
    QTest::addColumn<QJsonObject>("expected");
    const QJsonArray cases = expectedCases();
    QVERIFY(cases.size() >= 6);
    for (const QJsonValue& c : cases)
        QTest::addRow("%s", qPrintable(c[QStringLiteral("file")].toString())) << c.toObject();
}

void TestFlow::flows()
{
    QFETCH(QJsonObject, expected);
    const Expected<AnalysisResult> result = analyze(expected[QStringLiteral("file")].toString());
    QVERIFY2(result, qPrintable(result ? QString() : result.error()));
    const QJsonArray flows = expected[QStringLiteral("flows")].toArray();
    QCOMPARE(result->flows.size(), size_t(flows.size()));
    for (qsizetype i = 0; i < flows.size(); ++i) {
        const QJsonObject want = flows[i].toObject();
        const StepFlow& got = result->flows[size_t(i)];
        QCOMPARE(got.group, want[QStringLiteral("group")].toString());
        QCOMPARE(byRole(got, TensorRole::Loader), want[QStringLiteral("loader")].toObject());
        QCOMPARE(byRole(got, TensorRole::Output), want[QStringLiteral("output")].toObject());
        QCOMPARE(byRole(got, TensorRole::Target), want[QStringLiteral("target")].toObject());
        QCOMPARE(byRole(got, TensorRole::Extra), want[QStringLiteral("extra")].toObject());
        const QJsonValue divergesAt = want[QStringLiteral("diverges_at")];
        QCOMPARE(flowStageName(got.divergesAt),
                 divergesAt.isNull() ? QString() : divergesAt.toString());
        QCOMPARE(got.guessed, expected[QStringLiteral("guessed")].toBool());
    }
    const QStringList found = codes(*result);
    const QJsonArray wanted = expected[QStringLiteral("diagnostics")].toArray();
    for (const QJsonValue& code : wanted)
        QVERIFY2(found.contains(code.toString()), qPrintable(found.join(QLatin1Char(' '))));
    for (const char* flowCode :
         {"batch-changed-in-model", "loader-batch-mismatch", "no-pair-checked", "guessed-pair"}) {
        if (!wanted.contains(QLatin1String(flowCode)))
            QVERIFY2(!found.contains(QLatin1String(flowCode)), flowCode);
    }
    // torch's own quote stays, word for word; the computed loss is torch's.
    const QJsonValue quote = expected[QStringLiteral("pytorch_error")];
    if (quote.isString()) {
        const Diagnostic* batch = find(*result, DiagCode::BatchSizeMismatch);
        QVERIFY(batch);
        QCOMPARE(batch->pytorchError, quote.toString());
    }
    const QJsonValue mean = expected[QStringLiteral("mean")];
    if (mean.isDouble()) {
        QCOMPARE(result->pairs.size(), size_t(1));
        QVERIFY(result->pairs.front().hasLosses);
        QVERIFY(qAbs(result->pairs.front().summary.mean - mean.toDouble()) < 1e-5);
    }
}

void TestFlow::modelMergedSays()
{
    const Expected<AnalysisResult> result = analyze(QStringLiteral("model_merged.h5"));
    QVERIFY(result);
    const Diagnostic* d = find(*result, DiagCode::BatchChangedInModel);
    QVERIFY(d);
    QCOMPARE(d->message, QStringLiteral("the loader gave 64 (inputs 64x3x32x32, labels 64); the "
                                        "model's output has 32 rows, so the model merged samples"));
    // Beside torch's quote: on the same pair.
    QCOMPARE(d->pair, find(*result, DiagCode::BatchSizeMismatch)->pair);
}

void TestFlow::loaderMismatchSays()
{
    const Expected<AnalysisResult> result = analyze(QStringLiteral("loader_mismatch.npz"));
    QVERIFY(result);
    const Diagnostic* d = find(*result, DiagCode::LoaderBatchMismatch);
    QVERIFY(d);
    QCOMPARE(d->message, QStringLiteral("the loader's inputs and labels disagree (64 vs 32), so "
                                        "the collate or the dataset is wrong, not the model"));
    QVERIFY(d->fix.contains(QStringLiteral("inputs.shape[0] == labels.shape[0]")));
    QVERIFY(!find(*result, DiagCode::BatchChangedInModel));
}

void TestFlow::loaderInputsAreNotUnpaired()
{
    for (const char* file : {"model_merged.h5", "loader_mismatch.npz", "text_extras.npz"}) {
        const Expected<AnalysisResult> result = analyze(QLatin1String(file));
        QVERIFY(result);
        QVERIFY2(!find(*result, DiagCode::UnpairedTensor), file);
    }
}

void TestFlow::userRolesChangeTheAnalysis()
{
    const Expected<AnalysisResult> guessed = analyze(QStringLiteral("guessed_pair.npz"));
    QVERIFY(guessed);
    QVERIFY(guessed->pairs.front().guessed);
    // Named by the user (without the leading '/', as h5py users write paths): no guess.
    const Expected<AnalysisResult> named = analyze(QStringLiteral("guessed_pair.npz"),
                                                   {{QStringLiteral("/arr_0"), TensorRole::Output},
                                                    {QStringLiteral("arr_1"), TensorRole::Target}});
    QVERIFY(named);
    QCOMPARE(named->pairs.size(), size_t(1));
    QVERIFY(!named->pairs.front().guessed);
    QVERIFY(!find(*named, DiagCode::GuessedPair));
    QVERIFY(named->flows.front().tensors.front().userRole);
    // Nothing checkable becomes checkable when the user says what is what.
    const Expected<AnalysisResult> nothing = analyze(QStringLiteral("nothing_checkable.npz"));
    QVERIFY(nothing && find(*nothing, DiagCode::NoPairChecked));
    // Demoting the loader's inputs to an extra: the model no longer looks guilty.
    const Expected<AnalysisResult> demoted =
        analyze(QStringLiteral("model_merged.h5"), {{QStringLiteral("inputs"), TensorRole::Extra}});
    QVERIFY(demoted);
    QCOMPARE(demoted->flows.front().divergesAt, FlowStage::Target);
    QVERIFY(!find(*demoted, DiagCode::BatchChangedInModel));
}

void TestFlow::flowJson_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonValue>("divergesAt");
    QTest::addRow("model") << QStringLiteral("model_merged.h5")
                           << QJsonValue(QStringLiteral("model"));
    QTest::addRow("loader") << QStringLiteral("loader_mismatch.npz")
                            << QJsonValue(QStringLiteral("loader"));
    QTest::addRow("none") << QStringLiteral("text_extras.npz") << QJsonValue(QJsonValue::Null);
    // CTC's batch is axis 1 of (T, N, C) log_probs: the step agrees.
    QTest::addRow("ctc") << QStringLiteral("ctc_step.npz") << QJsonValue(QJsonValue::Null);
    // No loader tensor, and the attention_mask has 8 rows against a batch of 6.
    QTest::addRow("extra") << QStringLiteral("mask_other_batch.npz")
                           << QJsonValue(QStringLiteral("loader"));
}

void TestFlow::flowJson()
{
    QFETCH(QString, file);
    QFETCH(QJsonValue, divergesAt);
    const Expected<AnalysisResult> result = analyze(file);
    QVERIFY(result);
    const QJsonObject json = analysisToJson(*result);
    const QJsonArray steps = json[QStringLiteral("steps")].toArray();
    QCOMPARE(steps.size(), 1);
    const QJsonObject flow = steps[0][QStringLiteral("flow")].toObject();
    QCOMPARE(flow[QStringLiteral("diverges_at")], divergesAt);
    const QJsonObject want = expectedCase(file)[QStringLiteral("flows")][0].toObject();
    for (const char* role : {"loader", "output", "target", "extra"}) {
        const QJsonArray tensors = flow[QLatin1String(role)].toArray();
        QJsonObject batches;
        for (const QJsonValue& t : tensors)
            batches.insert(t[QStringLiteral("path")].toString(), t[QStringLiteral("batch")]);
        QCOMPARE(batches, want[QLatin1String(role)].toObject());
    }
}

// Every torch release gen_steps.py ran gives its own quote and loss; the analysis speaking for
// that release matches it.
void TestFlow::eachTorchQuote_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("torch");
    QTest::addColumn<QJsonObject>("expected");
    for (const QJsonValue& c : expectedCases()) {
        const QJsonObject byVersion = c[QStringLiteral("torch")].toObject();
        for (auto it = byVersion.begin(); it != byVersion.end(); ++it) {
            const QString file = c[QStringLiteral("file")].toString();
            QTest::addRow("%s %s", qPrintable(file), qPrintable(it.key()))
                << file << it.key() << it.value().toObject();
        }
    }
}

void TestFlow::eachTorchQuote()
{
    QFETCH(QString, file);
    QFETCH(QString, torch);
    QFETCH(QJsonObject, expected);
    QVERIFY(parseTorchVersion(torch));
    const Expected<AnalysisResult> result = analyze(file, {}, torch);
    QVERIFY(result);
    const QJsonValue quote = expected[QStringLiteral("pytorch_error")];
    if (quote.isString()) {
        const Diagnostic* batch = find(*result, DiagCode::BatchSizeMismatch);
        QVERIFY(batch);
        QCOMPARE(batch->pytorchError, quote.toString());
    }
    const QJsonValue mean = expected[QStringLiteral("mean")];
    if (mean.isDouble() && result->pairs.size() == 1) {
        QVERIFY(result->pairs.front().hasLosses);
        QVERIFY(qAbs(result->pairs.front().summary.mean - mean.toDouble()) < 1e-5);
    }
}

void TestFlow::ctcBatchAxis()
{
    const Expected<AnalysisResult> result = analyze(QStringLiteral("ctc_step.npz"));
    QVERIFY(result);
    QCOMPARE(result->spec.kind, LossKind::Ctc);
    QCOMPARE(result->flows.size(), size_t(1));
    const StepFlow& flow = result->flows.front();
    QCOMPARE(flow.divergesAt, FlowStage::None);
    for (const FlowTensor& t : flow.tensors) {
        // (T, N, C): the pair's layout puts the batch on axis 1; the others carry it on axis 0.
        QCOMPARE(t.batchAxis, t.role == TensorRole::Output ? 1 : 0);
        QCOMPARE(t.batch, qint64(4));
    }
}

void TestFlow::extraOfAnotherBatchSays()
{
    const Expected<AnalysisResult> result = analyze(QStringLiteral("mask_other_batch.npz"));
    QVERIFY(result);
    const Diagnostic* d = find(*result, DiagCode::LoaderBatchMismatch);
    QVERIFY(d);
    QCOMPARE(d->severity, Severity::Warning);
    QVERIFY2(d->message.contains(QStringLiteral("attention_mask has 8 rows")),
             qPrintable(d->message));
    QVERIFY2(d->message.contains(QStringLiteral("batch is 6")), qPrintable(d->message));
    QCOMPARE(d->tensors, QStringList({QStringLiteral("logits"), QStringLiteral("attention_mask")}));
}

// argmax == target means nothing for CTC's alignments: no accuracy there, one for cross entropy.
void TestFlow::accuracyOnlyWhereMeaningful_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("hasAccuracy");
    QTest::addRow("cross entropy") << QStringLiteral("text_extras.npz") << true;
    QTest::addRow("ctc") << QStringLiteral("ctc_step.npz") << false;
}

void TestFlow::accuracyOnlyWhereMeaningful()
{
    QFETCH(QString, file);
    QFETCH(bool, hasAccuracy);
    const Expected<AnalysisResult> result = analyze(file);
    QVERIFY(result);
    QCOMPARE(result->pairs.size(), size_t(1));
    QVERIFY(result->pairs.front().hasLosses);
    QCOMPARE(result->pairs.front().summary.accuracy >= 0, hasAccuracy);
    const QJsonObject loss =
        analysisToJson(*result)[QStringLiteral("pairs")][0][QStringLiteral("loss")].toObject();
    QCOMPARE(loss[QStringLiteral("accuracy")].isNull(), !hasAccuracy);
}

QTEST_GUILESS_MAIN(TestFlow)
#include "tst_flow.moc"
