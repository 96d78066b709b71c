// SPDX-License-Identifier: GPL-3.0-or-later
// The PyTorch release setting: parsing, precedence, the table's ranges, and that every quote
// ShapeScope gives under any supported release is a text some real torch raised.
#include "analysis/analyzer.h"
#include "analysis/torchchanges.h"
#include "analysis/torchverdicts.h"
#include "dumpcases.h"
#include "formats/dumpreader.h"
#include "testutils.h"
#include "torchquote.h"

using namespace shapescope;

namespace {

Expected<AnalysisResult> analyzeUnder(const QJsonObject& c, std::optional<TorchVersion> torch,
                                      TorchSource source = TorchSource::CommandLine)
{
    auto reader = openDump(test::dumpPath(c.value(QStringLiteral("file")).toString()));
    if (!reader)
        return Error{reader.error()};
    AnalysisOptions options;
    options.spec = test::specForCase(c.value(QStringLiteral("options")).toObject());
    options.torch = torch;
    options.torchSource = source;
    return analyzeDump(**reader, options);
}

QJsonObject dumpCase(const QString& name)
{
    for (const QJsonValue& value : test::dumpCases()) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return value.toObject();
    }
    return {};
}

} // namespace

class TestTorchVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void rejectsUnsupported_data();
    void rejectsUnsupported();
    void precedence_data();
    void precedence();
    void rangesCoverEverySupportedRelease();
    void rangesText_data();
    void rangesText();
    void quotesMatchTheMeasuredReleaseOfTheirRange_data();
    void quotesMatchTheMeasuredReleaseOfTheirRange();
    void dumpRecordsItsVersion_data();
    void dumpRecordsItsVersion();
    void verdictNoteNamesTheOtherReleases_data();
    void verdictNoteNamesTheOtherReleases();
};

void TestTorchVersion::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("version"); // "" when the text is no version
    QTest::addRow("debian") << "1.13.0a0"
                            << "1.13";
    QTest::addRow("local cpu") << "2.15.0+cpu"
                               << "2.15";
    QTest::addRow("local cuda") << "2.15.0+cu132"
                                << "2.15";
    QTest::addRow("major.minor") << "2.3"
                                 << "2.3";
    QTest::addRow("v prefix, patch") << "v2.1.2"
                                     << "2.1";
    QTest::addRow("nightly") << "2.6.0.dev20241112+cu121"
                             << "2.6";
    QTest::addRow("spaces") << " 2.4.1 "
                            << "2.4";
    QTest::addRow("empty") << ""
                           << "";
    QTest::addRow("word") << "latest"
                          << "";
    QTest::addRow("major only") << "2"
                                << "";
    QTest::addRow("letters in minor") << "2.x"
                                      << "";
}

void TestTorchVersion::parses()
{
    QFETCH(QString, text);
    QFETCH(QString, version);
    const std::optional<TorchVersion> parsed = parseTorchVersion(text);
    QCOMPARE(parsed ? parsed->toString() : QString(), version);
}

void TestTorchVersion::rejectsUnsupported_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("supported");
    QTest::addRow("1.13") << "1.13.1" << true;
    QTest::addRow("2.0") << "2.0" << true;
    QTest::addRow("newest") << newestTorch().toString() << true;
    QTest::addRow("1.12") << "1.12" << false;
    QTest::addRow("next") << QStringLiteral("2.%1").arg(newestTorch().minor + 1) << false;
    QTest::addRow("3.0") << "3.0" << false;
    QTest::addRow("garbage") << "two point one" << false;
}

void TestTorchVersion::rejectsUnsupported()
{
    QFETCH(QString, text);
    QFETCH(bool, supported);
    const Expected<TorchVersion> version = supportedTorch(text, QStringLiteral("--torch"));
    QCOMPARE(version.ok(), supported);
    if (!supported) {
        QVERIFY(version.error().startsWith(QStringLiteral("--torch: ")));
        QVERIFY2(version.error().contains(text.trimmed()), qPrintable(version.error()));
    }
}

