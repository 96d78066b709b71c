// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/dumpreader.h"
#include "formats/torchpickle.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>

using namespace shapescope;

// tests/data/torchsave/expected.json: what torch.load gives for each torch.save fixture (torch
// 1.13 and 2.x), or the refusal a hostile or unsupported file must get.
namespace {

QString dataDir()
{
    return QFINDTESTDATA(QStringLiteral("data/torchsave/expected.json")).section(u'/', 0, -2);
}

QJsonArray fixtures()
{
    QFile file(dataDir() + QStringLiteral("/expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"fixtures").toArray();
}

double jsonNumber(const QJsonValue& value)
{
    if (value.isString()) {
        const QString text = value.toString();
        if (text == u"nan")
            return std::nan("");
        return text == u"inf" ? INFINITY : -INFINITY;
    }
    return value.toDouble();
}

QString attributeValue(const std::vector<Attribute>& attributes, const QString& name)
{
    for (const Attribute& attribute : attributes) {
        if (attribute.name == name)
            return attribute.value;
    }
    return QStringLiteral("<missing>");
}

} // namespace

class TestTorchSave : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data();
    void table();
    void refused_data();
    void refused();
    void sniffed_data();
    void sniffed();
    void unpicklerLimits_data();
    void unpicklerLimits();
    void objectLimit();
};

void TestTorchSave::table_data()
{
    QTest::addColumn<QJsonObject>("fixture");
    for (const QJsonValue& value : fixtures()) {
        const QJsonObject fixture = value.toObject();
        if (!fixture.contains(u"error"))
            QTest::addRow("%s", qPrintable(fixture.value(u"file").toString())) << fixture;
    }
}

// Every tensor with torch's shape, dtype, view-ness and values (read whole through strides and
// offsets, and row by row), every scalar as an attribute of its group, and the unanalysed
// dtypes as notes.
void TestTorchSave::table()
{
    QFETCH(QJsonObject, fixture);
    auto reader = openDump(dataDir() + u'/' + fixture.value(u"file").toString());
    QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
    QCOMPARE((*reader)->format(), DumpFormat::TorchSave);
    const QJsonArray tensors = fixture.value(u"tensors").toArray();
    QCOMPARE(int((*reader)->tensors().size()), tensors.size());
    for (const QJsonValue& value : tensors) {
        const QJsonObject expected = value.toObject();
        const QString path = expected.value(u"path").toString();
        const int index = (*reader)->indexOf(path);
        QVERIFY2(index >= 0, qPrintable(path));
        const TensorInfo& info = (*reader)->tensors()[size_t(index)];
        QCOMPARE(info.name, expected.value(u"name").toString());
        QCOMPARE(info.group, expected.value(u"group").toString());
        QCOMPARE(dtypeName(info.dtype), expected.value(u"dtype").toString());
        Shape shape;
        for (const QJsonValue& d : expected.value(u"shape").toArray())
            shape.push_back(d.toInteger());
        QCOMPARE(info.shape, shape);
        QCOMPARE(info.storage.contains(u"view"), expected.value(u"view").toBool());
        if (!expected.contains(u"values"))
            continue;
        const QJsonArray values = expected.value(u"values").toArray();
        std::vector<double> got(size_t(info.elementCount()));
        const Status read =
            (*reader)->readSlab(index, Slab::whole(info.shape), DType::Float64, got.data());
        QVERIFY2(read.ok(), qPrintable(read.error()));
        for (qsizetype i = 0; i < values.size(); ++i) {
            const double want = jsonNumber(values[i]);
            if (std::isnan(want))
                QVERIFY(std::isnan(got[size_t(i)]));
            else
                QCOMPARE(got[size_t(i)], want);
        }
        // The last row alone, through the same strides.
        if (!info.shape.empty() && info.rowCount() > 1) {
            std::vector<double> row(size_t(info.rowElements()));
            QVERIFY((*reader)->readRows(index, info.rowCount() - 1, 1, DType::Float64, row.data()));
            const qsizetype first = (info.rowCount() - 1) * info.rowElements();
            for (size_t i = 0; i < row.size(); ++i)
                QCOMPARE(row[i], jsonNumber(values[first + qsizetype(i)]));
        }
    }
    const QJsonObject groups = fixture.value(u"attributes").toObject();
    for (auto group = groups.begin(); group != groups.end(); ++group) {
        const auto found = std::find_if((*reader)->groups().begin(), (*reader)->groups().end(),
                                        [&](const GroupInfo& g) { return g.path == group.key(); });
        QVERIFY2(found != (*reader)->groups().end(), qPrintable(group.key()));
        const QJsonObject attributes = group.value().toObject();
        for (auto a = attributes.begin(); a != attributes.end(); ++a)
            QCOMPARE(attributeValue(found->attributes, a.key()), a.value().toString());
    }
    // Complex and quantized tensors are listed objects, not read (expected.json counts them).
    QCOMPARE((*reader)->notes().size() + qsizetype((*reader)->skipped().size()),
             fixture.value(u"notes").toInt());
}

void TestTorchSave::refused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    for (const QJsonValue& value : fixtures()) {
        const QJsonObject fixture = value.toObject();
        if (fixture.contains(u"error"))
            QTest::addRow("%s", qPrintable(fixture.value(u"file").toString()))
                << fixture.value(u"file").toString() << fixture.value(u"error").toString();
    }
}

