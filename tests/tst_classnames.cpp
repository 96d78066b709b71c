// SPDX-License-Identifier: GPL-3.0-or-later
// Class names (core/analysis/classnames): each source, which wins, wrong counts as notes, and
// the names in the text, JSON and Markdown reports. Fixtures: tests/data/gen_classnames.py.
#include "analysis/analyzer.h"
#include "analysis/classnames.h"
#include "formats/dumpreader.h"
#include "report/jsonreport.h"
#include "report/markdownreport.h"
#include "report/textreport.h"
#include "testutils.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace shapescope;

namespace {

QString dataPath(const QString& relative)
{
    return QFINDTESTDATA(QStringLiteral("data/classnames/") + relative);
}

QJsonObject expected()
{
    return test::readJson(dataPath(QStringLiteral("expected.json"))).object();
}

QStringList strings(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& v : value.toArray())
        list << v.toString();
    return list;
}

Expected<AnalysisResult> analyze(const QString& dump, const QString& userFile = {})
{
    Expected<std::unique_ptr<DumpReader>> reader = openDump(dataPath(dump));
    if (!reader)
        return Error{reader.error()};
    AnalysisOptions options;
    options.spec.kind = LossKind::CrossEntropy;
    options.threads = 1;
    options.classNamesFile = userFile;
    return analyzeDump(**reader, options);
}

} // namespace

class TestClassNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachSource_data()
    {
        QTest::addColumn<QString>("kase");
        QTest::addColumn<QString>("source");
        QTest::addRow("attribute on the group") << "attr_group"
                                                << "attribute class_names of /batch_0";
        QTest::addRow("attribute on the target, JSON string")
            << "attr_target"
            << "attribute class_names of /batch_0/labels";
        QTest::addRow("attribute on the root, newline string") << "attr_root"
                                                               << "attribute class_names of /";
        QTest::addRow("classes.txt") << "txt"
                                     << "classes.txt beside the dump";
        QTest::addRow("labels.json list, npz") << "json_list"
                                               << "labels.json beside the dump";
        QTest::addRow("labels.json object") << "json_object"
                                            << "labels.json beside the dump";
    }
    // Also the precedence: attr_group has a classes.txt beside it, attr_target a group
    // attribute, txt a labels.json; the fixture's names are those of the source that must win.
    void eachSource()
    {
        QFETCH(QString, kase);
        QFETCH(QString, source);
        const QJsonObject want = expected()[QStringLiteral("cases")][kase].toObject();
        const Expected<AnalysisResult> result = analyze(want[QStringLiteral("dump")].toString());
        QVERIFY2(result, qPrintable(result ? QString() : result.error()));
        QCOMPARE(result->pairs.size(), size_t(1));
        const PairResult& pair = result->pairs.front();
        QCOMPARE(pair.classNames, strings(want[QStringLiteral("names")]));
        QCOMPARE(pair.classNamesSource, source);
        QVERIFY2(pair.classNamesNote.isEmpty(), qPrintable(pair.classNamesNote));
    }

    void userFileWins()
    {
        const QJsonObject want = expected();
        const QString user =
            dataPath(want[QStringLiteral("user")][QStringLiteral("file")].toString());
        for (const QString& kase : {QStringLiteral("attr_target"), QStringLiteral("txt")}) {
            const Expected<AnalysisResult> result =
                analyze(QStringLiteral("%1/dump.h5").arg(kase), user);
            QVERIFY(result);
            QCOMPARE(result->pairs.front().classNames,
                     strings(want[QStringLiteral("user")][QStringLiteral("names")]));
            QCOMPARE(result->pairs.front().classNamesSource, QStringLiteral("user.txt"));
        }
    }

    void unreadableUserFileFails()
    {
        const Expected<AnalysisResult> result =
            analyze(QStringLiteral("txt/dump.h5"), dataPath(QStringLiteral("bad/labels.json")));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QStringLiteral("not valid JSON")),
                 qPrintable(result.error()));
        const Expected<AnalysisResult> missing =
            analyze(QStringLiteral("txt/dump.h5"), QStringLiteral("/nonexistent/classes.txt"));
        QVERIFY(!missing);
        QVERIFY(missing.error().contains(QStringLiteral("/nonexistent/classes.txt")));
    }

    void badCounts_data()
    {
        QTest::addColumn<QString>("kase");
        QTest::addColumn<QString>("note");
        QTest::addRow("fewer") << "fewer"
                               << "classes.txt beside the dump has 9 names for 12 classes: "
                                  "classes 9 to 11 are shown by number";
        QTest::addRow("more") << "more"
                              << "classes.txt beside the dump has 14 names for 12 classes: the "
                                 "last 2 are not used";
    }
    void badCounts()
    {
        QFETCH(QString, kase);
        QFETCH(QString, note);
        const QJsonObject want = expected()[QStringLiteral("cases")][kase].toObject();
        const Expected<AnalysisResult> result = analyze(want[QStringLiteral("dump")].toString());
        QVERIFY(result);
        const PairResult& pair = result->pairs.front();
        QCOMPARE(pair.classNames, strings(want[QStringLiteral("names")]));
        QCOMPARE(pair.classNamesNote, note);
        QCOMPARE(classLabel(pair.classNames, 3), QStringLiteral("3 (cat)"));
        QCOMPARE(classLabel(pair.classNames, 11), kase == QLatin1String("fewer")
                                                      ? QStringLiteral("11")
                                                      : QStringLiteral("11 (tree)"));
    }

    void badFileIsANote()
    {
        const Expected<AnalysisResult> result = analyze(QStringLiteral("bad/dump.h5"));
        QVERIFY(result);
        const PairResult& pair = result->pairs.front();
        QVERIFY(pair.classNames.isEmpty());
        QVERIFY2(pair.classNamesNote.contains(QStringLiteral("labels.json: not valid JSON")),
                 qPrintable(pair.classNamesNote));
    }

    void parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<bool>("ok");
        QTest::addRow("lines, CRLF")
            << QByteArray("cat\r\ndog\r\n\r\n")
            << QStringList{QStringLiteral("cat"), QStringLiteral("dog")} << true;
        QTest::addRow("JSON list")
            << QByteArray(R"(["a b", "c"])")
            << QStringList{QStringLiteral("a b"), QStringLiteral("c")} << true;
        QTest::addRow("JSON object with a gap")
            << QByteArray(R"({"2": "c", "0": "a"})")
            << QStringList{QStringLiteral("a"), QString(), QStringLiteral("c")} << true;
        QTest::addRow("JSON object, bad key")
            << QByteArray(R"({"x": "a"})") << QStringList{} << false;
        QTest::addRow("JSON list of numbers") << QByteArray("[1, 2]") << QStringList{} << false;
        QTest::addRow("not UTF-8") << QByteArray("caf\xe9\n") << QStringList{} << false;
    }
    void parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, names);
        QFETCH(bool, ok);
        const Expected<QStringList> parsed = parseClassNames(text, QStringLiteral("t"));
        QCOMPARE(bool(parsed), ok);
        if (ok)
            QCOMPARE(*parsed, names);
    }

    void reports()
    {
        const Expected<AnalysisResult> result = analyze(QStringLiteral("txt/dump.h5"));
        QVERIFY(result);
        const PairResult& pair = result->pairs.front();
        QVERIFY(!pair.summary.highestLoss.empty());
        const RankedSample& top = pair.summary.highestLoss.front();

        const QString text = analysisToText(*result);
        QVERIFY2(text.contains(QStringLiteral("class names: 12 from classes.txt beside the dump")),
                 qPrintable(text));

        const QJsonObject json = analysisToJson(*result);
        const QJsonObject jsonPair = json[QStringLiteral("pairs")].toArray().first().toObject();
        QCOMPARE(strings(jsonPair[QStringLiteral("class_names")]), pair.classNames);
        const QJsonObject highest = jsonPair[QStringLiteral("loss")][QStringLiteral("highest_loss")]
                                        .toArray()
                                        .first()
                                        .toObject();
        QCOMPARE(highest[QStringLiteral("target_name")].toString(), pair.classNames[top.target]);
        QCOMPARE(highest[QStringLiteral("predicted_name")].toString(),
                 pair.classNames[top.predicted]);
        const QJsonArray perClass =
            jsonPair[QStringLiteral("loss")][QStringLiteral("per_class")].toArray();
        QVERIFY(!perClass.isEmpty());
        for (const QJsonValue& c : perClass)
            QCOMPARE(c[QStringLiteral("name")].toString(),
                     pair.classNames[c[QStringLiteral("class")].toInt()]);

        const QString markdown = analysisToMarkdown(*result);
        const QString cell =
            QStringLiteral("%1 (%2)").arg(top.target).arg(pair.classNames[top.target]);
        QVERIFY2(markdown.contains(cell), qPrintable(markdown));
        QVERIFY(markdown.contains(QStringLiteral("class names from classes.txt beside the dump")));
    }

    // `--class-names FILE` in the CLI: the names reach the JSON report; an unreadable file is a
    // usage error (exit 2).
    void commandLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("name");
        QTest::addRow("user file") << QStringLiteral("user.txt") << 0 << QStringLiteral("user 3");
        QTest::addRow("beside the dump") << QString() << 0 << QStringLiteral("cat");
        QTest::addRow("bad file") << QStringLiteral("bad/labels.json") << 2 << QString();
    }
    void commandLine()
    {
        QFETCH(QString, file);
        QFETCH(int, exitCode);
        QFETCH(QString, name);
        QStringList arguments{QStringLiteral("check"), dataPath(QStringLiteral("txt/dump.h5")),
                              QStringLiteral("--json"), QStringLiteral("--loss"),
                              QStringLiteral("cross_entropy")};
        if (!file.isEmpty())
            arguments << QStringLiteral("--class-names") << dataPath(file);
        QProcess process;
        process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), exitCode);
        if (exitCode != 0)
            return;
        const QJsonObject json = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        const QJsonObject pair = json[QStringLiteral("pairs")].toArray().first().toObject();
        QCOMPARE(pair[QStringLiteral("class_names")].toArray().at(3).toString(), name);
    }

    void noNamesNoKeys()
    {
        // Without a source the reports say nothing of names (null in JSON).
        const Expected<AnalysisResult> result = analyze(QStringLiteral("bad/dump.h5"));
        QVERIFY(result);
        const QJsonObject jsonPair =
            analysisToJson(*result)[QStringLiteral("pairs")].toArray().first().toObject();
        QVERIFY(jsonPair[QStringLiteral("class_names")].isNull());
        QVERIFY(!analysisToText(*result).contains(QStringLiteral("class names: ")));
    }
};

QTEST_GUILESS_MAIN(TestClassNames)
#include "tst_classnames.moc"
