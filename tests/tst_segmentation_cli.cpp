// SPDX-License-Identifier: GPL-3.0-or-later
// `shapescope losses --confusion` and `shapescope plot --kind confusion|*-map` on the
// segmentation fixtures (tests/data/segmentation, counted by numpy in gen_segmentation.py).
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString dataDir()
{
    return QFINDTESTDATA("data/segmentation/expected.json").section(QLatin1Char('/'), 0, -2);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    Run result;
    if (!process.waitForFinished(120000))
        return result;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

QString S(const char* text)
{
    return QString::fromLatin1(text);
}

QStringList L(std::initializer_list<const char*> texts)
{
    QStringList list;
    for (const char* t : texts)
        list << QString::fromLatin1(t);
    return list;
}

} // namespace

class TestSegmentationCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void confusionCsv_data();
    void confusionCsv();
    void plots_data();
    void plots();
    void mapsDifferPerSample();
    void usageErrors_data();
    void usageErrors();
};

void TestSegmentationCli::confusionCsv_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("toFile");
    QTest::addRow("2-D to stdout") << QStringLiteral("seg2d") << false;
    QTest::addRow("3-D to a file") << QStringLiteral("seg3d") << true;
}

void TestSegmentationCli::confusionCsv()
{
    QFETCH(QString, name);
    QFETCH(bool, toFile);
    QFile file(dataDir() + QStringLiteral("/expected.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject expected = QJsonDocument::fromJson(file.readAll())
                                     .object()[QStringLiteral("cases")]
                                     .toObject()[name]
                                     .toObject();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("confusion.csv"));
    QStringList arguments{QStringLiteral("losses"),
                          dataDir() + QLatin1Char('/') + name + QStringLiteral(".h5"),
                          QStringLiteral("--confusion"), QStringLiteral("--no-isolation")};
    if (toFile)
        arguments << QStringLiteral("-o") << out;
    const Run r = run(arguments);
    QCOMPARE(r.exitCode, 0);
    QByteArray csv = r.out;
    if (toFile) {
        QFile written(out);
        QVERIFY(written.open(QIODevice::ReadOnly));
        csv = written.readAll();
    }
    const QList<QByteArray> lines = csv.trimmed().split('\n');
    const QJsonArray matrix = expected[QStringLiteral("matrix")].toArray();
    const QJsonArray iou = expected[QStringLiteral("iou")].toArray();
    QCOMPARE(lines.size(), matrix.size() + 5);
    QVERIFY(lines.front().startsWith("target,0,1,"));
    QVERIFY(lines.front().endsWith(",targets,iou,accuracy"));
    for (qsizetype t = 0; t < matrix.size(); ++t) {
        const QList<QByteArray> cells = lines[t + 1].split(',');
        QCOMPARE(cells[0].toLongLong(), t);
        for (qsizetype p = 0; p < matrix.size(); ++p)
            QCOMPARE(cells[p + 1].toLongLong(), matrix[t].toArray()[p].toInteger());
        QCOMPARE(cells[matrix.size() + 2].toDouble(), iou[t].toDouble());
    }
    QCOMPARE(lines[matrix.size() + 2],
             "ignored," + QByteArray::number(expected[QStringLiteral("ignored")].toInteger()) +
                 QByteArray(int(matrix.size()) + 2, ','));
}

void TestSegmentationCli::plots_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("suffix");
    const QStringList none;
    QTest::addRow("confusion png") << S("seg2d") << S("confusion") << none << S("png");
    QTest::addRow("confusion svg") << S("seg3d") << S("confusion") << none << S("svg");
    QTest::addRow("loss-map png") << S("seg2d") << S("loss-map") << L({"--sample", "3"})
                                  << S("png");
    QTest::addRow("target-map pdf") << S("seg2d") << S("target-map") << none << S("pdf");
    QTest::addRow("predicted-map png") << S("seg2d") << S("predicted-map") << none << S("png");
    QTest::addRow("error-map 3-D slice")
        << S("seg3d") << S("error-map") << L({"--sample", "1", "--slice", "2"}) << S("png");
}

void TestSegmentationCli::plots()
{
    QFETCH(QString, name);
    QFETCH(QString, kind);
    QFETCH(QStringList, extra);
    QFETCH(QString, suffix);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("plot.") + suffix);
    const Run r = run(QStringList{QStringLiteral("plot"),
                                  dataDir() + QLatin1Char('/') + name + QStringLiteral(".h5"),
                                  QStringLiteral("--kind"), kind, QStringLiteral("-o"), out,
                                  QStringLiteral("--width"), QStringLiteral("640"),
                                  QStringLiteral("--height"), QStringLiteral("480")} +
                      extra);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile written(out);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray bytes = written.readAll();
    QVERIFY(bytes.size() > 1000);
    if (suffix == QLatin1String("png")) {
        const QImage image = QImage::fromData(bytes);
        QCOMPARE(image.size(), QSize(640, 480));
    }
}

void TestSegmentationCli::mapsDifferPerSample()
{
    // Two samples' target maps are two different images; the same sample twice is the same.
    QTemporaryDir dir;
    auto render = [&](const QString& sample, const QString& fileName) {
        const QString out = dir.filePath(fileName);
        const Run r = run({QStringLiteral("plot"), dataDir() + QStringLiteral("/seg2d.h5"),
                           QStringLiteral("--kind"), QStringLiteral("target-map"),
                           QStringLiteral("--sample"), sample, QStringLiteral("-o"), out});
        return r.exitCode == 0 ? QImage(out) : QImage();
    };
    const QImage a = render(QStringLiteral("0"), QStringLiteral("a.png"));
    const QImage b = render(QStringLiteral("1"), QStringLiteral("b.png"));
    const QImage again = render(QStringLiteral("0"), QStringLiteral("c.png"));
    QVERIFY(!a.isNull() && !b.isNull());
    QVERIFY(a != b);
    QCOMPARE(a, again);
}

void TestSegmentationCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("sample out of range")
        << L({"plot", "seg2d.h5", "--kind", "loss-map", "--sample", "99", "-o", "x.png"})
        << S("sample 99");
    QTest::addRow("unknown kind") << L({"plot", "seg2d.h5", "--kind", "mask", "-o", "x.png"})
                                  << S("--kind");
    QTest::addRow("not class indices")
        << L({"losses", "../perelement/mse_2d.npz", "--loss", "mse", "--confusion"})
        << S("class indices");
}

void TestSegmentationCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments[1] = dataDir() + QLatin1Char('/') + arguments[1];
    QTemporaryDir dir;
    for (QString& a : arguments) {
        if (a == QLatin1String("x.png"))
            a = dir.filePath(a);
    }
    const Run r = run(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(TestSegmentationCli)
#include "tst_segmentation_cli.moc"
