// SPDX-License-Identifier: GPL-3.0-or-later
// Damaged fixtures through the command line: a few hundred deterministic variants (bit flips,
// truncations, overwritten headers and trailers) of NPY, NPZ, HDF5 files and a folder, made at
// test time. Every one ends with exit 0, 1 or 2 and a message naming the file, never a signal.
// ShapeScope's own parsers (NPY, NPZ, folders) must not even crash their worker; libhdf5 may,
// and that is contained and counted. Run under the asan preset too.
#include "testutils.h"
#include "tst_isolation_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <random>

using namespace shapescope::test;

namespace {

struct Variant
{
    QString path;
    QString source;
    QString kind;
    bool ownParser = true; // NPY, NPZ or folder: code of ours, which must never crash
};

using Damage = std::function<QByteArray(QByteArray, std::mt19937&)>;

qsizetype below(std::mt19937& random, qsizetype bound)
{
    return bound <= 0 ? 0 : qsizetype(random() % quint64(bound));
}

QByteArray flipBits(QByteArray bytes, std::mt19937& random, int bits, qsizetype window)
{
    for (int i = 0; i < bits && !bytes.isEmpty(); ++i) {
        const qsizetype at = below(random, std::min(window, bytes.size()));
        bytes[at] = char(bytes[at] ^ (1 << (random() % 8)));
    }
    return bytes;
}

QByteArray overwrite(QByteArray bytes, qsizetype at, qsizetype length, std::mt19937& random,
                     int fill)
{
    at = std::clamp<qsizetype>(at, 0, bytes.size());
    length = std::min(length, bytes.size() - at);
    for (qsizetype i = at; i < at + length; ++i)
        bytes[i] = fill >= 0 ? char(fill) : char(random());
    return bytes;
}

// Fourteen kinds of damage; each draws its offsets from the generator it is given.
const std::vector<std::pair<QString, Damage>>& damages()
{
    static const std::vector<std::pair<QString, Damage>> all = {
        {QStringLiteral("flip 1 bit in the header a"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 1, 1024); }},
        {QStringLiteral("flip 1 bit in the header b"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 1, 1024); }},
        {QStringLiteral("flip 1 bit in the header c"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 1, 1024); }},
        {QStringLiteral("flip 8 bits a"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 8, b.size()); }},
        {QStringLiteral("flip 8 bits b"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 8, b.size()); }},
        {QStringLiteral("flip 64 bits"),
         [](QByteArray b, std::mt19937& r) { return flipBits(b, r, 64, b.size()); }},
        {QStringLiteral("truncate to 8 bytes"),
         [](QByteArray b, std::mt19937&) { return b.left(8); }},
        {QStringLiteral("truncate to a quarter"),
         [](QByteArray b, std::mt19937&) { return b.left(b.size() / 4); }},
        {QStringLiteral("truncate to a half"),
         [](QByteArray b, std::mt19937&) { return b.left(b.size() / 2); }},
        {QStringLiteral("drop the last byte"),
         [](QByteArray b, std::mt19937&) { return b.chopped(1); }},
        {QStringLiteral("zero the first 64 bytes"),
         [](QByteArray b, std::mt19937& r) { return overwrite(b, 0, 64, r, 0); }},
        {QStringLiteral("0xff over 32 header bytes"),
         [](QByteArray b, std::mt19937& r) {
             return overwrite(b, below(r, std::min<qsizetype>(1024, b.size())), 32, r, 0xff);
         }},
        {QStringLiteral("random 256 bytes"),
         [](QByteArray b, std::mt19937& r) {
             return overwrite(b, below(r, b.size()), 256, r, -1);
         }},
        {QStringLiteral("random last 128 bytes"),
         [](QByteArray b, std::mt19937& r) { return overwrite(b, b.size() - 128, 128, r, -1); }},
    };
    return all;
}

} // namespace

class TestIsolationDamaged : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void damagedFixtures();
};

