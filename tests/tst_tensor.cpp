// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/naturalsort.h"
#include "tensor/dtype.h"
#include "tensor/elementconvert.h"
#include "tensor/slab.h"
#include "tensor/tensorinfo.h"

#include <QFloat16>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

using namespace shapescope;

class TestTensor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dtypeNames_data();
    void dtypeNames();
    void convertToFloat64_data();
    void convertToFloat64();
    void floatToIntegerSaturates();
    void bigEndianSwaps();
    void float16RoundTrip();
    void elementCountOverflow();
    void slabValidation_data();
    void slabValidation();
    void naturalOrder_data();
    void naturalOrder();
};

void TestTensor::dtypeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("size");
    const std::pair<const char*, int> cases[] = {{"bool", 1},    {"int8", 1},    {"int16", 2},
                                                 {"int32", 4},   {"int64", 8},   {"uint8", 1},
                                                 {"uint16", 2},  {"uint32", 4},  {"uint64", 8},
                                                 {"float16", 2}, {"float32", 4}, {"float64", 8}};
    for (const auto& [name, size] : cases)
        QTest::addRow("%s", name) << QString::fromLatin1(name) << size;
}

void TestTensor::dtypeNames()
{
    QFETCH(QString, name);
    QFETCH(int, size);
    const auto type = dtypeFromName(name);
    QVERIFY(type.has_value());
    QCOMPARE(dtypeName(*type), name);
    QCOMPARE(dtypeSize(*type), size);
    QVERIFY(!dtypeFromName(QStringLiteral("object")).has_value());
}

void TestTensor::convertToFloat64_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<double>("expected");
    auto raw = [](auto v) { return QByteArray(reinterpret_cast<const char*>(&v), sizeof(v)); };
    QTest::addRow("bool true") << "bool" << QByteArray("\x07", 1) << 1.0;
    QTest::addRow("bool false") << "bool" << QByteArray("\x00", 1) << 0.0;
    QTest::addRow("int8") << "int8" << raw(std::int8_t(-7)) << -7.0;
    QTest::addRow("int16") << "int16" << raw(std::int16_t(-300)) << -300.0;
    QTest::addRow("int32") << "int32" << raw(std::int32_t(-70000)) << -70000.0;
    QTest::addRow("int64") << "int64" << raw(std::int64_t(-5000000000LL)) << -5e9;
    QTest::addRow("uint8") << "uint8" << raw(std::uint8_t(255)) << 255.0;
    QTest::addRow("uint16") << "uint16" << raw(std::uint16_t(65535)) << 65535.0;
    QTest::addRow("uint32") << "uint32" << raw(std::uint32_t(4000000000U)) << 4e9;
    QTest::addRow("uint64") << "uint64" << raw(std::uint64_t(1ULL << 40)) << std::ldexp(1.0, 40);
    QTest::addRow("float16") << "float16" << raw(qfloat16(1.5f)) << 1.5;
    QTest::addRow("float32") << "float32" << raw(0.25f) << 0.25;
    QTest::addRow("float64") << "float64" << raw(-2.5) << -2.5;
}

void TestTensor::convertToFloat64()
{
    QFETCH(QString, from);
    QFETCH(QByteArray, bytes);
    QFETCH(double, expected);
    double out = -1;
    convertElements(bytes.constData(), *dtypeFromName(from), nativeByteOrder(), &out,
                    DType::Float64, 1);
    QCOMPARE(out, expected);
}

void TestTensor::floatToIntegerSaturates()
{
    const double in[] = {1e30, -1e30, std::nan(""), 3.9, -3.9};
    std::int64_t out[5];
    convertElements(in, DType::Float64, nativeByteOrder(), out, DType::Int64, 5);
    QCOMPARE(out[0], std::numeric_limits<std::int64_t>::max());
    QCOMPARE(out[1], std::numeric_limits<std::int64_t>::min());
    QCOMPARE(out[2], std::int64_t(0));
    QCOMPARE(out[3], std::int64_t(3));
    QCOMPARE(out[4], std::int64_t(-3));
}

void TestTensor::bigEndianSwaps()
{
    const unsigned char be[] = {0x00, 0x00, 0x01, 0x02, 0x3f, 0x80, 0x00, 0x00};
    std::int64_t ints[1];
    convertElements(be, DType::Int32, ByteOrder::Big, ints, DType::Int64, 1);
    QCOMPARE(ints[0], std::int64_t(258));
    float f = 0;
    convertElements(be + 4, DType::Float32, ByteOrder::Big, &f, DType::Float32, 1);
    QCOMPARE(f, 1.0f);
}

void TestTensor::float16RoundTrip()
{
    const float in[] = {65504.0f, -0.5f, std::numeric_limits<float>::infinity()};
    qfloat16 half[3];
    convertElements(in, DType::Float32, nativeByteOrder(), half, DType::Float16, 3);
    float back[3];
    convertElements(half, DType::Float16, nativeByteOrder(), back, DType::Float32, 3);
    QCOMPARE(back[0], 65504.0f);
    QCOMPARE(back[1], -0.5f);
    QVERIFY(std::isinf(back[2]));
}

void TestTensor::elementCountOverflow()
{
    QCOMPARE(checkedElementCount({}), qint64(1));
    QCOMPARE(checkedElementCount({3, 0, 5}), qint64(0));
    QCOMPARE(checkedElementCount({1LL << 40, 1LL << 40}), qint64(-1));
    QCOMPARE(checkedElementCount({-1}), qint64(-1));
}

void TestTensor::slabValidation_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Shape>("start");
    QTest::addColumn<Shape>("count");
    QTest::addColumn<bool>("valid");
    QTest::addRow("whole") << Shape{4, 3} << Shape{0, 0} << Shape{4, 3} << true;
    QTest::addRow("empty at end") << Shape{4, 3} << Shape{4, 0} << Shape{0, 3} << true;
    QTest::addRow("past end") << Shape{4, 3} << Shape{2, 0} << Shape{3, 3} << false;
    QTest::addRow("negative") << Shape{4, 3} << Shape{-1, 0} << Shape{1, 3} << false;
    QTest::addRow("rank") << Shape{4, 3} << Shape{0} << Shape{4} << false;
    QTest::addRow("scalar") << Shape{} << Shape{} << Shape{} << true;
}

void TestTensor::slabValidation()
{
    QFETCH(Shape, shape);
    QFETCH(Shape, start);
    QFETCH(Shape, count);
    QFETCH(bool, valid);
    QCOMPARE(validateSlab(shape, Slab{start, count}).ok(), valid);
}

void TestTensor::naturalOrder_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("less");
    QTest::addRow("2 < 10") << "batch_2"
                            << "batch_10" << true;
    QTest::addRow("10 > 2") << "batch_10"
                            << "batch_2" << false;
    QTest::addRow("zero padded") << "step_0009"
                                 << "step_00010" << true;
    QTest::addRow("same value, fewer zeros first") << "a01"
                                                   << "a1" << true;
    QTest::addRow("case folded") << "Batch_1"
                                 << "batch_2" << true;
    QTest::addRow("prefix") << "batch"
                            << "batch_1" << true;
    QTest::addRow("equal") << "x"
                           << "x" << false;
    QTest::addRow("nested") << "epoch_3/iter_17"
                            << "epoch_10/iter_2" << true;
}

void TestTensor::naturalOrder()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, less);
    QCOMPARE(naturalLess(a, b), less);
}

QTEST_GUILESS_MAIN(TestTensor)
#include "tst_tensor.moc"
