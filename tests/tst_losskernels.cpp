// SPDX-License-Identifier: GPL-3.0-or-later
// The loss kernels against PyTorch 1.13.1's own values (tests/data/gen_losses.py), on every
// SIMD target this CPU supports, and split into sub-blocks the way the engine splits rows.

#include "analysis/kernels/kerneltargets.h"
#include "analysis/losskernels.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace shapescope;

namespace {

// |ours - torch64| <= 1e-5 |torch64| + 1e-12. torch64 (the float32 input evaluated in float64) is
// exact to ~1e-15, so this is the 1e-5 relative promise for every loss above ~1e-7; below, the
// floor absorbs what neither side can resolve (torch64's own log(1 + 1e-14), float32 subnormals
// of exp(-100)). The kernels measure ~1e-7: float32 exp/log1p (1-4 ulp) and float32 x - max.
constexpr double kRelTol = 1e-5;
constexpr double kAbsTol64 = 1e-12;
// torch's float32 result carries float32 roundings and cancellations of its own (its
// log_softmax output is rounded to float32; BCE's -20 + 20 + 2e-9 gives 0): same relative
// tolerance, absolute floor of a few float32 ulps of 1.
constexpr double kAbsTol32 = 1e-6;

double decode(const QJsonValue& v)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("nan"))
            return std::numeric_limits<double>::quiet_NaN();
        return s.startsWith(QLatin1Char('-')) ? -std::numeric_limits<double>::infinity()
                                              : std::numeric_limits<double>::infinity();
    }
    return v.toDouble();
}

std::vector<double> decodeArray(const QJsonValue& v)
{
    std::vector<double> out;
    for (const QJsonValue& e : v.toArray())
        out.push_back(decode(e));
    return out;
}

bool close(double ours, double expected, double absTol)
{
    if (std::isnan(expected) || std::isinf(expected))
        return std::isnan(expected) ? std::isnan(ours) : ours == expected;
    return std::abs(ours - expected) <= kRelTol * std::abs(expected) + absTol;
}

double relativeError(double ours, double expected)
{
    if (!std::isfinite(expected) || std::abs(expected) < 1e-7)
        return 0.0; // non-finite: compared exactly; vanishing: covered by the absolute floor
    return std::abs(ours - expected) / std::abs(expected);
}

struct Outputs
{
    std::vector<double> loss, weight, logProbTarget;
    std::vector<qint32> predicted;

    explicit Outputs(qint64 n) : loss(n), weight(n), logProbTarget(n), predicted(n) {}
    PositionOutputs at(qint64 p)
    {
        return {loss.data() + p, weight.data() + p, predicted.data() + p, logProbTarget.data() + p};
    }
};

// One fixture case, ready to run on any row range [o0, o1) of its outer axis.
struct Case
{
    QJsonObject json;
    QString loss;
    qint64 outer = 0, classes = 0, inner = 1;
    std::vector<float> input32, target32;
    std::vector<double> input64, target64, weight, posWeight;
    std::vector<qint64> labels;
    ClassIndexOptions classIndex;

    explicit Case(const QJsonObject& object) : json(object)
    {
        loss = json[QLatin1String("loss")].toString();
        outer = json[QLatin1String("outer")].toInteger();
        classes = json[QLatin1String("classes")].toInteger();
        inner = json[QLatin1String("inner")].toInteger();
        input64 = decodeArray(json[QLatin1String("input")]);
        input32.assign(input64.begin(), input64.end());
        weight = decodeArray(json[QLatin1String("weight")]);
        posWeight = decodeArray(json[QLatin1String("posWeight")]);
        if (loss == QLatin1String("cross_entropy") || loss == QLatin1String("nll")) {
            for (const QJsonValue& v : json[QLatin1String("target")].toArray())
                labels.push_back(v.toInteger());
            classIndex.weight = weight.empty() ? nullptr : weight.data();
            classIndex.ignoreIndex = json[QLatin1String("ignoreIndex")].toInteger();
            classIndex.labelSmoothing = json[QLatin1String("labelSmoothing")].toDouble();
            classIndex.inputIsLogProbabilities = loss == QLatin1String("nll");
        } else {
            target64 = decodeArray(json[QLatin1String("target")]);
            target32.assign(target64.begin(), target64.end());
        }
    }

    bool isFloat32() const
    {
        return json[QLatin1String("dtype")].toString() == QLatin1String("float32");
    }

    template <typename T>
    void runTyped(const std::vector<T>& input, const std::vector<T>& target, qint64 o0, qint64 o1,
                  Outputs& out) const
    {
        const qint64 elementOffset = o0 * classes * inner;
        const qint64 positionOffset = o0 * inner;
        const ClassBlock<T> block{input.data() + elementOffset, o1 - o0, classes, inner};
        if (!labels.empty()) {
            classIndexLoss(block, labels.data() + positionOffset, classIndex,
                           out.at(positionOffset));
        } else if (loss == QLatin1String("probability")) {
            ProbabilityOptions options;
            options.weight = weight.empty() ? nullptr : weight.data();
            options.labelSmoothing = json[QLatin1String("labelSmoothing")].toDouble();
            probabilityLoss(block, target.data() + elementOffset, options, out.at(positionOffset));
        } else {
            BceOptions options;
            options.weight = weight.empty() ? nullptr : weight.data();
            options.posWeight = posWeight.empty() ? nullptr : posWeight.data();
            bceWithLogitsLoss(block, target.data() + elementOffset, options,
                              out.at(positionOffset));
        }
    }

