// SPDX-License-Identifier: GPL-3.0-or-later
// The command line: exit codes, JSON report fields, CSV losses against torch's values.
#include "testutils.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using namespace shapescope;

namespace {

struct Run
{
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
};

// `torchVariable`: SHAPESCOPE_TORCH_VERSION for the run, unset when null.
Run runShapescope(const QStringList& arguments, const QString& torchVariable = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("SHAPESCOPE_TORCH_VERSION"));
    if (!torchVariable.isNull())
        environment.insert(QStringLiteral("SHAPESCOPE_TORCH_VERSION"), torchVariable);
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitCode();
    run.status = process.exitStatus();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QString dump(const QString& file)
{
    return QFINDTESTDATA(QStringLiteral("data/dumps/") + file);
}

QStringList optionArguments(const QJsonObject& options)
{
    QStringList args;
    if (options.contains(QStringLiteral("loss")))
        args << QStringLiteral("--loss") << options.value(QStringLiteral("loss")).toString();
    if (options.contains(QStringLiteral("ignore_index")))
        args << QStringLiteral("--ignore-index")
             << QString::number(options.value(QStringLiteral("ignore_index")).toInteger());
    if (options.contains(QStringLiteral("label_smoothing")))
        args << QStringLiteral("--label-smoothing")
             << QString::number(options.value(QStringLiteral("label_smoothing")).toDouble(), 'g',
                                17);
    auto list = [](const QJsonArray& values) {
        QStringList parts;
        for (const QJsonValue& v : values)
            parts << QString::number(v.toDouble(), 'g', 17);
        return parts.join(QLatin1Char(','));
    };
    if (options.contains(QStringLiteral("weight_tensor")))
        args << QStringLiteral("--weight")
             << options.value(QStringLiteral("weight_tensor")).toString();
    else if (options.contains(QStringLiteral("weight")))
        args << QStringLiteral("--weight")
             << list(options.value(QStringLiteral("weight")).toArray());
    if (options.contains(QStringLiteral("pos_weight")))
        args << QStringLiteral("--pos-weight")
             << list(options.value(QStringLiteral("pos_weight")).toArray());
    if (options.contains(QStringLiteral("class_dim")))
        args << QStringLiteral("--class-dim")
             << QString::number(options.value(QStringLiteral("class_dim")).toInt());
    if (options.contains(QStringLiteral("input")))
        args << QStringLiteral("--input") << options.value(QStringLiteral("input")).toString()
             << QStringLiteral("--target") << options.value(QStringLiteral("target")).toString();
    return args;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checkJson_data();
    void checkJson();
    void lossesCsv_data();
    void lossesCsv();
    void textReportExplains();
    void unreadable_data();
    void unreadable();
    void badOptions_data();
    void badOptions();
    void guessedLossIsShown_data();
    void guessedLossIsShown();
    void metadataOnly();
    void torchSave();
    void torchVersionChoosesTheQuote_data();
    void torchVersionChoosesTheQuote();
    void badTorchVersion_data();
    void badTorchVersion();
    void csvToFileIsAtomicAndNeverOverTheDump();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();
    void strict_data();
    void strict();
    void pathsWithOrWithoutSlash_data();
    void pathsWithOrWithoutSlash();
    void stepText_data();
    void stepText();
};

void TestCli::checkJson_data()
{
    QTest::addColumn<QJsonObject>("expected");
    for (const QJsonValue& c : test::readJson(QFINDTESTDATA("data/dumps/expected.json")).array())
        QTest::addRow("%s", qPrintable(c.toObject().value(QStringLiteral("name")).toString()))
            << c.toObject();
}

void TestCli::checkJson()
{
    QFETCH(QJsonObject, expected);
    const QString file = dump(expected.value(QStringLiteral("file")).toString());
    const Run run =
        runShapescope(QStringList{QStringLiteral("check"), file, QStringLiteral("--json")} +
                      optionArguments(expected.value(QStringLiteral("options")).toObject()));
    QCOMPARE(run.status, QProcess::NormalExit);
    bool anyError = false;
    for (const QJsonValue& d : expected.value(QStringLiteral("diagnostics")).toArray())
        anyError = anyError || d.toObject().value(QStringLiteral("severity")).toString() ==
                                   QLatin1String("error");
    QCOMPARE(run.exitCode, anyError ? 1 : 0);

    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(run.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(report.value(QStringLiteral("file")).toString(), file);
    QVERIFY(!report.value(QStringLiteral("format")).toString().isEmpty());
    for (const QJsonValue& t : report.value(QStringLiteral("tensors")).toArray()) {
        const QJsonObject tensor = t.toObject();
        QVERIFY(tensor.value(QStringLiteral("path")).isString());
        QVERIFY(tensor.value(QStringLiteral("shape")).isArray());
        QVERIFY(tensor.value(QStringLiteral("dtype")).isString());
    }
    const QJsonArray pairs = report.value(QStringLiteral("pairs")).toArray();
    const QJsonArray wantPairs = expected.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(pairs.size(), wantPairs.size());
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QJsonObject pair = pairs[p].toObject();
        QCOMPARE(pair.value(QStringLiteral("input")).toString(),
                 wantPairs[p].toObject().value(QStringLiteral("input")).toString());
        QCOMPARE(pair.value(QStringLiteral("target")).toString(),
                 wantPairs[p].toObject().value(QStringLiteral("target")).toString());
        for (const char* key : {"batch_size", "num_classes", "class_dim", "target_kind", "loss"})
            QVERIFY2(pair.contains(QLatin1String(key)), key);
    }
    QStringList codes, wanted;
    for (const QJsonValue& d : report.value(QStringLiteral("diagnostics")).toArray()) {
        const QJsonObject o = d.toObject();
        codes << o.value(QStringLiteral("code")).toString() + QLatin1Char('/') +
                     o.value(QStringLiteral("severity")).toString();
        for (const char* key : {"tensors", "message", "pytorch_error", "fix"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
    }
    for (const QJsonValue& d : expected.value(QStringLiteral("diagnostics")).toArray())
        wanted << d.toObject().value(QStringLiteral("code")).toString() + QLatin1Char('/') +
                      d.toObject().value(QStringLiteral("severity")).toString();
    codes.sort();
    wanted.sort();
    QCOMPARE(codes, wanted);
}

void TestCli::lossesCsv_data()
{
    checkJson_data();
}

void TestCli::lossesCsv()
{
    QFETCH(QJsonObject, expected);
    const Run run =
        runShapescope(QStringList{QStringLiteral("losses"),
                                  dump(expected.value(QStringLiteral("file")).toString()),
                                  QStringLiteral("--csv"), QStringLiteral("-")} +
                      optionArguments(expected.value(QStringLiteral("options")).toObject()));
    QCOMPARE(run.status, QProcess::NormalExit);
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
    QList<QByteArray> lines = run.out.split('\n');
    QCOMPARE(lines.value(0), QByteArray("pair,sample,loss,target,predicted"));
    QHash<QString, QList<QList<QByteArray>>> rows;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        const QList<QByteArray> fields = lines[i].split(',');
        QCOMPARE(fields.size(), 5);
        rows[QString::fromUtf8(fields[0])].append(fields);
    }
    for (const QJsonValue& p : expected.value(QStringLiteral("pairs")).toArray()) {
        const QJsonObject pair = p.toObject();
        const QJsonValue losses = pair.value(QStringLiteral("losses"));
        const auto& got = rows.value(pair.value(QStringLiteral("input")).toString());
        if (!pair.value(QStringLiteral("computed")).toBool()) {
            QVERIFY(got.isEmpty());
            continue;
        }
        if (!losses.isArray())
            continue;
        const QJsonArray want = losses.toArray();
        QCOMPARE(got.size(), want.size());
        for (qsizetype s = 0; s < want.size(); ++s) {
            QCOMPARE(got[s][1].toLongLong(), s);
            if (want[s].isNull()) {
                QVERIFY(got[s][2].isEmpty());
                continue;
            }
            bool ok = false;
            double ours = got[s][2].toDouble(&ok);
            if (got[s][2] == "nan")
                ours = std::nan(""), ok = true;
            QVERIFY(ok);
            QVERIFY2(test::closeToTorch(ours, test::jsonNumber(want[s])),
                     qPrintable(QStringLiteral("sample %1: %2 vs %3")
                                    .arg(s)
                                    .arg(ours)
                                    .arg(test::jsonNumber(want[s]))));
        }
    }
}

void TestCli::textReportExplains()
{
    const Run run =
        runShapescope({QStringLiteral("check"), dump(QStringLiteral("batch_32_vs_64.h5"))});
    QCOMPARE(run.exitCode, 1);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY(text.contains(
        QLatin1String("Expected input batch_size (32) to match target batch_size (64).")));
    QVERIFY(text.contains(QLatin1String("batch-size-mismatch")));
    QVERIFY(text.contains(QLatin1String("Why:")));
    QVERIFY(text.contains(QLatin1String("Fix:")));
}

void TestCli::unreadable_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("missing") << "/nonexistent/run.h5"
                             << "no such file";
    QTest::addRow("not a dump") << QFINDTESTDATA("tst_cli.cpp") << "not a dump";
    // torch.save files ShapeScope refuses, through the worker like every file.
    const QString torchsave = QFINDTESTDATA("data/torchsave/expected.json").section(u'/', 0, -2);
    QTest::addRow("torch.save posix.system")
        << torchsave + QStringLiteral("/posix_system.pt") << "global 'posix.system'";
    QTest::addRow("torch.save truncated pickle")
        << torchsave + QStringLiteral("/truncated.pt") << "truncated";
    QTest::addRow("torch.save out-of-range stride")
        << torchsave + QStringLiteral("/stride_out_of_range.pt") << "reaches element 6";
    QTest::addRow("torch.save legacy format")
        << torchsave + QStringLiteral("/legacy.pt") << "torch.save(torch.load(path), path)";
    QTest::addRow("TorchScript") << torchsave + QStringLiteral("/script.pt") << "torch.jit";
}

void TestCli::unreadable()
{
    QFETCH(QString, path);
    QFETCH(QString, mentions);
    const Run run = runShapescope({QStringLiteral("check"), path});
    QCOMPARE(run.exitCode, 2);
    const QString err = QString::fromUtf8(run.err).trimmed();
    QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
    QVERIFY2(err.contains(path) && err.contains(mentions), qPrintable(err));
}

// A torch.save dict: its logits and labels pair like any dump's, through the worker.
void TestCli::torchSave()
{
    const QString path = QFINDTESTDATA("data/torchsave/dict.pt");
    const Run run = runShapescope({QStringLiteral("check"), path, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(u"/logits") && out.contains(u"/labels"), qPrintable(out));
    QVERIFY2(out.contains(u"\"torch\""), qPrintable(out)); // the format's name
}

void TestCli::badOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addRow("loss") << QStringList{"--loss", "mae"};
    QTest::addRow("delta") << QStringList{"--loss", "huber", "--delta", "0"};
    QTest::addRow("ignore index") << QStringList{"--ignore-index", "x"};
    QTest::addRow("input alone") << QStringList{"--input", "/logits"};
    QTest::addRow("smoothing") << QStringList{"--label-smoothing", "2"};
    QTest::addRow("pos weight") << QStringList{"--loss", "bce", "--pos-weight", "1,a"};
}

void TestCli::badOptions()
{
    QFETCH(QStringList, options);
    const Run run = runShapescope(
        QStringList{QStringLiteral("check"), dump(QStringLiteral("ce_basic.h5"))} + options);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.startsWith("shapescope: "));
}

