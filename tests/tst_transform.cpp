// SPDX-License-Identifier: GPL-3.0-or-later
// Fixes tried on the data (transform/): the grammar, the views against torch running the same
// statements on the same fixtures (data/transforms, gen_transforms.py), the analysis of the
// transformed dump against torch's losses, and `check --apply`.
#include "analysis/analyzer.h"
#include "analysis/transformedanalysis.h"
#include "dumpcases.h"
#include "formats/dumpreader.h"
#include "testutils.h"
#include "transform/transformedreader.h"

#include <QProcess>
#include <QTest>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QString fixture(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/transforms/") + file;
}

QJsonArray cases()
{
    return test::readJson(fixture(QStringLiteral("expected.json"))).array();
}

QStringList statements(const QJsonObject& c)
{
    QStringList list;
    for (const QJsonValue& v : c.value(QStringLiteral("apply")).toArray())
        list << v.toString();
    return list;
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runShapescope(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    process.waitForFinished(60000);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestTransform : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grammar_data();
    void grammar();
    void viewsMatchTorch_data();
    void viewsMatchTorch();
    void lossesMatchTorch_data();
    void lossesMatchTorch();
    void refusedTransforms_data();
    void refusedTransforms();
    void untouchedTensorsStillMap();
    void appliedFixesRemoveTheError_data();
    void appliedFixesRemoveTheError();
    void checkApply();
};

void TestTransform::grammar_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expression"); // canonical, or empty when it must not parse
    QTest::addColumn<QString>("error");      // a part of the message
    QTest::addRow("permute") << "logits=logits.permute(0,2,1)"
                             << "logits.permute(0, 2, 1)"
                             << "";
    QTest::addRow("tuple argument") << "x=x.permute((0, 2, 1))"
                                    << "x.permute(0, 2, 1)"
                                    << "";
    QTest::addRow("no assignment") << "labels.long()"
                                   << "labels.long()"
                                   << "";
    QTest::addRow("slice and shift") << "labels = labels[:, 1:] - 1"
                                     << "labels[:, 1:] - 1"
                                     << "";
    QTest::addRow("parenthesised") << "y=(y - 1).long()"
                                   << "(y - 1).long()"
                                   << "";
    QTest::addRow("aliases") << "x=x.swapaxes(1,2).moveaxis(0,-1)"
                             << "x.transpose(1, 2).movedim(0, -1)"
                             << "";
    QTest::addRow("dtype") << "x=x.to(torch.int64)"
                           << "x.to(torch.int64)"
                           << "";
    QTest::addRow("ellipsis and None") << "m=m[..., None]"
                                       << "m[..., None]"
                                       << "";
    QTest::addRow("a path") << "batch_0/logits=batch_0/logits.flatten(0, 1)"
                            << "batch_0/logits.flatten(0, 1)"
                            << "";
    QTest::addRow("unknown method") << "x=x.permut(0, 1)"
                                    << ""
                                    << "expected one of permute";
    QTest::addRow("another tensor") << "x=y.long()"
                                    << ""
                                    << "replaces the tensor it transforms";
    QTest::addRow("python call") << "x=__import__('os')"
                                 << ""
                                 << "expected";
    QTest::addRow("unclosed") << "x=x.permute(0, 1"
                              << ""
                              << "expected \")\"";
    QTest::addRow("trailing") << "x=x.long() ; rm"
                              << ""
                              << "the end of the statement";
    QTest::addRow("too many") << "x=x.transpose(0, 1, 2)"
                              << ""
                              << "takes 2 arguments";
}

void TestTransform::grammar()
{
    QFETCH(QString, text);
    QFETCH(QString, expression);
    QFETCH(QString, error);
    const Expected<TransformStatement> parsed = parseTransform(text);
    if (expression.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().contains(error), qPrintable(parsed.error()));
        QVERIFY2(parsed.error().contains(text), qPrintable(parsed.error()));
    } else {
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error()));
        QCOMPARE(parsed->expression(), expression);
        // What the report prints parses back to the same statement.
        QCOMPARE(parseTransform(parsed->expression())->expression(), expression);
    }
}

void TestTransform::viewsMatchTorch_data()
{
    QTest::addColumn<QJsonObject>("c");
    for (const QJsonValue& c : cases())
        QTest::addRow("%s", qPrintable(c.toObject().value(QStringLiteral("name")).toString()))
            << c.toObject();
}

