// SPDX-License-Identifier: GPL-3.0-or-later
// The texts the CLI, the reports and the GUI share: each has one implementation in core.
#include "analysis/diagnostic.h"
#include "analysis/lossspec.h"
#include "common/displaytext.h"
#include "tensor/tensorinfo.h"

#include <QTest>
#include <limits>

using namespace shapescope;

class TestDisplayText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapes_data();
    void shapes();
    void numbers_data();
    void numbers();
    void numberLists_data();
    void numberLists();
    void lossSettings_data();
    void lossSettings();
    void severities();
};

void TestDisplayText::shapes_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<QString>("text");
    QTest::addRow("matrix") << Shape{32, 10} << QStringLiteral("32 x 10");
    QTest::addRow("vector") << Shape{5} << QStringLiteral("5");
    QTest::addRow("scalar") << Shape{} << QStringLiteral("scalar");
    QTest::addRow("empty axis") << Shape{0, 3} << QStringLiteral("0 x 3");
}

void TestDisplayText::shapes()
{
    QFETCH(Shape, shape);
    QFETCH(QString, text);
    QCOMPARE(shapeToString(shape), text);
}

void TestDisplayText::numbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("digits");
    QTest::addColumn<QString>("text");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("nan") << std::numeric_limits<double>::quiet_NaN() << 5 << QStringLiteral("NaN");
    QTest::addRow("+inf") << inf << 5 << QStringLiteral("+Inf");
    QTest::addRow("-inf") << -inf << 6 << QStringLiteral("-Inf");
    QTest::addRow("five digits") << 2.302585093 << 5 << QStringLiteral("2.3026");
    QTest::addRow("six digits") << 2.302585093 << 6 << QStringLiteral("2.30259");
}

void TestDisplayText::numbers()
{
    QFETCH(double, value);
    QFETCH(int, digits);
    QFETCH(QString, text);
    QCOMPARE(numberText(value, digits), text);
}

void TestDisplayText::numberLists_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<std::vector<double>>("values");
    QTest::addRow("commas") << QStringLiteral("1,2.5,3") << true << std::vector<double>{1, 2.5, 3};
    QTest::addRow("commas and spaces")
        << QStringLiteral(" 1, 2.5  3 ") << true << std::vector<double>{1, 2.5, 3};
    QTest::addRow("exponent") << QStringLiteral("1e-3") << true << std::vector<double>{1e-3};
    QTest::addRow("empty") << QString() << true << std::vector<double>{};
    QTest::addRow("a word") << QStringLiteral("1, two") << false << std::vector<double>{};
    QTest::addRow("a tensor path")
        << QStringLiteral("/class_weight") << false << std::vector<double>{};
}

void TestDisplayText::numberLists()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(std::vector<double>, values);
    const Expected<std::vector<double>> parsed = parseNumberList(text);
    QCOMPARE(parsed.ok(), ok);
    if (ok)
        QCOMPARE(*parsed, values);
    else
        QVERIFY2(parsed.error().contains(QLatin1String("is not a number")),
                 qPrintable(parsed.error()));
}

void TestDisplayText::lossSettings_data()
{
    QTest::addColumn<LossSpec>("spec");
    QTest::addColumn<QString>("text");
    QTest::addRow("defaults") << LossSpec{} << QStringLiteral("nn.CrossEntropyLoss()");
    LossSpec segmentation;
    segmentation.ignoreIndex = 255;
    segmentation.labelSmoothing = 0.1;
    QTest::addRow("ignore index")
        << segmentation
        << QStringLiteral("nn.CrossEntropyLoss(ignore_index=255, label_smoothing=0.1)");
    LossSpec bce;
    bce.kind = LossKind::Bce;
    bce.ignoreIndex = 7; // not a BCE argument: not shown
    bce.posWeight = {2, 0.5};
    QTest::addRow("bce") << bce
                         << QStringLiteral(
                                "nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2, 0.5]))");
    LossSpec weighted;
    weighted.kind = LossKind::Nll;
    weighted.weightTensor = QStringLiteral("/w");
    weighted.classDim = 2;
    QTest::addRow("weight tensor, class axis")
        << weighted << QStringLiteral("nn.NLLLoss(weight=/w), class axis 2");
}

void TestDisplayText::lossSettings()
{
    QFETCH(LossSpec, spec);
    QFETCH(QString, text);
    QCOMPARE(lossSpecText(spec), text);
}

void TestDisplayText::severities()
{
    QCOMPARE(severityTitle(Severity::Error), QStringLiteral("Error"));
    QCOMPARE(severityTitle(Severity::Warning), QStringLiteral("Warning"));
    QCOMPARE(severityTitle(Severity::Info), QStringLiteral("Info"));
    QCOMPARE(severityName(Severity::Warning), QStringLiteral("warning"));
}

QTEST_GUILESS_MAIN(TestDisplayText)
#include "tst_displaytext.moc"