// Without --loss the kind is guessed and the reason shown, in JSON and in text; --loss overrides.
void TestCli::guessedLossIsShown_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("kind");
    QTest::addRow("guessed") << QStringList{} << QStringLiteral("mse");
    QTest::addRow("chosen") << QStringList{"--loss", "l1"} << QStringLiteral("l1");
}

void TestCli::guessedLossIsShown()
{
    QFETCH(QStringList, options);
    QFETCH(QString, kind);
    const QString file = QFINDTESTDATA("data/regression/mse_broadcast.npz");
    const Run json = runShapescope(
        QStringList{QStringLiteral("check"), file, QStringLiteral("--json")} + options);
    QCOMPARE(json.exitCode, 0); // torch only warns
    const QJsonObject loss =
        QJsonDocument::fromJson(json.out).object().value(QLatin1String("loss")).toObject();
    QCOMPARE(loss.value(QLatin1String("kind")).toString(), kind);
    const QString reason = loss.value(QLatin1String("kind_reason")).toString();
    QCOMPARE(reason.startsWith(QStringLiteral("guessed: mse, because")), options.isEmpty());
    QVERIFY(json.out.contains("broadcast-target"));
    const Run text = runShapescope(QStringList{QStringLiteral("check"), file} + options);
    QCOMPARE(text.out.contains("Loss: guessed: mse, because"), options.isEmpty());
}

