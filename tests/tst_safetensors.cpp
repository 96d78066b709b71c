// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/dumpformat.h"
#include "formats/dumpreader.h"
#include "formats/safetensorsheader.h"
#include "formats/safetensorsreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <cstring>

using namespace shapescope;

// The fixtures of tests/data/gen_safetensors.py: valid files written by the safetensors package,
// damaged and hostile ones written by the format's rules (expected.json says which of them the
// package itself refuses).
namespace {

QString fixture(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/safetensors/") + file;
}

QJsonArray fixtures()
{
    QFile file(fixture(QStringLiteral("expected.json")));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read safetensors/expected.json");
    return QJsonDocument::fromJson(file.readAll()).object().value(u"fixtures").toArray();
}

// The build reads bfloat16 once DType has it; until then such tensors are listed as skipped.
bool readsBFloat16()
{
    return dtypeFromName(QStringLiteral("bfloat16")).has_value();
}

Shape toShape(const QJsonValue& value)
{
    Shape shape;
    for (const QJsonValue extent : value.toArray())
        shape.push_back(extent.toInteger());
    return shape;
}

double toDouble(const QJsonValue& value)
{
    if (value.isString()) {
        const QString text = value.toString();
        return text == u"nan" ? qQNaN() : text == u"inf" ? qInf() : -qInf();
    }
    return value.toDouble();
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& arguments)
{
    QProcess process;
    process.start(QStringLiteral(SHAPESCOPE_EXECUTABLE), arguments);
    process.waitForFinished(60000);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validFiles_data();
    void validFiles();
    void damagedFiles_data();
    void damagedFiles();
    void sniffedByBytes();
    void mapsRowsInPlace();
    void headerLength_data();
    void headerLength();
    void cli_data();
    void cli();
};

void TestSafetensors::validFiles_data()
{
    QTest::addColumn<QJsonObject>("expected");
    for (const QJsonValue entry : fixtures()) {
        if (!entry.toObject().contains(u"error"))
            QTest::addRow("%s", qPrintable(entry[u"file"].toString())) << entry.toObject();
    }
}

void TestSafetensors::validFiles()
{
    QFETCH(QJsonObject, expected);
    auto opened = openDump(fixture(expected[u"file"].toString()));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
    DumpReader& reader = **opened;
    QCOMPARE(reader.format(), DumpFormat::Safetensors);

    qsizetype expectedNotes = expected[u"notes"].toInt();
    qsizetype expectedTensors = 0;
    for (const QJsonValue t : expected[u"tensors"].toArray()) {
        const QString path = t[u"path"].toString();
        const int index = reader.indexOf(path);
        if (t[u"dtype"].toString() == u"bfloat16" && !readsBFloat16()) {
            QCOMPARE(index, -1);
            ++expectedNotes;
            QVERIFY(reader.notes().join(u'\n').contains(
                path + QStringLiteral(": 3 x 2 BF16 skipped, bfloat16 is not a type")));
            continue;
        }
        ++expectedTensors;
        QVERIFY2(index >= 0, qPrintable(path));
        const TensorInfo& info = reader.tensors()[size_t(index)];
        QCOMPARE(info.name, t[u"name"].toString());
        QCOMPARE(info.group, t[u"group"].toString());
        QCOMPARE(info.shape, toShape(t[u"shape"]));
        QCOMPARE(dtypeName(info.dtype), t[u"dtype"].toString());
        QCOMPARE(info.storedBytes, info.byteCount());
        if (!t.toObject().contains(u"values"))
            continue; // too large to list
        const QJsonArray values = t[u"values"].toArray();
        QCOMPARE(qint64(values.size()), info.elementCount());
        if (isFloating(info.dtype)) {
            std::vector<double> read(size_t(values.size()));
            QVERIFY(reader.readSlab(index, Slab::whole(info.shape), DType::Float64, read.data()));
            for (qsizetype i = 0; i < values.size(); ++i) {
                const double want = toDouble(values[i]);
                QVERIFY2(read[size_t(i)] == want || (qIsNaN(want) && qIsNaN(read[size_t(i)])),
                         qPrintable(QStringLiteral("%1[%2]").arg(path).arg(i)));
            }
        } else {
            // Integers and bools as int64, so 2**53 + 1 and 2**63 - 1 stay exact.
            std::vector<qint64> read(size_t(values.size()));
            QVERIFY(reader.readSlab(index, Slab::whole(info.shape), DType::Int64, read.data()));
            for (qsizetype i = 0; i < values.size(); ++i)
                QCOMPARE(read[size_t(i)], values[i].toInteger());
        }
    }
    QCOMPARE(qsizetype(reader.tensors().size()), expectedTensors);
    // FP8 and the like are listed objects, not read (expected.json counts them with the notes).
    QCOMPARE(reader.notes().size() + qsizetype(reader.skipped().size()), expectedNotes);

    // __metadata__ is the root group's attributes.
    const QJsonObject metadata = expected[u"metadata"].toObject();
    const GroupInfo& root = reader.groups().front();
    QCOMPARE(root.path, QString());
    QCOMPARE(qsizetype(root.attributes.size()), metadata.size());
    for (const Attribute& attribute : root.attributes)
        QCOMPARE(attribute.value, metadata[attribute.name].toString());
}

void TestSafetensors::damagedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    for (const QJsonValue entry : fixtures()) {
        if (entry.toObject().contains(u"error")) {
            QTest::addRow("%s", qPrintable(entry[u"file"].toString()))
                << entry[u"file"].toString() << entry[u"error"].toString();
        }
    }
}