void TestTorchVersion::precedence_data()
{
    QTest::addColumn<QString>("requested");
    QTest::addColumn<int>("requestedSource");
    QTest::addColumn<QString>("recorded");
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("source");
    const QString newest = newestTorch().toString();
    QTest::addRow("--torch over the dump") << "2.3" << int(TorchSource::CommandLine) << "1.13.1"
                                           << "2.3" << int(TorchSource::CommandLine);
    QTest::addRow("environment over the dump") << "2.0" << int(TorchSource::Environment) << "1.13.1"
                                               << "2.0" << int(TorchSource::Environment);
    QTest::addRow("settings over the dump") << "1.13" << int(TorchSource::Settings) << "2.9.0+cu126"
                                            << "1.13" << int(TorchSource::Settings);
    QTest::addRow("the dump") << "" << int(TorchSource::CommandLine) << "1.13.1+cu117"
                              << "1.13" << int(TorchSource::Dump);
    QTest::addRow("nothing: newest")
        << "" << int(TorchSource::CommandLine) << "" << newest << int(TorchSource::Default);
    QTest::addRow("unsupported in the dump: newest")
        << "" << int(TorchSource::CommandLine) << "0.4.1" << newest << int(TorchSource::Default);
}

void TestTorchVersion::precedence()
{
    QFETCH(QString, requested);
    QFETCH(int, requestedSource);
    QFETCH(QString, recorded);
    QFETCH(QString, version);
    QFETCH(int, source);
    const TorchChoice choice =
        chooseTorch(parseTorchVersion(requested), TorchSource(requestedSource), recorded);
    QCOMPARE(choice.version.toString(), version);
    QCOMPARE(int(choice.source), source);
    QVERIFY(choice.describe().startsWith(QStringLiteral("torch ") + version));
    if (!recorded.isEmpty() && choice.source == TorchSource::Default)
        QVERIFY2(choice.describe().contains(recorded), qPrintable(choice.describe()));
}

void TestTorchVersion::rangesCoverEverySupportedRelease()
{
    const std::vector<TorchRange> ranges = torchRanges();
    const std::vector<TorchVersion>& all = supportedTorchVersions();
    QCOMPARE(ranges.front().first, all.front());
    QCOMPARE(ranges.back().last, newestTorch());
    for (TorchVersion v : all) {
        const auto holding = std::count_if(ranges.begin(), ranges.end(),
                                           [&](const TorchRange& r) { return r.contains(v); });
        QCOMPARE(holding, 1);
    }
    // Every change starts a range, and nothing changes inside one.
    for (const TorchChangeEntry& change : torchChanges()) {
        QVERIFY(isSupportedTorch(change.since));
        QVERIFY(std::any_of(ranges.begin(), ranges.end(),
                            [&](const TorchRange& r) { return r.first == change.since; }));
        for (const TorchRange& r : ranges)
            QCOMPARE(torchHas(r.first, change.change), torchHas(r.last, change.change));
    }
}

void TestTorchVersion::rangesText_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("prefix");
    QTest::addRow("newest range") << int(torchRanges().size()) - 1 << 1 << "torch >= 2.";
    QTest::addRow("oldest") << 0 << 1 << "torch <= 2.";
    QTest::addRow("all but the newest") << 0 << int(torchRanges().size()) - 1 << "torch <= 2.";
}

void TestTorchVersion::rangesText()
{
    QFETCH(int, first);
    QFETCH(int, count);
    QFETCH(QString, prefix);
    const std::vector<TorchRange> all = torchRanges();
    const std::vector<TorchRange> some(all.begin() + first, all.begin() + first + count);
    const QString text = torchRangesText(some);
    QVERIFY2(text.startsWith(prefix), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral(" and ")), qPrintable(text)); // adjacent: one span
}

// Every supported release in a range holding a measured one (1.13 and the newest 2.x) quotes,
// for every pair, exactly the text that measured torch raised, and raises exactly when it did.
void TestTorchVersion::quotesMatchTheMeasuredReleaseOfTheirRange_data()
{
    QTest::addColumn<QJsonObject>("expected");
    QTest::addColumn<QString>("torch");
    QTest::addColumn<QString>("measured");
    for (const QJsonValue& value : test::dumpCases()) {
        const QJsonObject c = value.toObject();
        for (const TorchRange& range : torchRanges()) {
            QString measured;
            for (const QString& m : test::measuredTorchVersions()) {
                if (range.contains(*parseTorchVersion(m)))
                    measured = m;
            }
            if (measured.isEmpty())
                continue;
            for (TorchVersion v : supportedTorchVersions()) {
                if (range.contains(v)) {
                    QTest::addRow("%s, torch %s",
                                  qPrintable(c.value(QStringLiteral("name")).toString()),
                                  qPrintable(v.toString()))
                        << c << v.toString() << measured;
                }
            }
        }
    }
}