// `check` on a float-target dump quotes what the chosen torch raises, and says which release it
// speaks for and why: --torch, else SHAPESCOPE_TORCH_VERSION, else the dump's record, else newest.
void TestCli::torchVersionChoosesTheQuote_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("variable"); // SHAPESCOPE_TORCH_VERSION; null: unset
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("source");
    const QString floatTarget = QStringLiteral("target_float_indices.npz");
    const QString recorded = QStringLiteral("target_float_recorded_torch.h5");
    const QString newest = QStringLiteral("2.15");
    QTest::addRow("--torch 1.13") << floatTarget << QStringList{"--torch", "1.13"} << QString()
                                  << "1.13"
                                  << "--torch";
    QTest::addRow("--torch 2.15") << floatTarget << QStringList{"--torch", "2.15.0+cpu"}
                                  << QString() << newest << "--torch";
    QTest::addRow("environment") << floatTarget << QStringList{} << "1.13.1"
                                 << "1.13"
                                 << "environment";
    QTest::addRow("--torch over environment")
        << floatTarget << QStringList{"--torch", "2.15"} << "1.13" << newest << "--torch";
    QTest::addRow("default") << floatTarget << QStringList{} << QString() << newest << "default";
    QTest::addRow("recorded in the dump") << recorded << QStringList{} << QString() << "1.13"
                                          << "dump";
    QTest::addRow("environment over the dump")
        << recorded << QStringList{} << "2.15" << newest << "environment";
}

