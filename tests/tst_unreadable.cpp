// SPDX-License-Identifier: GPL-3.0-or-later
// What a check reads and what it lists without reading: objects with no ShapeScope dtype are
// entries of the tensor table (readable: false, a reason), a file with nothing readable is
// refused, an unpaired tensor is probed but never read whole, and bfloat16 converts as torch's
// .float() and .to(torch.bfloat16) do.
#include "analysis/analyzer.h"
#include "formats/dumpreader.h"
#include "report/jsonreport.h"
#include "report/textreport.h"
#include "tensor/elementconvert.h"
#include "testutils.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace shapescope;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/") + name;
}

// Forwards to another reader and counts the elements each tensor is read for.
class CountingReader : public DumpReader
{
public:
    explicit CountingReader(std::unique_ptr<DumpReader> inner)
        : DumpReader(inner->filePath()), m_inner(std::move(inner))
    {
        m_tensors = m_inner->tensors();
        m_groups = m_inner->groups();
        m_notes = m_inner->notes();
    }
    DumpFormat format() const override { return m_inner->format(); }
    qint64 elementsRead(const QString& path) const
    {
        const auto found = m_read.find(path);
        return found == m_read.end() ? 0 : found->second;
    }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override
    {
        m_read[m_tensors[size_t(index)].path] += slab.elementCount();
        return m_inner->readSlab(index, slab, as, out);
    }

private:
    std::unique_ptr<DumpReader> m_inner;
    std::map<QString, qint64> m_read;
};

} // namespace

class TestUnreadable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listedNotRead_data();
    void listedNotRead();
    void nothingReadable_data();
    void nothingReadable();
    void unpairedNotReadWhole();
    void familyMember_data();
    void familyMember();
    void bfloat16Rounding_data();
    void bfloat16Rounding();
};

void TestUnreadable::listedNotRead_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("shape");
    QTest::addRow("safetensors FP8") << "safetensors/fp8.safetensors"
                                     << "scales"
                                     << "F8_E4M3"
                                     << "FP8"
                                     << "2 x 2";
    QTest::addRow("torch.save complex64") << "torchsave/dtypes.pt"
                                          << "/complex64"
                                          << "torch.complex64"
                                          << "complex"
                                          << "1";
    QTest::addRow("torch.save complex128") << "torchsave/dtypes.pt"
                                           << "/complex128"
                                           << "torch.complex128"
                                           << "complex"
                                           << "1";
}

// The object is an entry of the JSON tensor list and of the text table, with its stored type
// and why it is not read, and no index into tensors() names it.
void TestUnreadable::listedNotRead()
{
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QString, dtype);
    QFETCH(QString, reason);
    QFETCH(QString, shape);
    auto reader = openDump(dataFile(file));
    QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
    QCOMPARE((*reader)->indexOf(path), -1);
    const DumpSummary dump = summarizeDump(**reader);
    const QJsonArray tensors = dumpToJson(dump).value(u"tensors").toArray();
    QCOMPARE(tensors.size(), qsizetype(dump.tensors.size() + dump.skipped.size()));
    const auto entry = std::find_if(tensors.begin(), tensors.end(), [&](const QJsonValue& t) {
        return t.toObject().value(u"path").toString() == path;
    });
    QVERIFY2(entry != tensors.end(), qPrintable(path));
    const QJsonObject object = entry->toObject();
    QCOMPARE(object.value(u"readable").toBool(true), false);
    QCOMPARE(object.value(u"dtype").toString(), dtype);
    QVERIFY2(object.value(u"reason").toString().contains(reason),
             qPrintable(object.value(u"reason").toString()));
    QVERIFY(!dump.notes.join(u'\n').contains(path));
    const QString text = dumpToText(dump);
    const QString row = text.split(u'\n').filter(path).value(0);
    QVERIFY2(row.contains(dtype) && row.contains(shape) && row.contains(u"unreadable: "),
             qPrintable(text));
}

