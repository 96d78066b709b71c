// SPDX-License-Identifier: GPL-3.0-or-later
// The HDF5 reader with damaged files, plugins, threads and HDF5 ids: what must hold whatever
// the file holds.

#include "formats/dumpformat.h"
#include "formats/dumpreader.h"
#include "formats/hdf5reader.h"
#include "formats/hdf5storage.h"
#include "formats/hdf5systemfilters.h"
#include "tst_hdf5support.h"

#include <QFileInfo>
#include <QScopeGuard>
#include <QTemporaryFile>
#include <QTest>
#include <cstdio>
#include <hdf5.h>
#include <thread>
#include <unistd.h>

using namespace shapescope;
using namespace hdf5test;

class TestHdf5Robustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pluginLoadingOffByDefault();
    void damaged_data();
    void damaged();
    void errorNamesTheFile();
    void sniffedFromBytes();
    void pluginLoading();
    void silentInEveryThread();
    void concurrentReaders();
    void idsReleased();
    void chunkCacheRule_data();
    void chunkCacheRule();

private:
    QJsonObject m_expected;
};

void TestHdf5Robustness::initTestCase()
{
    m_expected = expectedDocument();
    QVERIFY2(!m_expected.isEmpty(), "run /usr/bin/python3 tests/data/generate.py gen_hdf5");
}

void TestHdf5Robustness::pluginLoadingOffByDefault()
{
    // The first HDF5 use in this process: nothing has asked for plugins.
    QVERIFY(!Hdf5Reader::pluginLoading());
    const auto reader = Hdf5Reader::open(fixturePath(QStringLiteral("storage.h5")));
    QVERIFY(reader);
    const TensorInfo& lzf = (*reader)->tensors()[(*reader)->indexOf(QStringLiteral("/lzf"))];
    QVERIFY2(lzf.unreadableReason.contains(QLatin1String("loading plugins is off")),
             qPrintable(lzf.unreadableReason));
}

void TestHdf5Robustness::damaged_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    for (const char* name : {"truncated.h5", "flipped_superblock.h5", "empty.h5", "garbage.h5"}) {
        QTest::addRow("%s", name) << QString::fromLatin1(name)
                                  << fixture(m_expected, QString::fromLatin1(name))
                                         .value(QStringLiteral("error"))
                                         .toString();
    }
}

void TestHdf5Robustness::damaged()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    const QString path = fixturePath(file);
    QVERIFY(!path.isEmpty());
    const auto opened = openDump(path);
    QVERIFY(!opened);
    QVERIFY2(opened.error().startsWith(path + QStringLiteral(": ")), qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(error), qPrintable(opened.error()));
}

void TestHdf5Robustness::errorNamesTheFile()
{
    // Straight to the reader, past the sniffing that catches an empty file first.
    const QString empty = fixturePath(QStringLiteral("empty.h5"));
    const auto opened = Hdf5Reader::open(empty);
    QVERIFY(!opened);
    QCOMPARE(opened.error(), empty + QStringLiteral(": opening the file failed: file signature not "
                                                    "found; unable to read superblock; unable to "
                                                    "open file"));
    const auto missing = Hdf5Reader::open(QStringLiteral("/nonexistent/dump.h5"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().startsWith(
                 QStringLiteral("/nonexistent/dump.h5: opening the file failed: ")),
             qPrintable(missing.error()));
    QVERIFY2(missing.error().contains(QLatin1String("No such file or directory")),
             qPrintable(missing.error()));
}

void TestHdf5Robustness::sniffedFromBytes()
{
    // An .h5 renamed .dat, and a file whose superblock follows a 512-byte user block.
    for (const char* name : {"renamed.dat", "userblock.h5"}) {
        const auto format = sniffFormat(fixturePath(QString::fromLatin1(name)));
        QVERIFY(format);
        QCOMPARE(*format, DumpFormat::Hdf5);
        const auto reader = openDump(fixturePath(QString::fromLatin1(name)));
        // QVERIFY2 evaluates its message even on success, and error() is only for failures.
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error()));
        QCOMPARE((*reader)->format(), DumpFormat::Hdf5);
        QVERIFY(!(*reader)->tensors().empty());
    }
}

