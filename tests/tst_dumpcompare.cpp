// SPDX-License-Identifier: GPL-3.0-or-later
// Two dumps side by side (session/dumpcompare.h, `shapescope diff`): every tensor's summary and
// differences against numpy's, the pair's loss and error against torch's (data/compare,
// gen_compare.py), and the command's exit status and JSON.
#include "report/comparereport.h"
#include "session/dumpcompare.h"
#include "session/inprocesssession.h"
#include "testutils.h"

#include <QProcess>
#include <QTest>

using namespace shapescope;
using shapescope::test::closeToTorch;

namespace {

QString fixture(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/compare/") + file;
}

QJsonObject expected()
{
    return test::readJson(fixture(QStringLiteral("expected.json"))).object();
}

// A side as numpy summarised it, or null when the tensor is absent there.
void compareSide(const std::optional<TensorInfo>& tensor, const ValueSummary& values,
                 const QJsonValue& want)
{
    QCOMPARE(tensor.has_value(), !want.isNull());
    if (!tensor)
        return;
    const QJsonObject side = want.toObject();
    Shape shape;
    for (const QJsonValue& extent : side.value(QStringLiteral("shape")).toArray())
        shape.push_back(extent.toInteger());
    QCOMPARE(tensor->shape, shape);
    QCOMPARE(dtypeName(tensor->dtype), side.value(QStringLiteral("dtype")).toString());
    QVERIFY2(values.unreadable.isEmpty(), qPrintable(values.unreadable));
    QCOMPARE(values.count, side.value(QStringLiteral("count")).toInteger());
    QCOMPARE(values.nan, side.value(QStringLiteral("nan")).toInteger());
    QCOMPARE(values.inf, side.value(QStringLiteral("inf")).toInteger());
    QCOMPARE(values.min, side.value(QStringLiteral("min")).toDouble());
    QCOMPARE(values.max, side.value(QStringLiteral("max")).toDouble());
    QVERIFY(std::abs(values.mean - side.value(QStringLiteral("mean")).toDouble()) <=
            1e-12 * (1 + std::abs(values.mean)));
}

int exitCodeOf(const QStringList& arguments, QByteArray* out = nullptr)
{
    QProcess process;
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    process.waitForFinished(60000);
    if (out)
        *out = process.readAllStandardOutput();
    return process.exitCode();
}

} // namespace

class TestDumpCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tensorsMatchNumpy();
    void pairMatchesTorch();
    void sameDumpDiffersNowhere();
    void command();
};

void TestDumpCompare::tensorsMatchNumpy()
{
    InProcessSession session;
    const Expected<DumpComparison> comparison =
        compareDumps(session, fixture(QStringLiteral("before.h5")),
                     fixture(QStringLiteral("after.h5")), AnalysisOptions{});
    QVERIFY2(comparison.ok(), qPrintable(comparison.ok() ? QString() : comparison.error()));
    const QJsonObject tensors = expected().value(QStringLiteral("tensors")).toObject();
    QCOMPARE(comparison->tensors.size(), size_t(tensors.size()));
    for (const TensorComparison& row : comparison->tensors) {
        const QString path =
            row.path.startsWith(QLatin1Char('/')) ? row.path : QLatin1Char('/') + row.path;
        QVERIFY2(tensors.contains(path), qPrintable(path));
        const QJsonObject want = tensors.value(path).toObject();
        compareSide(row.a, row.valuesA, want.value(QStringLiteral("a")));
        compareSide(row.b, row.valuesB, want.value(QStringLiteral("b")));
        if (want.contains(QStringLiteral("differing"))) {
            QCOMPARE(row.differing, want.value(QStringLiteral("differing")).toInteger());
            QCOMPARE(row.maxAbsDifference,
                     want.value(QStringLiteral("max_abs_difference")).toDouble());
            QCOMPARE(row.differs(), row.differing > 0);
        } else {
            QCOMPARE(row.differing, qint64(-1));
            QVERIFY(row.differs()); // absent on a side, or reshaped
        }
    }
    QVERIFY(comparison->differs());
}

void TestDumpCompare::pairMatchesTorch()
{
    InProcessSession session;
    AnalysisOptions options;
    options.torch = parseTorchVersion(expected().value(QStringLiteral("torch")).toString());
    const Expected<DumpComparison> comparison =
        compareDumps(session, fixture(QStringLiteral("before.h5")),
                     fixture(QStringLiteral("after.h5")), options);
    QVERIFY(comparison.ok());
    QCOMPARE(comparison->pairs.size(), size_t(1));
    const PairComparison& pair = comparison->pairs.front();
    const QJsonObject want = expected().value(QStringLiteral("pair")).toObject();
    QCOMPARE(pair.input, want.value(QStringLiteral("input")).toString());
    const QJsonObject a = want.value(QStringLiteral("a")).toObject();
    const QJsonObject b = want.value(QStringLiteral("b")).toObject();
    QVERIFY2(pair.errorsA.contains(a.value(QStringLiteral("error")).toString()),
             qPrintable(pair.errorsA.join(QLatin1Char('|'))));
    QVERIFY(pair.errorsB.isEmpty());
    QVERIFY(pair.meanB);
    QVERIFY(closeToTorch(*pair.meanB, b.value(QStringLiteral("mean")).toDouble()));
    QVERIFY(pair.differs());
}

void TestDumpCompare::sameDumpDiffersNowhere()
{
    InProcessSession session;
    const QString file = fixture(QStringLiteral("after.h5"));
    const Expected<DumpComparison> comparison =
        compareDumps(session, file, file, AnalysisOptions{});
    QVERIFY(comparison.ok());
    for (const TensorComparison& row : comparison->tensors) {
        QCOMPARE(row.differing, qint64(0)); // NaN equals NaN, inf equals inf
        QVERIFY(!row.differs());
    }
    QVERIFY(!comparison->differs());
    const QJsonObject json = comparisonToJson(*comparison);
    QCOMPARE(json.value(QStringLiteral("differs")), QJsonValue(false));
}

void TestDumpCompare::command()
{
    const QString before = fixture(QStringLiteral("before.h5"));
    const QString after = fixture(QStringLiteral("after.h5"));
    QByteArray out;
    QCOMPARE(exitCodeOf({QStringLiteral("diff"), before, after, QStringLiteral("--json")}, &out),
             1);
    const QJsonObject json = QJsonDocument::fromJson(out).object();
    QCOMPARE(json.value(QStringLiteral("differs")), QJsonValue(true));
    QCOMPARE(json.value(QStringLiteral("tensors")).toArray().size(),
             expected().value(QStringLiteral("tensors")).toObject().size());
    QCOMPARE(exitCodeOf({QStringLiteral("diff"), after, after}), 0);
    QCOMPARE(exitCodeOf({QStringLiteral("diff"), after, fixture(QStringLiteral("missing.h5"))}), 2);
    QCOMPARE(exitCodeOf({QStringLiteral("diff"), after}), 2);
}

QTEST_GUILESS_MAIN(TestDumpCompare)
#include "tst_dumpcompare.moc"
