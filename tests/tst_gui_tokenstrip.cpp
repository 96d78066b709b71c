// SPDX-License-Identifier: GPL-3.0-or-later
// The per-token strip of the Losses tab, fed by Session::elementLosses in this process and over
// the worker protocol, against torch's reduction='none' output (tests/data/perelement).
#include "analysis/analyzer.h"
#include "common/theme.h"
#include "formats/dumpreader.h"
#include "losses/lossplotspage.h"
#include "losses/sampleinspector.h"
#include "losses/tokenlossmodel.h"
#include "losses/tokenlossstrip.h"
#include "session/sessionfactory.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <cmath>

using namespace shapescope;

namespace {

// torch's reduction='none' output of a perelement case, row by row (one row per sample).
std::vector<std::vector<double>> torchRows(const QString& name)
{
    Expected<std::unique_ptr<DumpReader>> reader =
        openDump(QFINDTESTDATA("data/perelement/" + name + "_expected.npy"));
    if (!reader)
        return {};
    const Shape shape = (*reader)->tensors()[0].shape;
    std::vector<std::vector<double>> rows(size_t(shape.at(0)));
    for (auto& row : rows)
        row.resize(size_t(shape.at(1)));
    for (qint64 r = 0; r < shape[0]; ++r) {
        if (!(*reader)->readRows(0, r, 1, DType::Float64, rows[size_t(r)].data()))
            return {};
    }
    return rows;
}

} // namespace

class TestGuiTokenStrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheSelectedSample_data();
    void followsTheSelectedSample();
    void otherPairsAreNotTokens();
    // Not a check: with SHAPESCOPE_SCREENSHOT_DIR set, saves the Losses tab at 1024 x 700 with
    // the strip of a (B, T, V) fixture, light and dark, for people to look at.
    void screenshots();
};

void TestGuiTokenStrip::followsTheSelectedSample_data()
{
    QTest::addColumn<bool>("isolated");
    QTest::addColumn<QString>("name");
    QTest::addRow("in process, (B, T, V)") << false << QStringLiteral("ce_sequence_btv");
    QTest::addRow("in process, (B, V, T)") << false << QStringLiteral("ce_sequence_bvt");
    QTest::addRow("worker, (B, T, V)") << true << QStringLiteral("ce_sequence_btv");
}

void TestGuiTokenStrip::followsTheSelectedSample()
{
    QFETCH(bool, isolated);
    QFETCH(QString, name);
    SessionOptions options;
    options.isolated = isolated;
    options.workerProgram = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    Expected<std::unique_ptr<Session>> created = createSession(options);
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    std::shared_ptr<Session> session = std::move(*created);
    const QString dump = QFINDTESTDATA("data/perelement/" + name + ".npz");
    AnalyzeRequest request{dump, {}};
    request.options.spec.kind = LossKind::CrossEntropy;
    Expected<AnalysisResult> analysed = session->analyze(request, {});
    QVERIFY2(analysed, qPrintable(analysed ? QString() : analysed.error()));
    auto result = std::make_shared<const AnalysisResult>(std::move(*analysed));
    QCOMPARE(result->pairs.size(), size_t(1));
    QVERIFY(TokenLossStrip::isTokenPair(*result, 0));
    const std::vector<std::vector<double>> torch = torchRows(name);
    QCOMPARE(torch.size(), size_t(2));

    TokenLossStrip strip;
    QAbstractItemModelTester tester(strip.model());
    strip.setSource(session, dump, result);
    QSignalSpy loaded(&strip, &TokenLossStrip::loaded);
    QStringList firstRows;
    for (qint64 sample : {0, 1}) {
        strip.showSample(0, sample);
        QTRY_COMPARE(loaded.count(), int(sample) + 1);
        QCOMPARE(loaded.last().at(1).toLongLong(), sample);
        const std::vector<double>& expected = torch[size_t(sample)];
        QCOMPARE(strip.model()->rowCount(), int(expected.size()));
        double previous = INFINITY;
        QStringList rows;
        for (int row = 0; row < strip.model()->rowCount(); ++row) {
            const QModelIndex index = strip.model()->index(row, TokenLossModel::LossColumn);
            const double loss = index.data(TokenLossModel::LossRole).toDouble();
            const qint64 token = index.data(TokenLossModel::PositionRole).toLongLong();
            QVERIFY(loss <= previous); // highest first
            previous = loss;
            QVERIFY2(std::abs(loss - expected[size_t(token)]) <=
                         1e-5 * std::abs(expected[size_t(token)]) + 1e-7,
                     qPrintable(QStringLiteral("token %1: %2, torch %3")
                                    .arg(token)
                                    .arg(loss)
                                    .arg(expected[size_t(token)])));
            rows << QString::number(token) + QLatin1Char('=') + index.data().toString();
        }
        if (sample == 0)
            firstRows = rows;
        else
            QVERIFY(rows != firstRows); // another sample, other tokens
    }
    QVERIFY(strip.isEnabled());
}

void TestGuiTokenStrip::otherPairsAreNotTokens()
{
    // A segmentation pair's samples are maps, not token sequences: the strip stays empty.
    SessionOptions options;
    options.isolated = false;
    Expected<std::unique_ptr<Session>> created = createSession(options);
    QVERIFY(created);
    std::shared_ptr<Session> session = std::move(*created);
    const QString dump = QFINDTESTDATA("data/perelement/ce_segmentation.npz");
    AnalyzeRequest request{dump, {}};
    Expected<AnalysisResult> analysed = session->analyze(request, {});
    QVERIFY(analysed);
    auto result = std::make_shared<const AnalysisResult>(std::move(*analysed));
    QVERIFY(!TokenLossStrip::isTokenPair(*result, 0));
    TokenLossStrip strip;
    strip.setSource(session, dump, result);
    strip.showSample(0, 1);
    QVERIFY(!strip.isLoading());
    QVERIFY(!strip.isEnabled());
    QCOMPARE(strip.model()->rowCount(), 0);
}

void TestGuiTokenStrip::screenshots()
{
    const QString dir = qEnvironmentVariable("SHAPESCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("SHAPESCOPE_SCREENSHOT_DIR is not set");
    SessionOptions options;
    options.isolated = false;
    Expected<std::unique_ptr<Session>> created = createSession(options);
    QVERIFY(created);
    std::shared_ptr<Session> session = std::move(*created);
    const QString dump = QFINDTESTDATA("data/sequence/lm_class_last_padded.h5");
    Expected<AnalysisResult> analysed = session->analyze(AnalyzeRequest{dump, {}}, {});
    QVERIFY(analysed);
    auto result = std::make_shared<const AnalysisResult>(std::move(*analysed));
    for (Theme theme : {Theme::Light, Theme::Dark}) {
        applyTheme(theme);
        LossPlotsPage page;
        page.resize(1024, 700);
        page.setSession(session);
        page.setResult(result, dump);
        page.show();
        QSignalSpy loaded(page.tokenStrip(), &TokenLossStrip::loaded);
        QSignalSpy shown(page.inspector(), &SampleInspector::detailShown);
        page.showSample(0, 1);
        QTRY_COMPARE(loaded.count(), 1);
        QTRY_COMPARE(shown.count(), 1);
        QVERIFY(page.grab().save(dir + "/tokenstrip-" + themeName(theme) + ".png"));
    }
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestGuiTokenStrip test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_gui_tokenstrip.moc"
