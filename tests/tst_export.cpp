// SPDX-License-Identifier: GPL-3.0-or-later
// Exports: plot files of every format valid and drawn (PNG, JPG, PDF, SVG, at a DPI), written
// atomically and never over the dump; the losses CSV byte-equal to `shapescope losses`, the
// JSON report to `check --json`; the Markdown report; the CLI's `plot` and `check --markdown`.
#include "losses/lossplotspage.h"
#include "plots/exportplotdialog.h"
#include "plots/plotexport.h"
#include "plots/plotfactory.h"
#include "plots/qcustomplotinclude.h"
#include "report/markdownreport.h"
#include "tst_plots_support.h"
#include "window/reportexport.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace shapescope;

Q_DECLARE_METATYPE(shapescope::PlotKind)
Q_DECLARE_METATYPE(shapescope::PlotFormat)

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the CLI with no display and no platform named: `plot` must choose offscreen itself.
// `platform`, when given, is the QT_QPA_PLATFORM the command sees.
Run runShapescope(const QStringList& arguments, const QString& platform = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

using test::readAll;

QByteArray sha(const QString& path)
{
    return QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256);
}

// A file of `format` that its own reader accepts, with a drawing in it. Returns why not.
QString checkPlotFile(const QString& path, PlotFormat format, QSize pixels = {})
{
    const QByteArray data = readAll(path);
    if (data.size() < 100)
        return QStringLiteral("%1 bytes").arg(data.size());
    switch (format) {
    case PlotFormat::Png:
    case PlotFormat::Jpg: {
        const QByteArray signature = format == PlotFormat::Png ? QByteArray("\x89PNG\r\n\x1a\n")
                                                               : QByteArray("\xff\xd8\xff");
        if (!data.startsWith(signature))
            return QStringLiteral("no %1 signature").arg(plotFormatSuffix(format));
        QImage image;
        if (!image.loadFromData(data))
            return QStringLiteral("does not decode");
        if (pixels.isValid() && image.size() != pixels)
            return QStringLiteral("size %1x%2").arg(image.width()).arg(image.height());
        if (test::distinctColors(image) < 4)
            return QStringLiteral("a blank image");
        return {};
    }
    case PlotFormat::Pdf:
        if (!data.startsWith("%PDF-"))
            return QStringLiteral("no %PDF signature");
        if (!data.trimmed().endsWith("%%EOF"))
            return QStringLiteral("no %%EOF trailer");
        if (!data.contains("/Type /Page") && !data.contains("/Type/Page"))
            return QStringLiteral("no page");
        return {};
    case PlotFormat::Svg: {
        QXmlStreamReader xml(data);
        int drawing = 0;
        int text = 0;
        bool root = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const QStringView name = xml.name();
            root = root || name == QLatin1String("svg");
            if (name == QLatin1String("path") || name == QLatin1String("rect") ||
                name == QLatin1String("polyline") || name == QLatin1String("line") ||
                name == QLatin1String("ellipse") || name == QLatin1String("image") ||
                name == QLatin1String("circle") || name == QLatin1String("polygon"))
                ++drawing;
            if (name == QLatin1String("text"))
                ++text;
        }
        if (xml.hasError())
            return QStringLiteral("XML error: ") + xml.errorString();
        if (!root)
            return QStringLiteral("no <svg> element");
        if (drawing < 10 || text < 5)
            return QStringLiteral("%1 drawing and %2 text elements").arg(drawing).arg(text);
        return {};
    }
    }
    return QStringLiteral("unknown format");
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportsEveryKindAndFormat_data();
    void exportsEveryKindAndFormat();
    void pngFollowsTheDpi();
    void refusesToWriteOverTheDump();
    void failedWritesLeaveTheOldFile();
    void formatsFromSuffixes_data();
    void formatsFromSuffixes();
    void csvEqualsTheLossesCommand_data();
    void csvEqualsTheLossesCommand();
    void jsonEqualsCheckJson();
    void markdownReportWithAPlot();
    void markdownQuotesPyTorchAndEscapes();
    void dialogKeepsFormatAndSuffixTogether();
    void cliPlotsEveryKindAndFormat_data();
    void cliPlotsEveryKindAndFormat();
    void cliPlotRejectsBadRequests_data();
    void cliPlotRejectsBadRequests();
    void cliCheckWritesMarkdown();
    void cliMarkdownWithoutPlotNeedsNoGui();