void TestTransform::viewsMatchTorch()
{
    QFETCH(QJsonObject, c);
    auto inner = openDump(fixture(c.value(QStringLiteral("file")).toString()));
    QVERIFY2(inner.ok(), qPrintable(inner.ok() ? QString() : inner.error()));
    auto view = TransformedReader::create(**inner, statements(c));
    QVERIFY2(view.ok(), qPrintable(view.ok() ? QString() : view.error()));
    const QJsonObject tensors = c.value(QStringLiteral("tensors")).toObject();
    QVERIFY(!tensors.isEmpty());
    for (auto it = tensors.begin(); it != tensors.end(); ++it) {
        const QJsonObject want = it->toObject();
        const int index = (*view)->indexOf(
            (*inner)->format() == DumpFormat::Hdf5 ? QLatin1Char('/') + it.key() : it.key());
        QVERIFY2(index >= 0, qPrintable(it.key()));
        const TensorInfo& tensor = (*view)->tensors()[size_t(index)];
        Shape shape;
        for (const QJsonValue& extent : want.value(QStringLiteral("shape")).toArray())
            shape.push_back(extent.toInteger());
        QCOMPARE(tensor.shape, shape);
        QCOMPARE(dtypeName(tensor.dtype), want.value(QStringLiteral("dtype")).toString());
        const QJsonArray values = want.value(QStringLiteral("values")).toArray();

        // The whole tensor, then row by row: each row is a block of the source of its own.
        std::vector<double> whole(size_t(tensor.elementCount()));
        QVERIFY((*view)->readSlab(index, Slab::whole(shape), DType::Float64, whole.data()));
        for (qsizetype i = 0; i < values.size(); ++i)
            QCOMPARE(whole[size_t(i)], values[i].toDouble());
        if (shape.empty())
            continue;
        const qint64 row = tensor.rowElements();
        std::vector<double> one(static_cast<size_t>(row));
        for (qint64 r = 0; r < tensor.rowCount(); ++r) {
            QVERIFY((*view)->readRows(index, r, 1, DType::Float64, one.data()));
            for (qint64 i = 0; i < row; ++i)
                QCOMPARE(one[size_t(i)], values[r * row + i].toDouble());
        }
        // An inner block: every axis from 1, at most 2 long.
        Slab block{Shape(shape.size()), shape};
        for (size_t a = 0; a < shape.size(); ++a) {
            block.start[a] = std::min<qint64>(1, shape[a] - 1);
            block.count[a] = std::min<qint64>(2, shape[a] - block.start[a]);
        }
        std::vector<double> part(size_t(block.elementCount()));
        QVERIFY((*view)->readSlab(index, block, DType::Float64, part.data()));
        qint64 k = 0;
        Shape at(shape.size());
        std::function<void(size_t)> walk = [&](size_t a) {
            if (a == shape.size()) {
                qint64 flat = 0;
                for (size_t d = 0; d < shape.size(); ++d)
                    flat = flat * shape[d] + at[d];
                QCOMPARE(part[size_t(k++)], values[flat].toDouble());
                return;
            }
            for (qint64 i = 0; i < block.count[a]; ++i) {
                at[a] = block.start[a] + i;
                walk(a + 1);
            }
        };
        walk(0);
    }
}

void TestTransform::lossesMatchTorch_data()
{
    viewsMatchTorch_data();
}

