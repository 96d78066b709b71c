// SPDX-License-Identifier: GPL-3.0-or-later
// `shapescope losses FILE --per-element -o OUT` against torch's own reduction='none' output
// (tests/data/perelement, made by gen_perelement.py), as CSV and as .npy.
#include "formats/dumpreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace shapescope;

namespace {

QString dataDir()
{
    return QFINDTESTDATA("data/perelement/expected.json").section(QLatin1Char('/'), 0, -2);
}

struct Array
{
    Shape shape;
    std::vector<double> values;
};

Array readNpy(const QString& path)
{
    Array array;
    Expected<std::unique_ptr<DumpReader>> reader = openDump(path);
    if (!reader || (*reader)->tensors().size() != 1)
        return array;
    array.shape = (*reader)->tensors()[0].shape;
    array.values.resize(size_t(checkedElementCount(array.shape)));
    if (!(*reader)->readRows(0, 0, array.shape.empty() ? 1 : array.shape[0], DType::Float64,
                             array.values.data()))
        array.values.clear();
    return array;
}

int runLosses(const QStringList& arguments, QByteArray* errors)
{
    QProcess process;
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE),
                  QStringList{QStringLiteral("losses")} + arguments);
    if (!process.waitForFinished(60000))
        return -1;
    *errors = process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

bool close(double ours, double torch)
{
    return std::abs(ours - torch) <= 1e-5 * std::abs(torch) + 1e-7;
}

} // namespace

class TestPerElement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void broadcastPairIsRefused();
};

void TestPerElement::matchesTorch_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("extension");
    QFile file(dataDir() + QStringLiteral("/expected.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject cases =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("cases")).toObject();
    QVERIFY(cases.size() >= 9);
    for (auto it = cases.begin(); it != cases.end(); ++it) {
        const QJsonObject c = it.value().toObject();
        QStringList arguments{QStringLiteral("--loss"), c.value(QStringLiteral("loss")).toString()};
        for (const QJsonValue& a : c.value(QStringLiteral("args")).toArray())
            arguments << a.toString();
        for (const char* extension : {"csv", "npy"})
            QTest::addRow("%s.%s", qPrintable(it.key()), extension)
                << it.key() << arguments << QString::fromLatin1(extension);
    }
}

void TestPerElement::matchesTorch()
{
    QFETCH(QString, name);
    QFETCH(QStringList, arguments);
    QFETCH(QString, extension);
    const Array expected = readNpy(dataDir() + QLatin1Char('/') + name + "_expected.npy");
    QVERIFY(!expected.values.empty());
    QTemporaryDir dir;
    const QString out = dir.filePath("losses." + extension);
    QByteArray errors;
    const int code = runLosses(QStringList{dataDir() + QLatin1Char('/') + name + ".npz",
                                           QStringLiteral("--per-element"), QStringLiteral("-o"),
                                           out, QStringLiteral("--threads"), QStringLiteral("2")} +
                                   arguments,
                               &errors);
    // 1 where torch itself would raise for the raw pair ((B, T, V) logits), as `check` says.
    QVERIFY2(code == 0 || code == 1, errors.constData());

    std::vector<double> ours(expected.values.size(), std::nan(""));
    if (extension == QLatin1String("npy")) {
        const Array written = readNpy(out);
        QCOMPARE(written.shape, expected.shape);
        ours = written.values;
    } else {
        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QByteArray header = "sample,";
        for (size_t d = 1; d < expected.shape.size(); ++d)
            header += "i" + QByteArray::number(qint64(d)) + ',';
        QCOMPARE(csv.readLine().trimmed(), header + "loss");
        size_t rows = 0;
        while (!csv.atEnd()) {
            const QList<QByteArray> fields = csv.readLine().trimmed().split(',');
            QCOMPARE(size_t(fields.size()), expected.shape.size() + 1);
            qint64 flat = 0;
            for (size_t d = 0; d < expected.shape.size(); ++d)
                flat = flat * expected.shape[d] + fields[qsizetype(d)].toLongLong();
            QVERIFY(flat >= 0 && size_t(flat) < ours.size());
            ours[size_t(flat)] = fields.back().toDouble();
            ++rows;
        }
        QCOMPARE(rows, expected.values.size());
    }
    qint64 zeros = 0;
    for (size_t e = 0; e < ours.size(); ++e) {
        QVERIFY2(close(ours[e], expected.values[e]),
                 qPrintable(QStringLiteral("element %1: %2, torch %3")
                                .arg(e)
                                .arg(ours[e], 0, 'g', 9)
                                .arg(expected.values[e], 0, 'g', 9)));
        zeros += expected.values[e] == 0.0 && ours[e] == 0.0;
    }
    // The class-index cases ignore about a fifth of their positions: torch's 0 there.
    if (name.startsWith(QLatin1String("ce_")) || name.startsWith(QLatin1String("nll")))
        QVERIFY(zeros > 0);
}

void TestPerElement::broadcastPairIsRefused()
{
    const QString dump = QFINDTESTDATA("data/regression/mse_broadcast.npz");
    QVERIFY(!dump.isEmpty());
    QTemporaryDir dir;
    QByteArray errors;
    const int code = runLosses({dump, QStringLiteral("--loss"), QStringLiteral("mse"),
                                QStringLiteral("--per-element"), QStringLiteral("-o"),
                                dir.filePath(QStringLiteral("x.csv"))},
                               &errors);
    QCOMPARE(code, 2);
    QVERIFY2(errors.contains("broadcasts"), errors.constData());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.csv"))));
}

QTEST_GUILESS_MAIN(TestPerElement)
#include "tst_perelement.moc"
