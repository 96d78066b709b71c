// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end benchmark of what `shapescope losses FILE --csv OUT` does, phase by phase, and the
// cost of isolation: the same analysis in this process (InProcessSession) and through a watched
// worker process (WorkerSession, the CLI's and GUI's default). compare.py runs it beside torch.
//
//   shapescope_pipelinebench FILE [--reps N] [--worker PROGRAM]
//   shapescope_pipelinebench --quick        a small generated dump, one repetition (ctest smoke)
//
// Prints one line per phase (best of N, wall time) and a final `overhead` line:
//   open 3.1 ms | analyze 402.7 ms 2.67 GB/s | csv 95.0 ms | worker analyze 431.2 ms | ...
#include "analysis/analyzer.h"
#include "report/losscsv.h"
#include "session/inprocesssession.h"
#include "session/workersession.h"
#include "testutils.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace shapescope;

namespace {

// Best of `reps` wall times in ms; `run` returns false on failure (then the time is negative).
template <typename F> double bestMs(int reps, F&& run)
{
    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
        QElapsedTimer timer;
        timer.start();
        if (!run())
            return -1;
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

// A small dump for the smoke run: logits (rows, classes) float32 and int64 labels, as .npy files.
QString makeQuickDump(const QTemporaryDir& dir)
{
    const qint64 rows = 512, classes = 100;
    std::vector<float> logits(size_t(rows * classes));
    std::vector<qint64> labels(static_cast<size_t>(rows));
    for (size_t i = 0; i < logits.size(); ++i)
        logits[i] = float(int(i * 2654435761u % 1000) - 500) / 100.0f;
    for (size_t i = 0; i < labels.size(); ++i)
        labels[i] = qint64(i * 7 % classes);
    const bool ok =
        test::writeNpy(dir.filePath(QStringLiteral("logits.npy")), "<f4", {rows, classes},
                       logits.data(), qint64(logits.size() * sizeof(float))) &&
        test::writeNpy(dir.filePath(QStringLiteral("labels.npy")), "<i8", {rows}, labels.data(),
                       qint64(labels.size() * sizeof(qint64)));
    return ok ? dir.path() : QString();
}

int fail(const QString& message)
{
    std::fprintf(stderr, "shapescope_pipelinebench: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    const bool quick = args.removeAll(QStringLiteral("--quick")) > 0;
    int reps = quick ? 1 : 3;
    QString worker = QStringLiteral(SHAPESCOPE_EXECUTABLE);
    QString file;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--reps") && i + 1 < args.size())
            reps = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--worker") && i + 1 < args.size())
            worker = args[++i];
        else
            file = args[i];
    }
    QTemporaryDir dir;
    if (quick)
        file = makeQuickDump(dir);
    if (file.isEmpty())
        return fail(QStringLiteral("usage: shapescope_pipelinebench FILE [--reps N] [--worker "
                                   "PROGRAM] | --quick"));

    AnalysisOptions options;
    options.verifyUnpaired = false; // as `shapescope losses`
    InProcessSession local;
    double inputBytes = 0;
    const double openMs = bestMs(reps, [&] {
        Expected<DumpSummary> summary = local.open(file);
        if (!summary)
            return false;
        inputBytes = 0;
        for (const TensorInfo& t : summary->tensors)
            inputBytes += double(t.elementCount()) * dtypeSize(t.dtype);
        return true;
    });
    if (openMs < 0)
        return fail(local.open(file).error());

    Expected<AnalysisResult> result = Error{};
    const double analyzeMs = bestMs(reps, [&] {
        result = local.analyze(AnalyzeRequest{file, options}, {});
        return result.ok();
    });
    if (!result)
        return fail(result.error());
    QByteArray csv;
    const double csvMs = bestMs(reps, [&] {
        QBuffer buffer(&csv);
        return buffer.open(QIODevice::WriteOnly) && writeLossCsv(*result, buffer).ok();
    });

    WorkerOptions workerOptions;
    workerOptions.program = QFileInfo(worker).absoluteFilePath();
    WorkerSession isolated(workerOptions);
    Expected<AnalysisResult> viaWorker = Error{};
    const double workerMs = bestMs(reps, [&] {
        viaWorker = isolated.analyze(AnalyzeRequest{file, options}, {});
        return viaWorker.ok();
    });
    if (!viaWorker)
        return fail(viaWorker.error());
    qint64 samples = 0;
    for (const PairResult& pair : result->pairs)
        samples += qint64(pair.samples.loss.size());

    std::printf("file %s: %.1f MB, %lld samples, best of %d\n", qPrintable(file), inputBytes / 1e6,
                static_cast<long long>(samples), reps);
    std::printf("open %.2f ms | analyze %.1f ms %.2f GB/s | csv %.1f ms %.1f MB | worker analyze "
                "%.1f ms\n",
                openMs, analyzeMs, inputBytes / analyzeMs / 1e6, csvMs, double(csv.size()) / 1e6,
                workerMs);
    std::printf("overhead of isolation %.1f %%\n", (workerMs - analyzeMs) / analyzeMs * 100.0);
    return 0;
}