void TestTorchVersion::quotesMatchTheMeasuredReleaseOfTheirRange()
{
    QFETCH(QJsonObject, expected);
    QFETCH(QString, torch);
    QFETCH(QString, measured);
    const Expected<AnalysisResult> result = analyzeUnder(expected, parseTorchVersion(torch));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    const QJsonArray pairs = expected.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(result->pairs.size(), size_t(pairs.size()));
    for (qsizetype p = 0; p < pairs.size(); ++p) {
        const QString raised = pairs[p]
                                   .toObject()
                                   .value(QStringLiteral("torch"))[measured]
                                   .toObject()
                                   .value(QStringLiteral("pytorch_error"))
                                   .toString();
        const QString mismatch = test::quoteMismatch(*result, p, raised);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }
}

// The capture's torch.__version__: an HDF5 root attribute, or a 0-d string array in an NPZ.
void TestTorchVersion::dumpRecordsItsVersion_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("recorded");
    QTest::addRow("hdf5 attribute") << "target_float_recorded_torch"
                                    << "1.13.1+cu117";
    QTest::addRow("npz string entry") << "target_float_recorded_torch_npz"
                                      << "1.13.1";
}

void TestTorchVersion::dumpRecordsItsVersion()
{
    QFETCH(QString, name);
    QFETCH(QString, recorded);
    const QJsonObject c = dumpCase(name);
    QVERIFY(!c.isEmpty());
    const Expected<AnalysisResult> result = analyzeUnder(c, std::nullopt);
    QVERIFY(result.ok());
    QCOMPARE(result->torch.source, TorchSource::Dump);
    QCOMPARE(result->torch.recorded, recorded);
    QCOMPARE(result->pairs.size(), size_t(1)); // the version entry is no tensor
    QCOMPARE(result->torch.version.toString(), QStringLiteral("1.13"));
    const QString measured = c.value(QStringLiteral("pairs"))[0]
                                 .toObject()
                                 .value(QStringLiteral("torch"))[QStringLiteral("1.13")]
                                 .toObject()
                                 .value(QStringLiteral("pytorch_error"))
                                 .toString();
    QVERIFY(std::any_of(result->diagnostics.begin(), result->diagnostics.end(),
                        [&](const Diagnostic& d) { return d.pytorchError == measured; }));
    // An explicit choice wins over the dump.
    const Expected<AnalysisResult> chosen = analyzeUnder(c, newestTorch());
    QVERIFY(chosen.ok());
    QCOMPARE(chosen->torch.source, TorchSource::CommandLine);
    QCOMPARE(chosen->torch.version, newestTorch());
}

void TestTorchVersion::verdictNoteNamesTheOtherReleases_data()
{
    QTest::addColumn<QString>("torch");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("note");
    // A 1-D input's one-element target: refused by 1.13, accepted since OneDimTargetSizeOne.
    const TorchChangeEntry change = torchChanges()[int(TorchChange::OneDimTargetSizeOne)];
    QTest::addRow("1.13 refuses") << "1.13"
                                  << "target-shape-mismatch"
                                  << QStringLiteral("torch >= %1 accepts this; --torch says 1.13")
                                         .arg(change.since.toString());
    QTest::addRow("newest accepts") << newestTorch().toString() << "torch-version-difference"
                                    << QStringLiteral("torch <= 2.%1 raises here; --torch says %2")
                                           .arg(change.since.minor - 1)
                                           .arg(newestTorch().toString());
}

void TestTorchVersion::verdictNoteNamesTheOtherReleases()
{
    QFETCH(QString, torch);
    QFETCH(QString, code);
    QFETCH(QString, note);
    const Expected<AnalysisResult> result = analyzeUnder(
        dumpCase(QStringLiteral("ce_unbatched_one_element_target")), parseTorchVersion(torch));
    QVERIFY(result.ok());
    QStringList notes;
    for (const Diagnostic& d : result->diagnostics) {
        if (d.codeName() == code)
            notes << d.versionNote;
    }
    QCOMPARE(notes, QStringList{note});
}

QTEST_GUILESS_MAIN(TestTorchVersion)
#include "tst_torchversion.moc"
