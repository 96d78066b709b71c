// SPDX-License-Identifier: GPL-3.0-or-later
#include "formats/npzreader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace shapescope;

// What is particular to .npz archives: members are forward streams whose CRC-32 libzip checks
// only at their end, so these tests read out of order and in pieces.
namespace {

std::unique_ptr<NpzReader> openFixture(const char* name)
{
    const QString path = QFINDTESTDATA(QStringLiteral("data/formats/npz/") + QLatin1String(name));
    auto reader = NpzReader::open(path);
    if (!reader) {
        qWarning("%s", qPrintable(reader.error()));
        return nullptr;
    }
    return std::move(reader).value();
}

std::vector<float> readRows(NpzReader& reader, int index, qint64 first, qint64 rows, Status* status)
{
    const TensorInfo& info = reader.tensors()[index];
    std::vector<float> out(rows * info.rowElements());
    *status = reader.readRows(index, first, rows, DType::Float32, out.data());
    return out;
}

} // namespace

class TestNpzReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checksumFailsOnlyWhereTheEntryEnds();
    void checksumFailsWhenSkippingToTheEnd();
    void backwardReadsReopenTheStream();
    void interleavedEntries();
    void groupsAndNotes();
    void storage();
    void opensReadOnly();
};

void TestNpzReader::checksumFailsOnlyWhereTheEntryEnds()
{
    const auto reader = openFixture("bad_crc_stored.npz");
    QVERIFY(reader);
    const int logits = reader->indexOf(QStringLiteral("logits"));
    QCOMPARE(reader->tensors()[logits].shape, (Shape{4, 10}));
    Status status;
    // The flipped byte is the entry's last: nothing before it can tell.
    for (qint64 row = 0; row < 3; ++row) {
        readRows(*reader, logits, row, 1, &status);
        QVERIFY2(status.ok(), qPrintable(status.error()));
    }
    readRows(*reader, logits, 3, 1, &status);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(u"logits.npy: the entry is damaged: its CRC-32 checksum"),
             qPrintable(status.error()));
    QVERIFY(status.error().startsWith(reader->filePath()));
    // After the failure the entry reads again from a fresh stream, and fails again at the end.
    readRows(*reader, logits, 0, 2, &status);
    QVERIFY(status.ok());
    readRows(*reader, logits, 2, 2, &status);
    QVERIFY(!status.ok());
    // The archive's other members are intact.
    for (const char* name : {"targets", "mask", "scalar", "fortran_be"}) {
        const int index = reader->indexOf(QLatin1String(name));
        const TensorInfo& info = reader->tensors()[index];
        std::vector<double> out(info.elementCount());
        QVERIFY(reader->readSlab(index, Slab::whole(info.shape), DType::Float64, out.data()).ok());
    }
}

// Skipping ahead must read through the gap rather than zip_fseek, or libzip would never compare
// the checksum.
void TestNpzReader::checksumFailsWhenSkippingToTheEnd()
{
    const auto reader = openFixture("bad_crc_stored.npz");
    QVERIFY(reader);
    const int logits = reader->indexOf(QStringLiteral("logits"));
    float last = 0;
    const Status status = reader->readSlab(logits, Slab{{3, 9}, {1, 1}}, DType::Float32, &last);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().contains(u"CRC-32"), qPrintable(status.error()));
}

void TestNpzReader::backwardReadsReopenTheStream()
{
    for (const char* name : {"large_deflated.npz", "large_stored.npz"}) {
        const auto reader = openFixture(name);
        QVERIFY(reader);
        const TensorInfo& info = reader->tensors().front();
        const qint64 rows = info.rowCount();
        const qint64 width = info.rowElements();
        Status status;
        const std::vector<float> whole = readRows(*reader, 0, 0, rows, &status);
        QVERIFY(status.ok());
        for (qint64 row = rows - 1; row >= 0; row -= 3) {
            const std::vector<float> one = readRows(*reader, 0, row, 1, &status);
            QVERIFY2(status.ok(), qPrintable(status.error()));
            QVERIFY(std::equal(one.begin(), one.end(), whole.begin() + row * width));
        }
        QRandomGenerator random(7);
        for (int trial = 0; trial < 30; ++trial) {
            const qint64 r0 = random.bounded(rows);
            const qint64 c0 = random.bounded(width);
            const Slab slab{{r0, c0},
                            {1 + random.bounded(rows - r0), 1 + random.bounded(width - c0)}};
            std::vector<float> block(slab.elementCount());
            QVERIFY(reader->readSlab(0, slab, DType::Float32, block.data()).ok());
            for (qint64 r = 0; r < slab.count[0]; ++r) {
                for (qint64 c = 0; c < slab.count[1]; ++c) {
                    QCOMPARE(block[r * slab.count[1] + c], whole[(r0 + r) * width + c0 + c]);
                }
            }
        }
    }
}