    void run(qint64 o0, qint64 o1, Outputs& out) const
    {
        if (isFloat32())
            runTyped(input32, target32, o0, o1, out);
        else
            runTyped(input64, target64, o0, o1, out);
    }
};

bool sameBits(const void* a, const void* b, size_t bytes)
{
    return std::memcmp(a, b, bytes) == 0;
}

} // namespace

class TestLossKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void matchesTorch_data();
    void matchesTorch();
    void matchesEveryTorch_data();
    void matchesEveryTorch();
    void splitIsBitIdentical_data();
    void splitIsBitIdentical();
    void degenerateBlocks();

private:
    std::vector<Case> m_cases;
    QJsonObject m_byTorch; // data/losses/by_torch.json: the other torches' values
    // Largest relative error per case family ("ce_kdim", "bce_posweight", ...) and target.
    QMap<QString, std::pair<double, double>> m_worst;
};

void TestLossKernels::initTestCase()
{
    QFile file(QFINDTESTDATA("data/losses/cases.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "run tests/data/generate.py gen_losses");
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const QJsonValue& c : root[QLatin1String("cases")].toArray())
        m_cases.emplace_back(c.toObject());
    QVERIFY(m_cases.size() > 50);
    QFile other(QFINDTESTDATA("data/losses/by_torch.json"));
    QVERIFY2(other.open(QIODevice::ReadOnly), "run tests/data/generate.py gen_losses");
    m_byTorch = QJsonDocument::fromJson(other.readAll()).object();
    QVERIFY(!m_byTorch.isEmpty());
    QVERIFY(!kernels::availableKernelTargets().empty());
}

void TestLossKernels::cleanup()
{
    kernels::forceKernelTarget(0);
}

void TestLossKernels::cleanupTestCase()
{
    for (auto it = m_worst.cbegin(); it != m_worst.cend(); ++it)
        qInfo("%-32s max rel. error vs torch64 %.2e, vs torch32 %.2e", qPrintable(it.key()),
              it->first, it->second);
}

void TestLossKernels::matchesTorch_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<int>("index");
    for (const auto& target : kernels::availableKernelTargets())
        for (size_t i = 0; i < m_cases.size(); ++i)
            QTest::addRow("%s/%s", target.name,
                          qPrintable(m_cases[i].json[QLatin1String("name")].toString()))
                << target.bits << int(i);
}

void TestLossKernels::matchesTorch()
{
    QFETCH(qint64, target);
    QFETCH(int, index);
    kernels::forceKernelTarget(target);
    const Case& c = m_cases[size_t(index)];
    const qint64 positions = c.outer * c.inner;
    Outputs out(positions);
    c.run(0, c.outer, out);

    const std::vector<double> torch64 = decodeArray(c.json[QLatin1String("torch64")]);
    const std::vector<double> torch32 = decodeArray(c.json[QLatin1String("torch32")]);
    const std::vector<double> weight = decodeArray(c.json[QLatin1String("expectedWeight")]);
    const std::vector<double> logProb = decodeArray(c.json[QLatin1String("logProbTarget")]);
    const QJsonArray predicted = c.json[QLatin1String("predicted")].toArray();
    QCOMPARE(qint64(torch64.size()), positions);
    const QString name = c.json[QLatin1String("name")].toString();
    const QString family =
        name.section(QLatin1Char('_'), 0, 1) + QLatin1Char('/') +
        QString::fromLatin1(QTest::currentDataTag()).section(QLatin1Char('/'), 0, 0);
    auto& worst = m_worst[family];
    for (qint64 p = 0; p < positions; ++p) {
        const QByteArray where = "position " + QByteArray::number(p) + ": ours " +
                                 QByteArray::number(out.loss[p], 'g', 17) + ", torch64 " +
                                 QByteArray::number(torch64[p], 'g', 17);
        QVERIFY2(close(out.loss[p], torch64[p], kAbsTol64), where.constData());
        worst.first = std::max(worst.first, relativeError(out.loss[p], torch64[p]));
        if (!torch32.empty()) {
            const QByteArray where32 =
                where + ", torch32 " + QByteArray::number(torch32[p], 'g', 9);
            QVERIFY2(close(out.loss[p], torch32[p], kAbsTol32), where32.constData());
            worst.second = std::max(worst.second, relativeError(out.loss[p], torch32[p]));
        }
        QCOMPARE(out.weight[p], weight[p]);
        QCOMPARE(out.predicted[p], qint32(predicted[int(p)].toInteger()));
        if (!logProb.empty())
            QVERIFY2(close(out.logProbTarget[p], logProb[size_t(p)], kAbsTol64), where.constData());
        else
            QVERIFY(std::isnan(out.logProbTarget[p]));
    }
}

