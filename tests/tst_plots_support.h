// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the plot, export, inspector and values tests: the offscreen platform unless one is
// set, analyses of the fixtures as shared results, and synthetic runs of any size.
#include "analysis/analysisresult.h"
#include "analysis/runbatches.h"
#include "session/inprocesssession.h"
#include "testutils.h"

#include <QApplication>
#include <QImage>
#include <cmath>
#include <memory>

#define SHAPESCOPE_GUI_TEST_MAIN(TestClass)                                                        \
    int main(int argc, char** argv)                                                                \
    {                                                                                              \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                        \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                               \
        QApplication app(argc, argv);                                                              \
        QApplication::setStyle(QStringLiteral("Fusion"));                                          \
        TestClass test;                                                                            \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&test, argc, argv);                                                    \
    }

namespace shapescope::test {

inline QString examplePath(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/../../resources/examples/") + file;
}

inline QString fixturePath(const QString& file)
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/dumps/") + file;
}

inline std::shared_ptr<const AnalysisResult> analyzeFile(Session& session, const QString& path,
                                                         const AnalysisOptions& options = {})
{
    Expected<AnalysisResult> result = session.analyze(AnalyzeRequest{path, options}, {});
    if (!result) {
        qWarning("%s", qPrintable(result.error()));
        return nullptr;
    }
    return std::make_shared<const AnalysisResult>(std::move(*result));
}

// A run of `batches` (N, C) batches of `perBatch` samples (the last `lastBatch` when given), with
// losses, targets and predictions drawn at random: for plots of millions of points.
inline std::shared_ptr<const AnalysisResult> syntheticRun(int batches, qint64 perBatch,
                                                          qint64 lastBatch = -1)
{
    auto result = std::make_shared<AnalysisResult>();
    result->dump.file = QStringLiteral("synthetic.h5");
    RunResult run;
    run.name = QStringLiteral("/step_#");
    // xorshift: std::gamma_distribution is slow in Debug builds at 10 M draws.
    quint64 state = 0x9E3779B97F4A7C15ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    auto uniform = [&] { return (static_cast<double>(next() >> 11) + 0.5) / 9007199254740992.0; };
    auto lossOf = [&](auto&) { return -std::log(uniform()) * (uniform() < 0.7 ? 0.5 : 2.0); };
    auto classOf = [&](auto&) { return static_cast<int>(next() % 10); };
    int random = 0;
    for (int b = 0; b < batches; ++b) {
        const qint64 n = b == batches - 1 && lastBatch > 0 ? lastBatch : perBatch;
        PairResult pair;
        pair.group = QStringLiteral("/step_%1").arg(b, 5, 10, QLatin1Char('0'));
        pair.input = pair.group + QStringLiteral("/logits");
        pair.target = pair.group + QStringLiteral("/labels");
        pair.run = 0;
        pair.step = b;
        pair.layout.batchSize = n;
        pair.layout.numClasses = 10;
        pair.layout.classAxis = 1;
        pair.layout.computable = true;
        pair.hasLosses = true;
        SampleValues& v = pair.samples;
        v.loss.resize(static_cast<size_t>(n));
        v.ignored.assign(static_cast<size_t>(n), 0);
        v.target.resize(static_cast<size_t>(n));
        v.predicted.resize(static_cast<size_t>(n));
        v.pTarget.resize(static_cast<size_t>(n));
        double sum = 0;
        for (size_t s = 0; s < v.loss.size(); ++s) {
            v.loss[s] = lossOf(random);
            v.target[s] = classOf(random);
            v.predicted[s] = v.loss[s] < 0.9 ? v.target[s] : (v.target[s] + 1) % 10;
            v.pTarget[s] = std::exp(-v.loss[s]);
            sum += v.loss[s];
        }
        pair.summary.samples = n;
        pair.summary.mean = sum / static_cast<double>(n);
        run.pairs.push_back(b);
        BatchStatistic batch;
        batch.pair = b;
        batch.group = pair.group;
        batch.size = batch.inputSize = n;
        batch.meanLoss = pair.summary.mean;
        run.batches.push_back(batch);
        result->pairs.push_back(std::move(pair));
    }
    // No tensors to measure, so the run's typical size and ragged flags are set here, by core's
    // rule, from the sizes made above.
    std::vector<qint64> sizes;
    for (const BatchStatistic& batch : run.batches)
        sizes.push_back(batch.size);
    run.typicalBatchSize = run.typicalInputSize = typicalValue(sizes);
    for (BatchStatistic& batch : run.batches)
        batch.ragged = batch.size != run.typicalBatchSize;
    result->runs.push_back(std::move(run));
    return result;
}

// Distinct colours in an image (a blank or single-colour drawing has one).
inline int distinctColors(const QImage& image, int enough = 16)
{
    QList<QRgb> seen;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            const QRgb c = image.pixel(x, y);
            if (!seen.contains(c)) {
                seen << c;
                if (seen.size() >= enough)
                    return static_cast<int>(seen.size());
            }
        }
    }
    return static_cast<int>(seen.size());
}

} // namespace shapescope::test