void TestHdf5Robustness::pluginLoading()
{
    if (qgetenv("HDF5_PLUGIN_PRELOAD") == "::")
        QSKIP("HDF5_PLUGIN_PRELOAD=:: keeps plugins off");
    // Every exit (a QSKIP or a failed QVERIFY returns early) turns plugins off again: the
    // hostile-file tests after this one rely on HDF5 loading none.
    const auto pluginsOff = qScopeGuard([] { Hdf5Reader::setPluginLoading(false); });
    Hdf5Reader::setPluginLoading(true);
    QVERIFY(Hdf5Reader::pluginLoading());
    {
        const auto reader = Hdf5Reader::open(fixturePath(QStringLiteral("storage.h5")));
        QVERIFY(reader);
        const TensorInfo& lzf = (*reader)->tensors()[(*reader)->indexOf(QStringLiteral("/lzf"))];
        // Debian's LZF plugin (hdf5-plugin-lzf) is registered from the system directory when it
        // is installed; otherwise HDF5 looked for one and found none.
        if (QFileInfo::exists(systemFilterDirectory() + QStringLiteral("/liblzf_filter.so"))) {
            QVERIFY2(lzf.readable(), qPrintable(lzf.unreadableReason));
        } else {
            QVERIFY2(lzf.unreadableReason.contains(u"hdf5-plugin-lzf, which is not installed"),
                     qPrintable(lzf.unreadableReason));
        }
    }
    Hdf5Reader::setPluginLoading(false);
    QVERIFY(!Hdf5Reader::pluginLoading());
}

namespace {

// Runs `work` on a new thread with stderr sent to a file, and returns what was written to it.
template <typename Work> QByteArray stderrOfThread(Work work)
{
    QTemporaryFile capture;
    if (!capture.open())
        return "cannot capture stderr";
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    dup2(capture.handle(), STDERR_FILENO);
    std::thread(work).join();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    capture.seek(0);
    return capture.readAll();
}

} // namespace

void TestHdf5Robustness::silentInEveryThread()
{
    // HDF5's automatic error printing is per thread in the thread-safe build, and on in every
    // new thread: the reader must turn it off wherever it is called.
    // The control: straight HDF5 in a new thread prints its error stack.
    const QByteArray control = stderrOfThread([] {
        const QByteArray path = QFile::encodeName(fixturePath(QStringLiteral("garbage.h5")));
        H5Fopen(path.constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
        // HDF5 frees a thread's error stack at thread exit, but not the entries on it.
        H5Eclear2(H5E_DEFAULT);
    });
    QVERIFY2(control.contains("HDF5-DIAG"), control.constData());

    int failures = 0;
    const QByteArray printed = stderrOfThread([&failures] {
        failures += !Hdf5Reader::open(fixturePath(QStringLiteral("garbage.h5")));
        failures += !Hdf5Reader::open(fixturePath(QStringLiteral("truncated.h5")));
        auto reader = Hdf5Reader::open(fixturePath(QStringLiteral("corrupt_chunk.h5")));
        float out[20];
        failures += reader && !(*reader)->readRows(0, 0, 4, DType::Float32, out).ok();
    });
    QCOMPARE(failures, 3);
    QCOMPARE(printed, QByteArray());
}

void TestHdf5Robustness::concurrentReaders()
{
    // What makes this safe: the build and Hdf5Reader::open refuse a library without it.
    const Status threadSafe = Hdf5Reader::threadSafety();
    QVERIFY2(threadSafe, qPrintable(threadSafe.error()));
    const QStringList whole =
        strings(m_expected[QStringLiteral("arrays")][QStringLiteral("storage.h5:/chunked")]);
    std::atomic<int> mismatches = 0;
    auto readAll = [&] {
        auto reader = Hdf5Reader::open(fixturePath(QStringLiteral("storage.h5")));
        if (!reader) {
            ++mismatches;
            return;
        }
        const int index = (*reader)->indexOf(QStringLiteral("/chunked"));
        std::vector<float> rows(5 * 20);
        for (int round = 0; round < 20; ++round) {
            for (qint64 first = 0; first < 50; first += 5) {
                if (!(*reader)->readRows(index, first, 5, DType::Float32, rows.data()).ok())
                    ++mismatches;
                for (int i = 0; i < 100; ++i)
                    mismatches += rows[i] != float(parseDouble(whole[first * 20 + i]));
            }
        }
    };
    std::thread a(readAll), b(readAll);
    a.join();
    b.join();
    QCOMPARE(mismatches.load(), 0);
}

void TestHdf5Robustness::idsReleased()
{
    // Every id the reader opened, on success and failure paths alike, is closed again.
    const H5I_type_t types[] = {H5I_FILE,    H5I_GROUP, H5I_DATATYPE,   H5I_DATASPACE,
                                H5I_DATASET, H5I_ATTR,  H5I_GENPROP_LST};
    auto counts = [&types] {
        std::vector<hsize_t> n;
        for (H5I_type_t type : types) {
            hsize_t members = 0;
            H5Inmembers(type, &members);
            n.push_back(members);
        }
        return n;
    };
    Hdf5Reader::pluginLoading(); // HDF5 initialised before the first count
    const std::vector<hsize_t> before = counts();
    const QStringList files = {QStringLiteral("dtypes.h5"),     QStringLiteral("groups.h5"),
                               QStringLiteral("attributes.h5"), QStringLiteral("storage.h5"),
                               QStringLiteral("notes.h5"),      QStringLiteral("corrupt_chunk.h5"),
                               QStringLiteral("garbage.h5"),    QStringLiteral("truncated.h5")};
    for (const QString& file : files) {
        auto reader = Hdf5Reader::open(fixturePath(file));
        if (!reader)
            continue;
        for (int i = 0; i < int((*reader)->tensors().size()); ++i) {
            const TensorInfo& info = (*reader)->tensors()[i];
            std::vector<double> out(std::max<qint64>(info.rowElements(), 1));
            for (DType as : {info.dtype, DType::Float64})
                (void)(*reader)->readRows(i, 0, std::min<qint64>(info.rowCount(), 1), as,
                                          out.data());
        }
    }
    QCOMPARE(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), ssize_t(0));
    QCOMPARE(counts(), before);
}