void TestTransform::lossesMatchTorch()
{
    QFETCH(QJsonObject, c);
    auto reader = openDump(fixture(c.value(QStringLiteral("file")).toString()));
    QVERIFY(reader.ok());
    AnalysisOptions options;
    options.spec.kind = *lossKindFromName(c.value(QStringLiteral("loss")).toString());
    options.threads = 2;
    options.transforms = statements(c);
    options.torch = parseTorchVersion(c.value(QStringLiteral("torch")).toString());
    QVERIFY(options.torch);
    const Expected<AnalysisResult> result = analyzeDump(**reader, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));

    QCOMPARE(result->pairs.size(), size_t(1));
    const PairResult& pair = result->pairs.front();
    QVERIFY(pair.input.endsWith(c.value(QStringLiteral("input")).toString()));
    QVERIFY(pair.hasLosses);
    const QJsonArray losses = c.value(QStringLiteral("losses")).toArray();
    QCOMPARE(pair.samples.loss.size(), size_t(losses.size()));
    for (qsizetype s = 0; s < losses.size(); ++s)
        QVERIFY2(closeToTorch(pair.samples.loss[size_t(s)], losses[s].toDouble()),
                 qPrintable(QStringLiteral("sample %1: %2 vs torch %3")
                                .arg(s)
                                .arg(pair.samples.loss[size_t(s)])
                                .arg(losses[s].toDouble())));
    QVERIFY(closeToTorch(pair.summary.mean, c.value(QStringLiteral("mean")).toDouble()));

    // Before: torch's own words on the dump as saved; after: nothing raised.
    const QString before = c.value(QStringLiteral("error_before")).toString();
    if (!before.isEmpty())
        QVERIFY2(result->errorsBefore.contains(before),
                 qPrintable(result->errorsBefore.join(QLatin1Char('|')) + QStringLiteral(" vs ") +
                            before));
    QVERIFY(c.value(QStringLiteral("error_after")).isNull());
    QStringList raised;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.severity == Severity::Error)
            raised << d.message;
    }
    QVERIFY2(raised.isEmpty(), qPrintable(raised.join(QLatin1Char('|'))));
    const TransformVerdict verdict = transformVerdict(*result);
    QCOMPARE(verdict.fixed, !before.isEmpty());
    QVERIFY(verdict.now.front().startsWith(QLatin1String("accepted, mean loss")));
    QCOMPARE(result->transforms.size(), statements(c).size());
}

void TestTransform::refusedTransforms_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("statement");
    QTest::addColumn<QString>("error");
    QTest::addRow("axis out of range") << "class_last.h5"
                                       << "logits=logits.permute(0, 3, 1)"
                                       << "Dimension out of range (expected to be in range of "
                                          "[-3, 2], but got 3)";
    QTest::addRow("size that does not fit") << "split_view.npz"
                                            << "logits=logits.view(7, -1)"
                                            << "shape '[7, -1]' is invalid for input of size 60";
    QTest::addRow("index out of range") << "last_step.h5"
                                        << "logits=logits[6]"
                                        << "index 6 is out of bounds for dimension 0 with size 6";
    QTest::addRow("no such tensor") << "class_last.h5"
                                    << "probs=probs.long()"
                                    << "no tensor";
    QTest::addRow("not a view") << "split_view.npz"
                                << "logits=logits.view(5, 12)"
                                << "without a copy";
    QTest::addRow("int32 arithmetic is fine") << "class_last.h5"
                                              << "labels=labels.to(torch.int) - 1"
                                              << "";
}

void TestTransform::refusedTransforms()
{
    QFETCH(QString, file);
    QFETCH(QString, statement);
    QFETCH(QString, error);
    auto reader = openDump(fixture(file));
    QVERIFY(reader.ok());
    auto view = TransformedReader::create(**reader, {statement});
    if (error.isEmpty()) { // int32 arithmetic is fine: a control for the row above it
        QVERIFY2(view.ok(), qPrintable(view.ok() ? QString() : view.error()));
        return;
    }
    QVERIFY(!view);
    QVERIFY2(view.error().contains(error), qPrintable(view.error()));
}

void TestTransform::untouchedTensorsStillMap()
{
    auto reader = openDump(fixture(QStringLiteral("one_based.npz")));
    QVERIFY(reader.ok());
    auto view = TransformedReader::create(**reader, {QStringLiteral("labels=labels - 1")});
    QVERIFY(view.ok());
    const int logits = (*view)->indexOf(QStringLiteral("logits"));
    const int labels = (*view)->indexOf(QStringLiteral("labels"));
    QVERIFY(logits >= 0 && labels >= 0);
    const bool innerMaps = (*reader)->mapRows(logits, 0, 1, DType::Float32) != nullptr;
    QCOMPARE((*view)->mapRows(logits, 0, 1, DType::Float32) != nullptr, innerMaps);
    QVERIFY(!(*view)->mapRows(labels, 0, 1, DType::Int64)); // shifted values are not the file's
}