private:
    InProcessSession m_session;
    std::shared_ptr<const AnalysisResult> m_ragged;
    QTemporaryDir m_dir;
};

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ragged = test::analyzeFile(m_session, test::examplePath(QStringLiteral("ragged_run.h5")));
    QVERIFY(m_ragged);
}

void TestExport::exportsEveryKindAndFormat_data()
{
    QTest::addColumn<PlotKind>("kind");
    QTest::addColumn<PlotFormat>("format");
    for (PlotKind kind : kAllPlotKinds)
        for (PlotFormat format :
             {PlotFormat::Png, PlotFormat::Jpg, PlotFormat::Pdf, PlotFormat::Svg})
            QTest::addRow("%s %s", qPrintable(plotKindName(kind)),
                          qPrintable(plotFormatSuffix(format)))
                << kind << format;
}

void TestExport::exportsEveryKindAndFormat()
{
    QFETCH(PlotKind, kind);
    QFETCH(PlotFormat, format);
    std::unique_ptr<LossPlot> plot = createLossPlot(kind, m_ragged, plotScopes(*m_ragged).front());
    const QString path =
        m_dir.filePath(plotKindName(kind) + QLatin1Char('.') + plotFormatSuffix(format));
    PlotExportOptions options;
    options.format = format;
    options.width = 900;
    options.height = 520;
    const Status status = exportPlot(plot->customPlot(), path, options);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    const QString problem = checkPlotFile(path, format, QSize(900, 520));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // No temporary file is left behind.
    QCOMPARE(QDir(m_dir.path())
                 .entryList({QFileInfo(path).fileName() + QStringLiteral("*")},
                            QDir::Files | QDir::Hidden)
                 .size(),
             1);
}

void TestExport::pngFollowsTheDpi()
{
    std::unique_ptr<LossPlot> plot =
        createLossPlot(PlotKind::PerBatch, m_ragged, plotScopes(*m_ragged).front());
    PlotExportOptions options;
    options.width = 800;
    options.height = 450;
    options.dpi = 192;
    QCOMPARE(options.pixelSize(), QSize(1600, 900));
    const QString path = m_dir.filePath(QStringLiteral("dpi.png"));
    QVERIFY(exportPlot(plot->customPlot(), path, options).ok());
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1600, 900));
    QCOMPARE(image.dotsPerMeterX(), qRound(192 / 0.0254));
    QVERIFY(test::distinctColors(image) > 4);
    options.width = 4;
    QVERIFY(!exportPlot(plot->customPlot(), path, options).ok());
}

void TestExport::refusesToWriteOverTheDump()
{
    const QString dump = m_dir.filePath(QStringLiteral("copy_of_run.h5"));
    QFile::remove(dump);
    QVERIFY(QFile::copy(test::examplePath(QStringLiteral("ragged_run.h5")), dump));
    const QByteArray before = sha(dump);
    std::unique_ptr<LossPlot> plot =
        createLossPlot(PlotKind::PerSample, m_ragged, plotScopes(*m_ragged).front());
    // Through another spelling of the same path, too.
    const QString sneaky = m_dir.path() + QStringLiteral("/./copy_of_run.h5");
    for (const QString& target : {dump, sneaky}) {
        const Status plotStatus = exportPlot(plot->customPlot(), target, PlotExportOptions{}, dump);
        QVERIFY(!plotStatus.ok());
        QVERIFY2(plotStatus.error().contains(QLatin1String("over the opened dump")),
                 qPrintable(plotStatus.error()));
        QVERIFY(!exportLossesCsv(*m_ragged, target, dump).ok());
        QVERIFY(!exportReportJson(*m_ragged, target, dump).ok());
        QVERIFY(!exportReportMarkdown(m_ragged, target, dump).ok());
        QVERIFY(!saveMarkdownReport(*m_ragged, target, dump).ok());
        QVERIFY(!writeReport(*m_ragged, ReportFormat::Json, target, dump).ok());
        QVERIFY(!writeReport(*m_ragged, ReportFormat::Text, target, dump).ok());
    }
    QCOMPARE(sha(dump), before);
    // The page refuses the same way: it knows which file it shows.
    LossPlotsPage page;
    page.setResult(m_ragged, dump);
    QVERIFY(!page.exportPlot(dump, PlotExportOptions{}).ok());
    QVERIFY(!page.exportLosses(dump).ok());
    QVERIFY(!page.exportReport(dump).ok());
    QCOMPARE(sha(dump), before);
}