void TestCli::torchVersionChoosesTheQuote()
{
    QFETCH(QString, file);
    QFETCH(QStringList, options);
    QFETCH(QString, variable);
    QFETCH(QString, version);
    QFETCH(QString, source);
    QJsonObject measured;
    for (const QJsonValue& c : test::readJson(QFINDTESTDATA("data/dumps/expected.json")).array()) {
        if (c.toObject().value(QStringLiteral("file")).toString() == file)
            measured = c.toObject()
                           .value(QStringLiteral("pairs"))[0]
                           .toObject()
                           .value(QStringLiteral("torch"))
                           .toObject();
    }
    const QString torchText =
        measured.value(version).toObject().value(QStringLiteral("pytorch_error")).toString();
    QVERIFY(!torchText.isEmpty());

    const Run json = runShapescope(
        QStringList{QStringLiteral("check"), dump(file), QStringLiteral("--json")} + options,
        variable);
    QCOMPARE(json.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(report.value(QStringLiteral("torch"))[QStringLiteral("version")].toString(), version);
    QCOMPARE(report.value(QStringLiteral("torch"))[QStringLiteral("source")].toString(), source);
    QStringList quoted;
    for (const QJsonValue& d : report.value(QStringLiteral("diagnostics")).toArray())
        quoted << d.toObject().value(QStringLiteral("pytorch_error")).toString();
    QVERIFY2(quoted.contains(torchText),
             qPrintable(quoted.join(QLatin1Char('|')) + QStringLiteral(" vs ") + torchText));

    const Run text =
        runShapescope(QStringList{QStringLiteral("check"), dump(file)} + options, variable);
    QVERIFY2(text.out.contains("PyTorch: torch " + version.toUtf8() + " ("), text.out.constData());
    QVERIFY(text.out.contains("PyTorch raises: " + torchText.toUtf8()));
}

// An unknown release is refused by every command, with exit code 2 (process() would exit 1 for
// an option the command lacks).
void TestCli::badTorchVersion_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("mentions");
    const QString file = dump(QStringLiteral("ce_basic.h5"));
    QTest::addRow("check --torch 3.0") << QStringList{"check", file, "--torch", "3.0"} << QString()
                                       << "--torch: torch 3.0 is not supported";
    QTest::addRow("check --torch 1.12")
        << QStringList{"check", file, "--torch", "1.12"} << QString() << "1.13 and 2.0 to 2.15";
    QTest::addRow("losses --torch x") << QStringList{"losses", file, "--csv", "-", "--torch", "x"}
                                      << QString() << "is not a PyTorch version";
    QTest::addRow("plot --torch 2.99")
        << QStringList{"plot",      file,  "--kind",
                       "histogram", "-o",  QDir::temp().filePath("tst_cli_never.png"),
                       "--torch",   "2.99"}
        << QString() << "torch 2.99 is not supported";
    QTest::addRow("environment") << QStringList{"check", file} << "latest"
                                 << "SHAPESCOPE_TORCH_VERSION: \"latest\"";
}