void TestTransform::checkApply()
{
    const QString file = fixture(QStringLiteral("class_last.h5"));
    const Run plain = runShapescope({QStringLiteral("check"), file});
    QCOMPARE(plain.exitCode, 1); // torch raises on the dump as saved
    const Run fixed = runShapescope({QStringLiteral("check"), file, QStringLiteral("--apply"),
                                     QStringLiteral("logits=logits.permute(0, 2, 1)")});
    QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.out + fixed.err));
    QVERIFY2(fixed.out.contains(QLatin1String("logits = logits.permute(0, 2, 1)")),
             qPrintable(fixed.out));
    QVERIFY2(fixed.out.contains(QLatin1String("was: Expected target size [4, 5], got [4, 6]")),
             qPrintable(fixed.out));
    QVERIFY2(fixed.out.contains(QLatin1String("now: accepted, mean loss")), qPrintable(fixed.out));
    const QJsonObject json =
        QJsonDocument::fromJson(runShapescope({QStringLiteral("check"), file,
                                               QStringLiteral("--json"), QStringLiteral("--apply"),
                                               QStringLiteral("logits=logits.permute(0,2,1)")})
                                    .out.toUtf8())
            .object();
    QCOMPARE(json.value(QStringLiteral("transforms")).toObject().value(QStringLiteral("fixed")),
             QJsonValue(true));
    // A statement that does not parse is a usage error: one line, exit 2.
    const Run bad = runShapescope({QStringLiteral("check"), file, QStringLiteral("--apply"),
                                   QStringLiteral("logits=os.system('x')")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QLatin1String("--apply")), qPrintable(bad.err));
    QCOMPARE(bad.err.trimmed().count(QLatin1Char('\n')), 0);
}

// Every analysis fixture (dumps/, sequence/): a diagnostic whose fix is a transform
// (Diagnostic::apply) no longer raises once it is applied. The fixes' own torch run is
// tests/fixrunner.py's.
void TestTransform::appliedFixesRemoveTheError_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonObject>("options");
    QTest::addColumn<bool>("applicable"); // a fix of this case must be one
    const QStringList applicable{QStringLiteral("class_dim_last"),
                                 QStringLiteral("labels_one_based"),
                                 QStringLiteral("target_column"),
                                 QStringLiteral("target_uint8_segmentation"),
                                 QStringLiteral("lm_class_last_padded"),
                                 QStringLiteral("lm_label_shift"),
                                 QStringLiteral("lm_label_shift_flat"),
                                 QStringLiteral("tagger_time_major"),
                                 QStringLiteral("labels_minus_one"),
                                 QStringLiteral("seg_sentinel_255"),
                                 QStringLiteral("target_sentinel_minus_one")};
    const QJsonArray sequence =
        test::readJson(QStringLiteral(SHAPESCOPE_TEST_DATA "/sequence/expected.json")).array();
    for (const auto& [folder, list] : {std::pair{QStringLiteral("dumps"), test::dumpCases()},
                                       std::pair{QStringLiteral("sequence"), sequence}}) {
        for (const QJsonValue& value : list) {
            const QJsonObject c = value.toObject();
            const QString name = c.value(QStringLiteral("name")).toString();
            QTest::addRow("%s/%s", qPrintable(folder), qPrintable(name))
                << QStringLiteral(SHAPESCOPE_TEST_DATA "/%1/%2")
                       .arg(folder, c.value(QStringLiteral("file")).toString())
                << c.value(QStringLiteral("options")).toObject() << applicable.contains(name);
        }
    }
}

void TestTransform::appliedFixesRemoveTheError()
{
    QFETCH(QString, path);
    QFETCH(QJsonObject, options);
    QFETCH(bool, applicable);
    auto reader = openDump(path);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
    AnalysisOptions chosen;
    chosen.spec = test::specForCase(options);
    chosen.threads = 2;
    const Expected<AnalysisResult> result = analyzeDump(**reader, chosen);
    QVERIFY(result.ok());
    int applied = 0;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.severity != Severity::Error || d.apply.isEmpty())
            continue;
        ++applied;
        AnalysisOptions fixed = chosen;
        fixed.transforms = d.apply;
        const Expected<AnalysisResult> after = analyzeDump(**reader, fixed);
        QVERIFY2(after.ok(), qPrintable(after.ok() ? QString() : after.error()));
        for (const Diagnostic& left : after->diagnostics)
            QVERIFY2(
                left.severity != Severity::Error || left.code != d.code,
                qPrintable(d.apply.join(QLatin1Char(';')) + QStringLiteral(": ") + left.message));
        QVERIFY(transformVerdict(*after).was.contains(d.hasPytorchError() ? d.pytorchError
                                                                          : d.message));
    }
    if (applicable)
        QVERIFY(applied > 0);
}

QTEST_GUILESS_MAIN(TestTransform)
#include "tst_transform.moc"