void TestSafetensors::damagedFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    const auto opened = SafetensorsReader::open(fixture(file));
    QVERIFY(!opened);
    QVERIFY2(opened.error().startsWith(fixture(file) + QStringLiteral(": ")),
             qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(error), qPrintable(opened.error()));
}

void TestSafetensors::sniffedByBytes()
{
    for (const QJsonValue entry : fixtures()) {
        const QString file = entry[u"file"].toString();
        const Expected<DumpFormat> format = sniffFormat(fixture(file));
        // A length that does not fit the file is no safetensors header, whatever the name says.
        const bool lengthFits = !file.startsWith(u"short") && !file.startsWith(u"header_");
        QVERIFY2(format.ok() == lengthFits, qPrintable(file));
        if (lengthFits)
            QCOMPARE(*format, DumpFormat::Safetensors);
    }
    QCOMPARE(formatFromName(QStringLiteral("safetensors")), DumpFormat::Safetensors);
}

void TestSafetensors::mapsRowsInPlace()
{
    auto opened = openDump(fixture(QStringLiteral("batch.safetensors")));
    QVERIFY(opened);
    DumpReader& reader = **opened;
    const int index = reader.indexOf(QStringLiteral("batch_0001/logits"));
    QVERIFY(index >= 0);
    const auto rows = reader.mapRows(index, 1, 3, DType::Float32);
    QVERIFY(rows);
    std::vector<float> read(30);
    QVERIFY(reader.readRows(index, 1, 3, DType::Float32, read.data()));
    QCOMPARE(rows->size(), qint64(30 * sizeof(float)));
    QVERIFY(std::memcmp(rows->data(), read.data(), 30 * sizeof(float)) == 0);
    // Converted reads are never mapped.
    QVERIFY(!reader.mapRows(index, 0, 1, DType::Float64));
}

void TestSafetensors::headerLength_data()
{
    QTest::addColumn<QByteArray>("preamble");
    QTest::addColumn<qint64>("fileSize");
    QTest::addColumn<qint64>("length"); // -1: refused
    QTest::addRow("fits") << QByteArray("\x10\0\0\0\0\0\0\0", 8) << qint64(24) << qint64(16);
    QTest::addRow("one over the file")
        << QByteArray("\x11\0\0\0\0\0\0\0", 8) << qint64(24) << qint64(-1);
    QTest::addRow("at the limit") << QByteArray("\x00\xe1\xf5\x05\0\0\0\0", 8)
                                  << qint64(200'000'000) << qint64(100'000'000);
    QTest::addRow("2^64 - 1") << QByteArray(8, '\xff') << qint64(1) << qint64(-1);
    QTest::addRow("7 bytes") << QByteArray(7, '\0') << qint64(7) << qint64(-1);
}

void TestSafetensors::headerLength()
{
    QFETCH(QByteArray, preamble);
    QFETCH(qint64, fileSize);
    QFETCH(qint64, length);
    const Expected<qint64> got = SafetensorsHeader::headerLength(preamble, fileSize);
    QCOMPARE(got.ok() ? *got : qint64(-1), length);
}

void TestSafetensors::cli_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("batch") << QStringLiteral("batch.safetensors") << 0
                           << QStringLiteral("batch_0001/logits");
    QTest::addRow("mismatch") << QStringLiteral("mismatch.safetensors") << 1
                              << QStringLiteral("Expected input batch_size (32) to match target "
                                                "batch_size (64).");
    QTest::addRow("fp8 skipped") << QStringLiteral("fp8.safetensors") << 0
                                 << QStringLiteral("unreadable: 8-bit floats (FP8)");
    QTest::addRow("overlap") << QStringLiteral("overlap.safetensors") << 2
                             << QStringLiteral("tensor \"b_labels\"");
    QTest::addRow("unknown dtype") << QStringLiteral("unknown_dtype.safetensors") << 2
                                   << QStringLiteral("tensor \"logits\": unknown dtype \"F128\"");
}

void TestSafetensors::cli()
{
    QFETCH(QString, file);
    QFETCH(int, exitCode);
    QFETCH(QString, mentions);
    // Through the worker process, as a user runs it.
    const Run run = runCli({QStringLiteral("check"), fixture(file)});
    QVERIFY2(run.exitCode == exitCode, run.out + run.err);
    QVERIFY2((run.out + run.err).contains(mentions.toUtf8()), run.out + run.err);
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