void TestExport::failedWritesLeaveTheOldFile()
{
    const QString path = m_dir.filePath(QStringLiteral("kept.csv"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("old contents\n");
    }
    const Status failed = writeAtomically(path, QString(), [](QIODevice& device) -> Status {
        device.write("half a fi");
        return Error{QStringLiteral("interrupted")};
    });
    QVERIFY(!failed.ok());
    QVERIFY(failed.error().contains(QLatin1String("interrupted")));
    QCOMPARE(readAll(path), QByteArray("old contents\n"));
    QCOMPARE(QDir(m_dir.path())
                 .entryList({QStringLiteral("kept.csv*")}, QDir::Files | QDir::Hidden)
                 .size(),
             1);
    const Status missingFolder = exportLossesCsv(
        *m_ragged, m_dir.filePath(QStringLiteral("no/such/folder/x.csv")), QString());
    QVERIFY(!missingFolder.ok());
    QVERIFY(missingFolder.error().contains(QLatin1String("cannot write")));
}

void TestExport::formatsFromSuffixes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("format");
    QTest::addRow("png") << "a/b.png" << int(PlotFormat::Png);
    QTest::addRow("JPEG upper case") << "plot.JPEG" << int(PlotFormat::Jpg);
    QTest::addRow("jpg") << "plot.jpg" << int(PlotFormat::Jpg);
    QTest::addRow("pdf") << "plot.pdf" << int(PlotFormat::Pdf);
    QTest::addRow("svg") << "x.y.svg" << int(PlotFormat::Svg);
    QTest::addRow("unknown") << "plot.gif" << -1;
    QTest::addRow("none") << "plot" << -1;
}

void TestExport::formatsFromSuffixes()
{
    QFETCH(QString, path);
    QFETCH(int, format);
    const std::optional<PlotFormat> got = plotFormatFromPath(path);
    QCOMPARE(got ? int(*got) : -1, format);
}

void TestExport::csvEqualsTheLossesCommand_data()
{
    QTest::addColumn<QString>("dump");
    QTest::addColumn<QStringList>("options");
    QTest::addRow("ragged run") << test::examplePath(QStringLiteral("ragged_run.h5"))
                                << QStringList{};
    QTest::addRow("segmentation, ignore 255")
        << test::examplePath(QStringLiteral("segmentation_void.h5"))
        << QStringList{QStringLiteral("--ignore-index"), QStringLiteral("255")};
    QTest::addRow("(B, T, C)") << test::examplePath(QStringLiteral("sequence_btc.npz"))
                               << QStringList{};
}

void TestExport::csvEqualsTheLossesCommand()
{
    QFETCH(QString, dump);
    QFETCH(QStringList, options);
    const Run run = runShapescope(
        QStringList{QStringLiteral("losses"), dump, QStringLiteral("--csv"), QStringLiteral("-")} +
        options);
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData());
    AnalysisOptions analysis;
    if (!options.isEmpty())
        analysis.spec.ignoreIndex = options.at(1).toLongLong();
    const auto result = test::analyzeFile(m_session, dump, analysis);
    QVERIFY(result);
    const QString path = m_dir.filePath(QStringLiteral("losses.csv"));
    const Status status = exportLossesCsv(*result, path, dump);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    const QByteArray ours = readAll(path);
    QVERIFY(ours.startsWith("pair,sample,loss,target,predicted\n"));
    QVERIFY(ours.count('\n') > 2);
    QCOMPARE(ours, run.out);
}