void TestCli::badTorchVersion()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QString, mentions);
    const Run run = runShapescope(arguments, variable);
    QCOMPARE(run.exitCode, 2);
    // plot starts a GUI application, which may warn on stderr first.
    QVERIFY2(run.err.contains("shapescope: ") && run.err.contains(mentions.toUtf8()),
             run.err.constData());
}

void TestCli::metadataOnly()
{
    const Run run =
        runShapescope({QStringLiteral("check"), dump(QStringLiteral("batch_32_vs_64.h5")),
                       QStringLiteral("--metadata-only"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(report.value(QStringLiteral("format")).toString(), QStringLiteral("hdf5"));
    QCOMPARE(report.value(QStringLiteral("tensors")).toArray().size(), 2);
    QVERIFY(report.value(QStringLiteral("diagnostics")).toArray().isEmpty());
}

void TestCli::csvToFileIsAtomicAndNeverOverTheDump()
{
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("out.csv"));
    Run run = runShapescope({QStringLiteral("losses"), dump(QStringLiteral("ce_basic.h5")),
                             QStringLiteral("--csv"), csv});
    QCOMPARE(run.exitCode, 0);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 33);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("out.csv")});

    QVERIFY(QFile::copy(dump(QStringLiteral("ce_basic.h5")), dir.filePath(QStringLiteral("d.h5"))));
    run = runShapescope({QStringLiteral("losses"), dir.filePath(QStringLiteral("d.h5")),
                         QStringLiteral("--csv"), dir.filePath(QStringLiteral("d.h5"))});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("d.h5"))).size() > 1000);
}

QString stepDump(const char* file)
{
    return QFINDTESTDATA(QStringLiteral("data/steps/") + QLatin1String(file));
}

// A usage error is exit 2 with one line, never QCommandLineParser's exit 1 (which CI scripts
// would read as "PyTorch would raise").
void TestCli::usageErrorsExitTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    const QString file = dump(QStringLiteral("ce_basic.h5"));
    QTest::addRow("check unknown option") << QStringList{"check", file, "--bogus"};
    QTest::addRow("check missing value") << QStringList{"check", file, "--input"};
    QTest::addRow("losses unknown option") << QStringList{"losses", file, "--csv", "-", "--nope"};
    QTest::addRow("plot unknown option")
        << QStringList{"plot", file, "--kind", "histogram", "-o", "/tmp/x.png", "--nope"};
    QTest::addRow("role without =") << QStringList{"check", file, "--role", "logits"};
    QTest::addRow("role unknown") << QStringList{"check", file, "--role", "logits=model"};
    QTest::addRow("weight twice") << QStringList{"check",           file,    "--weight", "1,2",
                                                 "--weight-tensor", "logits"};
}

void TestCli::usageErrorsExitTwo()
{
    QFETCH(QStringList, arguments);
    const Run run = runShapescope(arguments);
    QCOMPARE(run.status, QProcess::NormalExit);
    QCOMPARE(run.exitCode, 2);
    // One line of ours (Qt may warn about the platform before a rendering command starts).
    QCOMPARE(run.err.count("shapescope: "), 1);
    QVERIFY2(run.err.trimmed().split('\n').last().startsWith("shapescope: "), run.err.constData());
}

void TestCli::strict_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("strict");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("nothing checkable") << stepDump("nothing_checkable.npz") << false << 0;
    QTest::addRow("nothing checkable, strict") << stepDump("nothing_checkable.npz") << true << 1;
    QTest::addRow("checked, strict") << stepDump("text_extras.npz") << true << 0;
    QTest::addRow("guessed, strict") << stepDump("guessed_pair.npz") << true << 0;
    QTest::addRow("model merged") << stepDump("model_merged.h5") << false << 1;
}