// The same cases against every other torch the generator ran (torch 2.x beside cases.json's
// 1.13), with the kernel the machine picks.
void TestLossKernels::matchesEveryTorch_data()
{
    QTest::addColumn<QString>("torch");
    QTest::addColumn<int>("index");
    for (const QString& torch : m_byTorch.keys())
        for (size_t i = 0; i < m_cases.size(); ++i)
            QTest::addRow("torch %s/%s", qPrintable(torch),
                          qPrintable(m_cases[i].json[QLatin1String("name")].toString()))
                << torch << int(i);
}

void TestLossKernels::matchesEveryTorch()
{
    QFETCH(QString, torch);
    QFETCH(int, index);
    const Case& c = m_cases[size_t(index)];
    const QJsonObject values =
        m_byTorch[torch].toObject()[c.json[QLatin1String("name")].toString()].toObject();
    const std::vector<double> torch64 = decodeArray(values[QLatin1String("torch64")]);
    const std::vector<double> torch32 = decodeArray(values[QLatin1String("torch32")]);
    const qint64 positions = c.outer * c.inner;
    QCOMPARE(qint64(torch64.size()), positions);
    Outputs out(positions);
    c.run(0, c.outer, out);
    for (qint64 p = 0; p < positions; ++p) {
        const QByteArray where = "position " + QByteArray::number(p) + ": ours " +
                                 QByteArray::number(out.loss[p], 'g', 17) + ", torch64 " +
                                 QByteArray::number(torch64[p], 'g', 17);
        QVERIFY2(close(out.loss[p], torch64[p], kAbsTol64), where.constData());
        if (!torch32.empty()) {
            const QByteArray where32 =
                where + ", torch32 " + QByteArray::number(torch32[p], 'g', 9);
            QVERIFY2(close(out.loss[p], torch32[p], kAbsTol32), where32.constData());
        }
    }
}

void TestLossKernels::splitIsBitIdentical_data()
{
    QTest::addColumn<int>("index");
    for (size_t i = 0; i < m_cases.size(); ++i)
        if (m_cases[i].outer >= 3)
            QTest::addRow("%s", qPrintable(m_cases[i].json[QLatin1String("name")].toString()))
                << int(i);
}

// The engine hands each thread a range of outer rows; results must not depend on the ranges.
void TestLossKernels::splitIsBitIdentical()
{
    QFETCH(int, index);
    const Case& c = m_cases[size_t(index)];
    const qint64 positions = c.outer * c.inner;
    Outputs whole(positions);
    c.run(0, c.outer, whole);
    const std::vector<std::vector<qint64>> splits = {{0, 1, c.outer},
                                                     {0, c.outer / 3, c.outer / 3 + 1, c.outer},
                                                     {0, c.outer - 1, c.outer},
                                                     {0, 1, 2, c.outer / 2, c.outer}};
    for (const auto& cuts : splits) {
        Outputs parts(positions);
        for (size_t k = 0; k + 1 < cuts.size(); ++k)
            c.run(cuts[k], cuts[k + 1], parts);
        QVERIFY(sameBits(whole.loss.data(), parts.loss.data(), sizeof(double) * positions));
        QVERIFY(sameBits(whole.weight.data(), parts.weight.data(), sizeof(double) * positions));
        QVERIFY(sameBits(whole.logProbTarget.data(), parts.logProbTarget.data(),
                         sizeof(double) * positions));
        QVERIFY(whole.predicted == parts.predicted);
    }
}

// No positions, no classes (torch rejects C = 0: NaN, or 0 where ignored), and outputs left
// null: nothing is written through them.
void TestLossKernels::degenerateBlocks()
{
    const float x[4] = {1.0f, 2.0f, 3.0f, 4.0f};
    const qint64 labels[4] = {0, -100, 1, 2};
    double loss[4] = {7, 7, 7, 7}, weight[4] = {7, 7, 7, 7};
    qint32 predicted[4] = {7, 7, 7, 7};
    classIndexLoss(ClassBlock<float>{x, 0, 4, 1}, labels, {}, {loss, weight, predicted});
    QCOMPARE(loss[0], 7.0);

    classIndexLoss(ClassBlock<float>{x, 4, 0, 1}, labels, {}, {loss, weight, predicted});
    QVERIFY(std::isnan(loss[0]) && loss[1] == 0.0 && std::isnan(loss[2]));
    QCOMPARE(weight[0], 0.0);
    QCOMPARE(predicted[0], -1);
    bceWithLogitsLoss(ClassBlock<float>{x, 4, 0, 1}, x, {}, {loss});
    QVERIFY(std::isnan(loss[3]));

    // Only the loss requested: (2, 2) rows [1, 2] and [3, 4] with targets 0 and ignored.
    classIndexLoss(ClassBlock<float>{x, 2, 2, 1}, labels, {}, {loss});
    QVERIFY(close(loss[0], std::log1p(std::exp(1.0)), kAbsTol64));
    QCOMPARE(loss[1], 0.0);
    QCOMPARE(weight[0], 0.0); // untouched since the C = 0 call
}

QTEST_GUILESS_MAIN(TestLossKernels)
#include "tst_losskernels.moc"