void TestExport::jsonEqualsCheckJson()
{
    const QString dump = test::examplePath(QStringLiteral("ragged_run.h5"));
    const Run run = runShapescope({QStringLiteral("check"), dump, QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QString path = m_dir.filePath(QStringLiteral("report.json"));
    AnalysisOptions guessing; // what the CLI and the window do without a chosen loss
    guessing.spec = guessingSpec();
    const auto result = test::analyzeFile(m_session, dump, guessing);
    QVERIFY(exportReportJson(*result, path, dump).ok());
    QCOMPARE(readAll(path), run.out);
}

void TestExport::markdownReportWithAPlot()
{
    const QString path = m_dir.filePath(QStringLiteral("ragged report.md"));
    QString plot;
    const Status status =
        exportReportMarkdown(m_ragged, path, QString(), PlotExportOptions{}, &plot);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    QCOMPARE(QFileInfo(plot).fileName(), QStringLiteral("ragged report-per-batch.png"));
    QVERIFY2(checkPlotFile(plot, PlotFormat::Png).isEmpty(),
             qPrintable(checkPlotFile(plot, PlotFormat::Png)));
    const QString text = QString::fromUtf8(readAll(path));
    QVERIFY(text.startsWith(QLatin1String("# ShapeScope report: ragged_run.h5\n")));
    QVERIFY2(text.contains(QLatin1String("![Batch size and mean loss")),
             qPrintable(text.left(600)));
    QVERIFY(text.contains(QLatin1String("](ragged%20report-per-batch.png)")));
    QVERIFY(text.contains(QLatin1String("### Warning: ragged-batch")));
    QVERIFY(text.contains(QLatin1String("**Fix:**\n\n```python\nloader = DataLoader(")));
    QVERIFY(text.contains(QLatin1String("| /batch_0007/logits | /batch_0007/labels |")));
    QVERIFY(text.contains(QLatin1String("## Highest-loss samples")));
    QVERIFY(text.contains(QLatin1String("| 7 | /batch_0007 | 17 |")));
    QVERIFY(text.contains(QLatin1String("- Findings: 0 errors, 1 warning, 0 info")));
}

void TestExport::markdownQuotesPyTorchAndEscapes()
{
    const auto mismatch =
        test::analyzeFile(m_session, test::fixturePath(QStringLiteral("batch_32_vs_64.h5")));
    QVERIFY(mismatch);
    QVERIFY(mismatch->hasErrors());
    const QString text = analysisToMarkdown(*mismatch);
    QString torch;
    for (const Diagnostic& d : mismatch->diagnostics)
        if (d.hasPytorchError())
            torch = d.pytorchError;
    QVERIFY(!torch.isEmpty());
    QVERIFY2(text.contains(QStringLiteral("PyTorch raises:\n\n```text\n") + torch +
                           QStringLiteral("\n```\n")),
             qPrintable(text));
    QVERIFY(text.contains(QLatin1String("### Error: batch-size-mismatch")));
    QVERIFY(text.contains(QLatin1String("not computed: ")));
    // The report says which torch release it speaks for, and why.
    QVERIFY(text.contains(QStringLiteral("- PyTorch: torch ") + newestTorch().toString() +
                          QStringLiteral(" (newest supported; the dump records no version)\n")));
    QVERIFY(!text.contains(QLatin1String("![")));
    // Cells with pipes and fixes with backtick fences stay intact.
    AnalysisResult odd = *mismatch;
    odd.pairs.front().input = QStringLiteral("a|b");
    odd.diagnostics.front().fix = QStringLiteral("```\nx = 1\n```");
    odd.diagnostics.front().versionNote =
        QStringLiteral("torch >= 2.9 accepts this; --torch says 1.13");
    const QString escaped = analysisToMarkdown(odd);
    QVERIFY(escaped.contains(
        QLatin1String("**Versions:** torch >= 2.9 accepts this; --torch says 1.13\n")));
    QVERIFY(escaped.contains(QLatin1String("| a\\|b |")));
    QVERIFY(escaped.contains(QLatin1String("````python\n```\nx = 1\n```\n````\n")));
}

void TestExport::dialogKeepsFormatAndSuffixTogether()
{
    ExportPlotDialog dialog;
    dialog.setPath(QStringLiteral("/tmp/plot.svg"));
    QCOMPARE(dialog.options().format, PlotFormat::Svg);
    auto* format = dialog.findChild<QComboBox*>(QStringLiteral("format"));
    QVERIFY(format);
    format->setCurrentIndex(format->findData(int(PlotFormat::Pdf)));
    Q_EMIT format->activated(format->currentIndex());
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/plot.pdf"));
    PlotExportOptions options;
    options.format = PlotFormat::Jpg;
    options.width = 640;
    options.height = 480;
    options.dpi = 300;
    dialog.setOptions(options);
    QCOMPARE(dialog.options().width, 640);
    QCOMPARE(dialog.options().dpi, 300.0);
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/plot.jpg"));
}

void TestExport::cliPlotsEveryKindAndFormat_data()
{
    QTest::addColumn<PlotKind>("kind");
    QTest::addColumn<PlotFormat>("format");
    for (PlotKind kind : kAllPlotKinds)
        for (PlotFormat format : {PlotFormat::Png, PlotFormat::Pdf, PlotFormat::Svg})
            QTest::addRow("%s %s", qPrintable(plotKindName(kind)),
                          qPrintable(plotFormatSuffix(format)))
                << kind << format;
}

void TestExport::cliPlotsEveryKindAndFormat()
{
    QFETCH(PlotKind, kind);
    QFETCH(PlotFormat, format);
    const QString out = m_dir.filePath(QStringLiteral("cli-") + plotKindName(kind) +
                                       QLatin1Char('.') + plotFormatSuffix(format));
    const Run run =
        runShapescope({QStringLiteral("plot"), test::examplePath(QStringLiteral("ragged_run.h5")),
                       QStringLiteral("--kind"), plotKindName(kind), QStringLiteral("-o"), out,
                       QStringLiteral("--width"), QStringLiteral("1000"),
                       QStringLiteral("--height"), QStringLiteral("600")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString problem = checkPlotFile(out, format, QSize(1000, 600));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestExport::cliPlotRejectsBadRequests_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString run = test::examplePath(QStringLiteral("ragged_run.h5"));
    QTest::addRow("unknown kind") << QStringList{run, "--kind", "pie", "-o", "x.png"}
                                  << "not one of per-sample";
    QTest::addRow("no output") << QStringList{run} << "needs an output file";
    QTest::addRow("unknown suffix") << QStringList{run, "-o", "x.gif"} << "suffix must be";
    QTest::addRow("bad width") << QStringList{run, "-o", "x.png", "--width", "wide"} << "--width";
    QTest::addRow("no such run") << QStringList{run, "-o", "x.png", "--run", "/epoch_#"}
                                 << "no run /epoch_#";
    QTest::addRow("over the dump") << QStringList{run, "-o", run} << "";
    QTest::addRow("nothing to plot")
        << QStringList{test::fixturePath("batch_32_vs_64.h5"), "-o", "x.png"} << "nothing to plot";
}

void TestExport::cliPlotRejectsBadRequests()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QByteArray before = sha(test::examplePath(QStringLiteral("ragged_run.h5")));
    const Run run = runShapescope(QStringList{QStringLiteral("plot")} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QCOMPARE(sha(test::examplePath(QStringLiteral("ragged_run.h5"))), before);
}

void TestExport::cliCheckWritesMarkdown()
{
    const QString out = m_dir.filePath(QStringLiteral("check.md"));
    const Run run =
        runShapescope({QStringLiteral("check"), test::examplePath(QStringLiteral("ragged_run.h5")),
                       QStringLiteral("--markdown"), out});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(run.out.contains("WARNING [ragged-batch]")); // the text report still goes to stdout
    const QString text = QString::fromUtf8(readAll(out));
    QVERIFY(text.contains(QLatin1String("### Warning: ragged-batch")));
    QVERIFY(text.contains(QLatin1String("(check-per-batch.png)")));
    QVERIFY(checkPlotFile(m_dir.filePath(QStringLiteral("check-per-batch.png")), PlotFormat::Png)
                .isEmpty());
    // Errors keep check's exit status, and the report is still written.
    const QString errors = m_dir.filePath(QStringLiteral("errors.md"));
    const Run failing = runShapescope({QStringLiteral("check"),
                                       test::fixturePath(QStringLiteral("batch_32_vs_64.h5")),
                                       QStringLiteral("--markdown"), errors});
    QCOMPARE(failing.exitCode, 1);
    QVERIFY(readAll(errors).contains("PyTorch raises:"));
}

// With --no-plot the report is core's alone: a platform no QApplication could start on does not
// matter, where the report with a plot needs one.
void TestExport::cliMarkdownWithoutPlotNeedsNoGui()
{
    const QString dump = test::examplePath(QStringLiteral("ragged_run.h5"));
    const QString out = m_dir.filePath(QStringLiteral("plain.md"));
    const QString noPlatform = QStringLiteral("no-such-platform");
    const Run run = runShapescope({QStringLiteral("check"), dump, QStringLiteral("--markdown"), out,
                                   QStringLiteral("--no-plot")},
                                  noPlatform);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString text = QString::fromUtf8(readAll(out));
    QVERIFY(text.startsWith(QLatin1String("# ShapeScope report: ragged_run.h5\n")));
    QVERIFY(text.contains(QLatin1String("### Warning: ragged-batch")));
    QVERIFY(!text.contains(QLatin1String(".png)")));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("plain-per-batch.png"))));
    // The control: drawing the plot needs the platform, so the same command with it fails.
    const QString withPlot = m_dir.filePath(QStringLiteral("drawn.md"));
    const Run drawn = runShapescope(
        {QStringLiteral("check"), dump, QStringLiteral("--markdown"), withPlot}, noPlatform);
    QVERIFY(drawn.exitCode != 0);
    QVERIFY(!QFile::exists(withPlot));
}

SHAPESCOPE_GUI_TEST_MAIN(TestExport)
#include "tst_export.moc"