void TestCli::strict()
{
    QFETCH(QString, file);
    QFETCH(bool, strict);
    QFETCH(int, exitCode);
    QStringList arguments{QStringLiteral("check"), file, QStringLiteral("--json")};
    if (strict)
        arguments << QStringLiteral("--strict");
    const Run run = runShapescope(arguments);
    QCOMPARE(run.exitCode, exitCode);
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QVERIFY(json.contains(QStringLiteral("steps")));
}

// h5py users write "batch_0/logits"; every option takes the path with or without the '/'.
void TestCli::pathsWithOrWithoutSlash_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("divergesAt");
    QTest::addColumn<int>("exitCode");
    const QString merged = stepDump("model_merged.h5");
    const QString extras = stepDump("text_extras.npz");
    QTest::addRow("h5 input/target with /")
        << merged << QStringList{"--input", "/logits", "--target", "/labels"} << "model" << 1;
    QTest::addRow("h5 input/target without /")
        << merged << QStringList{"--input", "logits", "--target", "labels"} << "model" << 1;
    QTest::addRow("h5 role without /")
        << merged << QStringList{"--role", "inputs=extra"} << "target" << 1;
    QTest::addRow("h5 role with /")
        << merged << QStringList{"--role", "/inputs=extra"} << "target" << 1;
    QTest::addRow("npz weight-tensor with /")
        << extras << QStringList{"--weight-tensor", "/class_weight"} << QString() << 0;
    QTest::addRow("npz weight with /")
        << extras << QStringList{"--weight", "/class_weight"} << QString() << 0;
    QTest::addRow("npz input/target with /")
        << extras << QStringList{"--input", "/logits", "--target", "/labels"} << QString() << 0;
}

void TestCli::pathsWithOrWithoutSlash()
{
    QFETCH(QString, file);
    QFETCH(QStringList, options);
    QFETCH(QString, divergesAt);
    QFETCH(int, exitCode);
    const Run run = runShapescope(
        QStringList{QStringLiteral("check"), file, QStringLiteral("--json")} + options);
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(json[QStringLiteral("pairs")].toArray().size(), 1);
    const QJsonValue stage =
        json[QStringLiteral("steps")][0][QStringLiteral("flow")][QStringLiteral("diverges_at")];
    QCOMPARE(stage.isNull() ? QString() : stage.toString(), divergesAt);
}

// The text report of a step: CTC's batch read from axis 1 of (T, N, C) with no accuracy, a
// sequence's axes named time and vocabulary, an extra of another batch.
void TestCli::stepText_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("contains");
    QTest::addColumn<QStringList>("excludes");
    const QStringList ctcSays{"the batch agrees", "12 (T) x 4 (N) x 6 (V)"};
    const QStringList ctcNever{"accuracy", "differ"};
    QTest::addRow("ctc step") << stepDump("ctc_step.npz") << 0 << ctcSays << ctcNever;
    QTest::addRow("ctc basic") << QFINDTESTDATA("data/ctc/ctc_basic.npz") << 0 << ctcSays
                               << ctcNever;
    QTest::addRow("lm label shift")
        << QFINDTESTDATA("data/sequence/lm_label_shift.h5") << 1
        << QStringList{"4 (N) x 12 (T) x 50 (V)", "/labels 4 (N) x 11 (T)"} << QStringList{"(d1)"};
    QTest::addRow("mask of another batch")
        << stepDump("mask_other_batch.npz") << 0
        << QStringList{"[loader-batch-mismatch]", "attention_mask has 8 rows", "accuracy"}
        << QStringList{"the batch agrees"};
}

void TestCli::stepText()
{
    QFETCH(QString, file);
    QFETCH(int, exitCode);
    QFETCH(QStringList, contains);
    QFETCH(QStringList, excludes);
    const Run run = runShapescope({QStringLiteral("check"), file});
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
    // Simplified: the flow line wraps at the terminal's width.
    const QString out = QString::fromUtf8(run.out).simplified();
    for (const QString& text : contains)
        QVERIFY2(out.contains(text), qPrintable(text + QStringLiteral(" not in:\n") + out));
    for (const QString& text : excludes)
        QVERIFY2(!out.contains(text), qPrintable(text + QStringLiteral(" in:\n") + out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