// One line naming the file and what is wrong; nothing is listed.
void TestTorchSave::refused()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    const QString path = dataDir() + u'/' + file;
    auto reader = openDump(path);
    QVERIFY(!reader);
    QVERIFY2(reader.error().contains(error), qPrintable(reader.error()));
    QVERIFY(reader.error().startsWith(path));
    QVERIFY(!reader.error().contains(u'\n'));
}

void TestTorchSave::sniffed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<DumpFormat>("format");
    QTest::addRow("torch 1.13") << QStringLiteral("dict.pt") << DumpFormat::TorchSave;
    QTest::addRow("torch 2.x") << QStringLiteral("torch2.pt") << DumpFormat::TorchSave;
    QTest::addRow("legacy pickle") << QStringLiteral("legacy.pt") << DumpFormat::TorchSave;
    QTest::addRow("torchscript") << QStringLiteral("script.pt") << DumpFormat::TorchSave;
    QTest::addRow("npz stays npz")
        << QFINDTESTDATA("data/formats/npz/mixed.npz") << DumpFormat::Npz;
}

void TestTorchSave::sniffed()
{
    QFETCH(QString, file);
    QFETCH(DumpFormat, format);
    const QString path = file.startsWith(u'/') ? file : dataDir() + u'/' + file;
    const Expected<DumpFormat> sniffed = sniffFormat(path);
    QVERIFY(sniffed);
    QCOMPARE(*sniffed, format);
}

void TestTorchSave::unpicklerLimits_data()
{
    QTest::addColumn<QByteArray>("pickle");
    QTest::addColumn<QString>("error");
    QTest::addRow("unknown opcode")
        << QByteArray("\x80\x02}q\x00(I1\n.", 10)
        << QStringLiteral("opcode 0x49 ('I'), which torch.save does not write at byte 6");
    QTest::addRow("builtins.eval") << QByteArrayLiteral("\x80\x02"
                                                        "cbuiltins\neval\n"
                                                        "X\x01\x00\x00\x00"
                                                        "1\x85R.")
                                   << QStringLiteral("global 'builtins.eval' is not on the "
                                                     "allowlist at byte 2");
    QTest::addRow("memo read before write")
        << QByteArray("\x80\x02h\x05.") << QStringLiteral("memo entry 5");
    QTest::addRow("reduce of a string") << QByteArrayLiteral("\x80\x02X\x01\x00\x00\x00"
                                                             "a)R.")
                                        << QStringLiteral("REDUCE of something");
    QTest::addRow("stack left over")
        << QByteArray("\x80\x02NN.") << QStringLiteral("STOP with 2 values");
    QTest::addRow("huge string length")
        << QByteArray("\x80\x02X\xff\xff\xff\x7f") << QStringLiteral("truncated");
}

void TestTorchSave::unpicklerLimits()
{
    QFETCH(QByteArray, pickle);
    QFETCH(QString, error);
    const auto loaded = torchpickle::load(pickle, QStringLiteral("test.pkl"));
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(error), qPrintable(loaded.error()));
}

// A long pickle of cheap opcodes cannot grow memory without bound: the object count is capped.
void TestTorchSave::objectLimit()
{
    QByteArray pickle("\x80\x02]");
    for (int i = 0; i < 100; ++i)
        pickle += "Na"; // append None to the list
    pickle += '.';
    torchpickle::Limits limits;
    QVERIFY(torchpickle::load(pickle, QStringLiteral("test.pkl"), limits));
    limits.maxValues = 50;
    const auto loaded = torchpickle::load(pickle, QStringLiteral("test.pkl"), limits);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().contains(u"more than 50 objects"), qPrintable(loaded.error()));
}

QTEST_GUILESS_MAIN(TestTorchSave)
#include "tst_torchsave.moc"