void TestIsolationDamaged::damagedFixtures()
{
    const QStringList files = {
        QStringLiteral("formats/npy/dtype_float32.npy"),
        QStringLiteral("formats/npy/v2_float32.npy"),
        QStringLiteral("formats/npy/fortran_3x4x5.npy"),
        QStringLiteral("formats/npy/torch_logits.npy"),
        QStringLiteral("formats/npy/be_float64.npy"),
        QStringLiteral("formats/npz/savez.npz"),
        QStringLiteral("formats/npz/savez_compressed.npz"),
        QStringLiteral("formats/npz/torch.npz"),
        QStringLiteral("formats/npz/mixed.npz"),
        QStringLiteral("formats/npz/large_deflated.npz"),
        QStringLiteral("formats/hdf5/torch.h5"),
        QStringLiteral("formats/hdf5/dtypes.h5"),
        QStringLiteral("formats/hdf5/groups.h5"),
        QStringLiteral("formats/hdf5/attributes.h5"),
        QStringLiteral("formats/hdf5/deep.h5"),
        QStringLiteral("dumps/ce_basic.h5"),
        QStringLiteral("dumps/bce_basic.h5"),
        QStringLiteral("dumps/run_nested.h5"),
        QStringLiteral("dumps/seg_ignore_255.h5"),
        QStringLiteral("dumps/ce_kdim_3d.npz"),
        QStringLiteral("dumps/ce_weight_smoothing.npz"),
    };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // For triage: SHAPESCOPE_KEEP_VARIANTS=1 keeps the damaged files.
    if (qEnvironmentVariableIsSet("SHAPESCOPE_KEEP_VARIANTS")) {
        dir.setAutoRemove(false);
        qInfo("variants kept in %s", qPrintable(dir.path()));
    }
    std::vector<Variant> variants;
    quint32 seed = 1;
    for (const QString& relative : files) {
        const QString source = QStringLiteral(SHAPESCOPE_TEST_DATA "/") + relative;
        const QByteArray original = readAll(source);
        QVERIFY2(!original.isEmpty(), qPrintable(source));
        const QFileInfo info(source);
        for (size_t d = 0; d < damages().size(); ++d) {
            std::mt19937 random(seed++);
            const QString path = dir.filePath(
                QStringLiteral("%1-%2.%3").arg(info.completeBaseName()).arg(d).arg(info.suffix()));
            QVERIFY(writeAll(path, damages()[d].second(original, random)));
            variants.push_back(
                {path, relative, damages()[d].first, info.suffix() != QLatin1String("h5")});
        }
    }
    // A folder of .npy files with one of them damaged.
    for (size_t d = 0; d < damages().size(); ++d) {
        std::mt19937 random(seed++);
        const QString folder = dir.filePath(QStringLiteral("folder_pair-%1").arg(d));
        QVERIFY(QDir().mkpath(folder));
        for (const char* name : {"logits.npy", "labels.npy"}) {
            QByteArray bytes = readAll(QStringLiteral(SHAPESCOPE_TEST_DATA "/dumps/folder_pair/") +
                                       QLatin1String(name));
            if (QLatin1String(name) == QLatin1String(d % 2 ? "labels.npy" : "logits.npy"))
                bytes = damages()[d].second(bytes, random);
            QVERIFY(writeAll(folder + QLatin1Char('/') + QLatin1String(name), bytes));
        }
        variants.push_back({folder, QStringLiteral("dumps/folder_pair"), damages()[d].first, true});
    }

    QList<QStringList> commands;
    for (const Variant& v : variants)
        commands << QStringList{QStringLiteral("check"), v.path};
    QElapsedTimer timer;
    timer.start();
    const QList<CliRun> runs = runAll(commands, 4, 60000);
    const qint64 total = timer.elapsed();

    int exits[3] = {0, 0, 0}, crashed = 0, stopped = 0;
    QStringList failures;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const CliRun& run = runs[i];
        const Variant& variant = variants[size_t(i)];
        const QString what = QStringLiteral("%1 (%2): ").arg(variant.source, variant.kind);
        if (!run.exitedNormally() || run.exitCode < 0 || run.exitCode > 2) {
            failures << what + run.describe();
            continue;
        }
        ++exits[run.exitCode];
        if (run.exitCode == 2 &&
            !QString::fromUtf8(run.err).startsWith(QStringLiteral("shapescope: ") + variant.path))
            failures << what + QStringLiteral("message does not name the file: ") + run.describe();
        if (run.readerCrashed() || run.readerStopped()) {
            (run.readerCrashed() ? crashed : stopped) += 1;
            qInfo("%s%s", qPrintable(what), run.err.trimmed().constData());
            // Again, with the worker's last output (a sanitizer's report) on stderr.
            QProcessEnvironment verbose = QProcessEnvironment::systemEnvironment();
            verbose.insert(QStringLiteral("QT_LOGGING_RULES"),
                           QStringLiteral("shapescope.worker.debug=true"));
            const CliRun again = runCli(run.arguments, 60000, verbose);
            const qsizetype at = again.err.lastIndexOf("SUMMARY: ");
            const QByteArray summary =
                at < 0 ? QByteArray() : again.err.mid(at).split('\n').constFirst();
            // A report that ends in a source file of ours names it (build/ holds no sources).
            const QByteArray sources = QByteArrayLiteral(SHAPESCOPE_TEST_DATA).chopped(11);
            const bool ours =
                summary.contains(sources + "/core/") || summary.contains(sources + "/app/");
            // ShapeScope's own parsers must not crash at all; libhdf5 may, but a sanitizer
            // report that ends in our code is ours to fix.
            if (variant.ownParser || ours)
                failures << what + again.describe();
        }
    }
    qInfo("%lld damaged variants in %.1f s (4 at a time): exit 0: %d, exit 1: %d, exit 2: %d; "
          "reader crashes contained: %d, hangs contained: %d",
          qlonglong(runs.size()), double(total) / 1000, exits[0], exits[1], exits[2], crashed,
          stopped);
    QVERIFY(runs.size() >= 300);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestIsolationDamaged)
#include "tst_isolation_damaged.moc"