// Each member keeps its own stream, so alternating between them reads both correctly.
void TestNpzReader::interleavedEntries()
{
    const auto reader = openFixture("savez_compressed.npz");
    QVERIFY(reader);
    const int logits = reader->indexOf(QStringLiteral("logits"));
    const int targets = reader->indexOf(QStringLiteral("targets"));
    Status status;
    const std::vector<float> allLogits = readRows(*reader, logits, 0, 4, &status);
    QVERIFY(status.ok());
    const std::vector<float> allTargets = readRows(*reader, targets, 0, 4, &status);
    QVERIFY(status.ok());
    for (qint64 row = 0; row < 4; ++row) {
        const std::vector<float> a = readRows(*reader, logits, row, 1, &status);
        QVERIFY(status.ok());
        const std::vector<float> b = readRows(*reader, targets, row, 1, &status);
        QVERIFY(status.ok());
        QVERIFY(std::equal(a.begin(), a.end(), allLogits.begin() + row * 10));
        QCOMPARE(b.front(), allTargets[row]);
    }
}

void TestNpzReader::groupsAndNotes()
{
    const auto nested = openFixture("subfolders.npz");
    QVERIFY(nested);
    QStringList groups;
    for (const GroupInfo& group : nested->groups())
        groups << group.path;
    QCOMPARE(groups, (QStringList{QString(), QStringLiteral("a"), QStringLiteral("a/c")}));
    QVERIFY(nested->notes().isEmpty());

    const auto mixed = openFixture("mixed.npz");
    QVERIFY(mixed);
    QCOMPARE(mixed->notes().size(), qsizetype(3));
    QVERIFY(mixed->notes().at(0).startsWith(u"README.txt: not a .npy entry"));
    QVERIFY(mixed->notes().at(1).startsWith(u"meta.json: not a .npy entry"));
    QVERIFY(mixed->notes().at(2).startsWith(u"__MACOSX/._x.npy: macOS metadata"));
}

void TestNpzReader::storage()
{
    const auto stored = openFixture("savez.npz");
    QVERIFY(stored);
    const TensorInfo& logits = stored->tensors().front();
    QCOMPARE(logits.storage, QStringLiteral("npz entry, stored; npy 1.0, C order, little-endian"));
    QCOMPARE(logits.storedBytes, qint64(128 + 4 * 10 * 4)); // header and data, as stored

    const auto deflated = openFixture("savez_compressed.npz");
    QVERIFY(deflated);
    const TensorInfo& mask = deflated->tensors()[deflated->indexOf(QStringLiteral("mask"))];
    QVERIFY2(mask.storage.startsWith(u"npz entry, deflated ") &&
                 mask.storage.endsWith(u" bytes; npy 1.0, C order"),
             qPrintable(mask.storage));
    QVERIFY(mask.storedBytes > 0 && mask.storedBytes < 128 + 4);
    QStringList names;
    for (const Attribute& attribute : mask.attributes)
        names << attribute.name;
    for (const char* name : {"npy version", "descr", "fortran_order", "zip entry"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
}

void TestNpzReader::opensReadOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("readonly.npz"));
    QVERIFY(QFile::copy(QFINDTESTDATA("data/formats/npz/savez_compressed.npz"), path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner));
    const QDateTime modified = QFileInfo(path).lastModified();
    const auto hash = [&] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly)
                   ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256)
                   : QByteArray();
    };
    const QByteArray before = hash();
    {
        auto reader = NpzReader::open(path);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
        std::vector<double> out(40);
        QVERIFY((*reader)->readRows(0, 0, 4, DType::Float64, out.data()).ok());
    }
    QCOMPARE(hash(), before);
    QCOMPARE(QFileInfo(path).lastModified(), modified);
}

QTEST_GUILESS_MAIN(TestNpzReader)
#include "tst_npzreader.moc"