void TestHdf5Robustness::chunkCacheRule_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Shape>("chunk");
    QTest::addColumn<int>("elementSize");
    QTest::addColumn<qint64>("bytes");
    constexpr qint64 MiB = 1 << 20;
    QTest::addRow("contiguous: HDF5's default") << Shape{100, 100} << Shape{} << 4 << MiB;
    QTest::addRow("small row of chunks: at least 1 MiB")
        << Shape{1000, 10} << Shape{64, 10} << 4 << MiB;
    // 40 chunks of 64x500 float32 (128000 bytes) across a row.
    QTest::addRow("a row of chunks")
        << Shape{256, 20000} << Shape{64, 500} << 4 << qint64(40 * 128000);
    QTest::addRow("partial last chunk counts")
        << Shape{256, 20001} << Shape{64, 500} << 4 << qint64(41 * 128000);
    QTest::addRow("3d: every chunk after axis 0")
        << Shape{10, 300, 300} << Shape{2, 10, 10} << 8 << qint64(900 * 1600);
    QTest::addRow("capped at 256 MiB")
        << Shape{1 << 20, 1 << 20} << Shape{1024, 1024} << 8 << 256 * MiB;
    QTest::addRow("hostile chunk dims")
        << Shape{4, 4} << Shape{qint64(1) << 62, qint64(1) << 62} << 8 << 256 * MiB;
}

void TestHdf5Robustness::chunkCacheRule()
{
    QFETCH(Shape, shape);
    QFETCH(Shape, chunk);
    QFETCH(int, elementSize);
    QFETCH(qint64, bytes);
    const Hdf5ChunkCache cache = chunkCacheFor(shape, chunk, size_t(elementSize));
    QCOMPARE(qint64(cache.bytes), bytes);
    QVERIFY(cache.slots >= 521 && cache.slots < (size_t(1) << 21));
    for (size_t d = 2; d * d <= cache.slots; ++d)
        QVERIFY2(cache.slots % d != 0, "slot count is prime");
    QCOMPARE(cache.w0, 1.0);
}

QTEST_GUILESS_MAIN(TestHdf5Robustness)
#include "tst_hdf5robustness.moc"