void TestUnreadable::nothingReadable_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("why");
    QTest::addRow("safetensors, only FP8")
        << dataFile(QStringLiteral("safetensors/only_fp8.safetensors"))
        << "no tensor ShapeScope can read: scales: 2 x 2 F8_E5M2, 8-bit floats";
    // Public files (../shared/realfiles, by path) whose datasets h5py reads but none is numbers.
    const QString corpus = QStringLiteral(SHAPESCOPE_REALFILES_DIR "/");
    QTest::addRow("h5py variable-length strings")
        << corpus + "h5py/vlen_string_dset.h5"
        << "no dataset ShapeScope can read: /DS1: 4 string, not numeric";
    QTest::addRow("HDF5 compounds") << corpus + "hdf5/tcompound.h5"
                                    << "/dset1: 5 compound, not numeric (fields a_name: integer";
    QTest::addRow("HDF5 opaque") << corpus + "hdf5/topaque.h5"
                                 << "opaque";
    QTest::addRow("netCDF-3") << corpus + "netcdf-c/ref_nctest_classic.nc"
                              << "netCDF-3 classic file, not HDF5: convert with nccopy -k nc4";
}

// One line that names the file and what is wrong (each object's reason), not an empty success.
void TestUnreadable::nothingReadable()
{
    QFETCH(QString, file);
    QFETCH(QString, why);
    if (!QFileInfo::exists(file))
        QSKIP("../shared/realfiles is not here");
    auto reader = openDump(file);
    QVERIFY(!reader);
    QVERIFY2(reader.error().startsWith(file + QStringLiteral(": ")), qPrintable(reader.error()));
    QVERIFY2(reader.error().contains(why), qPrintable(reader.error()));
    QVERIFY(!reader.error().contains(u'\n'));
}

// A 256 MiB unpaired float32 tensor beside a small pair: the check reads the pair whole for its
// losses and only the first and last 8 MiB of the unpaired tensor.
void TestUnreadable::unpairedNotReadWhole()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::vector<float> logits{0.5f, -1, 2, 0, 1, 3, -2, 0.25f, 1, 1, 0, 4};
    const std::vector<qint64> labels{2, 0, 1, 1};
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("logits.npy")), "<f4", {4, 3}, logits.data(),
                           qint64(logits.size() * sizeof(float))));
    QVERIFY(test::writeNpy(dir.filePath(QStringLiteral("labels.npy")), "<i8", {4}, labels.data(),
                           qint64(labels.size() * sizeof(qint64))));
    const QString big = dir.filePath(QStringLiteral("activations.npy"));
    const qint64 rows = 1 << 20, columns = 64;
    QVERIFY(test::writeNpy(big, "<f4", {rows, columns}, nullptr, 0));
    QFile bigFile(big);
    QVERIFY(bigFile.resize(QFileInfo(big).size() + rows * columns * qint64(sizeof(float))));

    auto opened = openDump(dir.path());
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
    CountingReader reader(std::move(opened).value());
    AnalysisOptions options;
    options.threads = 2;
    const Expected<AnalysisResult> result = analyzeDump(reader, options);
    QVERIFY2(result, qPrintable(result ? QString() : result.error()));
    QCOMPARE(result->pairs.size(), size_t(1));
    QVERIFY(result->pairs.front().hasLosses);
    QVERIFY(reader.elementsRead(QStringLiteral("logits.npy")) >= 12);
    QVERIFY(reader.elementsRead(QStringLiteral("labels.npy")) >= 4);
    const qint64 probed = reader.elementsRead(QStringLiteral("activations.npy"));
    QVERIFY2(probed > 0 && probed <= 2 * (qint64(8) << 20) / qint64(sizeof(float)),
             qPrintable(QString::number(probed)));
}

