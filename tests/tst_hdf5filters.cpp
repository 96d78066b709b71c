// SPDX-License-Identifier: GPL-3.0-or-later
// HDF5 compression filters from Debian's plugin packages (hdf5-plugin-lzf,
// hdf5-filter-plugin-blosc-serial, hdf5-filter-plugin): the reader process registers exactly the
// listed filters from libhdf5's system plugin directory and reads every filtered dataset as h5py
// does, while libhdf5's own plugin loading (any library, any id a file names) stays off; in the
// GUI's or CLI's own process (--no-isolation) nothing is loaded and the reason says where it
// would be.
#include "formats/dumpreader.h"
#include "formats/hdf5reader.h"
#include "formats/hdf5systemfilters.h"
#include "session/inprocesssession.h"
#include "session/workersession.h"
#include "testutils.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace shapescope;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/unreadable/") + name;
}

QJsonObject expectedFilters()
{
    return test::readJson(dataFile(QStringLiteral("expected.json")))[u"filters.h5"].toObject();
}

// Debian's package for each dataset's filter, and the plugin file it installs.
struct Package
{
    const char* dataset;
    const char* name;
    const char* file;
};
constexpr Package packages[] = {
    {"lzf", "hdf5-plugin-lzf", "liblzf_filter.so"},
    {"blosc_zstd", "hdf5-filter-plugin-blosc-serial", "libH5Zblosc.so"},
    {"blosc_lz4", "hdf5-filter-plugin-blosc-serial", "libH5Zblosc.so"},
    {"lz4", "hdf5-filter-plugin", "libh5lz4.so"},
    {"bzip2", "hdf5-filter-plugin", "libh5bz2.so"},
};

} // namespace

class TestHdf5Filters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offInThisProcessFirst();
    void systemDirectory();
    void readInTheWorker_data();
    void readInTheWorker();
    void registeredInProcess();
};

// Before anything registers them, an in-process read (--no-isolation) reads no plugin filter
// and says why; this runs first, as nothing can unregister a filter.
void TestHdf5Filters::offInThisProcessFirst()
{
    auto reader = openDump(dataFile(QStringLiteral("filters.h5")));
    QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
    const int index = (*reader)->indexOf(QStringLiteral("/lzf"));
    QVERIFY(index >= 0);
    const QString reason = (*reader)->tensors()[size_t(index)].unreadableReason;
    QVERIFY2(reason.contains(u"loading plugins is off") && reason.contains(u"hdf5-plugin-lzf") &&
                 reason.contains(u"reader process"),
             qPrintable(reason));
}

void TestHdf5Filters::systemDirectory()
{
    // Debian's libhdf5_serial.so.103 lives in /usr/lib/<arch> or /lib/<arch> (merged /usr).
    const QString directory = systemFilterDirectory();
    QVERIFY2(directory.endsWith(u"/hdf5/serial/plugins"), qPrintable(directory));
    QVERIFY(QFileInfo(directory).isAbsolute());
}

void TestHdf5Filters::readInTheWorker_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("package");
    QTest::addColumn<QString>("plugin");
    for (const Package& p : packages) {
        QTest::addRow("%s", p.dataset)
            << QString::fromLatin1(p.dataset) << QString::fromLatin1(p.name)
            << QString::fromLatin1(p.file);
    }
}

// The default session: a worker process, plugins off, the system's filters registered.
void TestHdf5Filters::readInTheWorker()
{
    QFETCH(QString, dataset);
    QFETCH(QString, package);
    QFETCH(QString, plugin);
    // Only a machine without the package (one that did not run .ci/deps) skips.
    if (!QFileInfo::exists(systemFilterDirectory() + u'/' + plugin))
        QSKIP(
            qPrintable(QStringLiteral("%1 is not installed (.ci/deps installs it)").arg(package)));
    WorkerOptions options;
    options.program = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    WorkerSession session(options);
    const QString file = dataFile(QStringLiteral("filters.h5"));
    const auto summary = session.open(file);
    QVERIFY2(summary, qPrintable(summary ? QString() : summary.error()));
    const TensorInfo* info = summary->find(u'/' + dataset);
    QVERIFY2(info, qPrintable(dataset));
    QVERIFY2(info->readable(), qPrintable(info->unreadableReason));
    const QJsonObject expected = expectedFilters()[dataset].toObject();
    SliceRequest request;
    request.path = file;
    request.tensor = info->path;
    request.slab = Slab::whole(info->shape);
    const auto slice = session.readSlice(request);
    QVERIFY2(slice, qPrintable(slice ? QString() : slice.error()));
    const QJsonArray values = expected[u"values"].toArray();
    QCOMPARE(qsizetype(slice->values.size()), values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(slice->values[size_t(i)], values[i].toDouble());
}

// registerSystemFilters() in this process: each installed plugin is registered under the id it
// must have, libhdf5's plugin search stays off, and lzf.h5 reads as h5py reads it.
void TestHdf5Filters::registeredInProcess()
{
    const std::vector<SystemFilter>& filters = registerSystemFilters();
    QVERIFY(!Hdf5Reader::pluginLoading());
    for (const SystemFilter& filter : filters) {
        QVERIFY2(filter.problem.isEmpty(),
                 qPrintable(QString(filter.file + QStringLiteral(": ") + filter.problem)));
        QCOMPARE(filter.loaded, QFileInfo::exists(filter.file));
    }
    const QJsonObject expected =
        test::readJson(dataFile(QStringLiteral("expected.json")))[u"lzf.h5"].toObject();
    auto reader = openDump(dataFile(QStringLiteral("lzf.h5")));
    QVERIFY2(reader, qPrintable(reader ? QString() : reader.error()));
    const int index = (*reader)->indexOf(expected[u"path"].toString());
    QVERIFY(index >= 0);
    const TensorInfo& info = (*reader)->tensors()[size_t(index)];
    if (!QFileInfo::exists(systemFilterDirectory() + QStringLiteral("/liblzf_filter.so"))) {
        QVERIFY2(info.unreadableReason.contains(u"hdf5-plugin-lzf, which is not installed"),
                 qPrintable(info.unreadableReason));
        QSKIP("hdf5-plugin-lzf is not installed (.ci/deps installs it)");
    }
    QVERIFY2(info.readable(), qPrintable(info.unreadableReason));
    const QJsonArray values = expected[u"values"].toArray();
    std::vector<double> got(size_t(info.elementCount()));
    QVERIFY((*reader)->readSlab(index, Slab::whole(info.shape), DType::Float64, got.data()));
    QCOMPARE(qsizetype(got.size()), values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(got[size_t(i)], values[i].toDouble());
}

QTEST_GUILESS_MAIN(TestHdf5Filters)
#include "tst_hdf5filters.moc"