void TestUnreadable::familyMember_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("says");
    // h5py.File("family_%d.h5", "w", driver="family", memb_size=4096) wrote these members.
    const QJsonArray members =
        test::readJson(dataFile(QStringLiteral("unreadable/expected.json")))[u"family"][u"members"]
            .toArray();
    QCOMPARE(members.size(), 3);
    QTest::addRow("first") << members[0].toString()
                           << "the first member of an HDF5 file family (driver \"family\", "
                              "members of 4.00 KiB: family_%d.h5)";
    for (int i = 1; i < members.size(); ++i) {
        QTest::addRow("member %d", i)
            << members[i].toString()
            << QStringLiteral("member %1 of the HDF5 file family %2 (driver \"family\", members "
                              "of 4.00 KiB), not a file of its own")
                   .arg(i)
                   .arg(dataFile(QStringLiteral("unreadable/family_%d.h5")));
    }
    // The HDF Group's tfamily00000.h5 predates the driver information block, and its other
    // members are not in the corpus: a file cut short, or a family's first member.
    QTest::addRow("HDF Group tfamily00000.h5")
        << QStringLiteral(SHAPESCOPE_REALFILES_DIR "/hdf5/tfamily00000.h5")
        << "it was cut short (still being written, or an interrupted copy, or the first member "
           "of an HDF5 file family (tfamily%05d.h5) whose other members are not beside it)";
}

// Each member of a file family is refused saying so, and how to join the family.
void TestUnreadable::familyMember()
{
    QFETCH(QString, file);
    QFETCH(QString, says);
    const bool corpus = QFileInfo(file).isAbsolute();
    const QString path = corpus ? file : dataFile(QStringLiteral("unreadable/") + file);
    if (!QFileInfo::exists(path))
        QSKIP("../shared/realfiles is not here");
    auto reader = openDump(path);
    QVERIFY(!reader);
    const QString line = reader.error().section(u'\n', 0, 0);
    QVERIFY2(line.contains(says), qPrintable(line));
    QVERIFY(line.startsWith(path + QStringLiteral(": ")));
    if (!corpus) {
        QVERIFY2(line.contains(u"h5repart -family_to_sec2 family_%d.h5 joined.h5"),
                 qPrintable(line));
    }
}

void TestUnreadable::bfloat16Rounding_data()
{
    // Values from torch 1.13: torch.tensor([x]).to(torch.bfloat16), its bits and .float().
    QTest::addColumn<float>("value");
    QTest::addColumn<quint16>("bits");
    QTest::addColumn<float>("back");
    QTest::addRow("1/3") << float(1.0 / 3.0) << quint16(0x3eab) << 0.333984375f;
    QTest::addRow("tie to even, down") << 1.00390625f << quint16(0x3f80) << 1.0f;
    QTest::addRow("tie to even, up") << 1.01171875f << quint16(0x3f82) << 1.015625f;
    QTest::addRow("overflow to inf")
        << 3.4e38f << quint16(0x7f80) << std::numeric_limits<float>::infinity();
    QTest::addRow("subnormal") << -1e-40f << quint16(0x8001) << -9.183549615799121e-41f;
    QTest::addRow("65504") << 65504.0f << quint16(0x4780) << 65536.0f;
}

void TestUnreadable::bfloat16Rounding()
{
    QFETCH(float, value);
    QFETCH(quint16, bits);
    QFETCH(float, back);
    quint16 got = 0;
    convertElements(&value, DType::Float32, nativeByteOrder(), &got, DType::BFloat16, 1);
    QCOMPARE(got, bits);
    float widened = 0;
    convertElements(&got, DType::BFloat16, nativeByteOrder(), &widened, DType::Float32, 1);
    QCOMPARE(widened, back);
    double asDouble = 0;
    convertElements(&got, DType::BFloat16, nativeByteOrder(), &asDouble, DType::Float64, 1);
    QCOMPARE(asDouble, double(back));
    const float nan = std::numeric_limits<float>::quiet_NaN();
    convertElements(&nan, DType::Float32, nativeByteOrder(), &got, DType::BFloat16, 1);
    convertElements(&got, DType::BFloat16, nativeByteOrder(), &widened, DType::Float32, 1);
    QVERIFY(std::isnan(widened));
}

QTEST_GUILESS_MAIN(TestUnreadable)
#include "tst_unreadable.moc"
