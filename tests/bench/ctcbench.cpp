// SPDX-License-Identifier: GPL-3.0-or-later
// CTC losses of (T=400, N=32, C=5000) float32 log_probs with targets of S=100 labels, on 1 and 2
// threads: what the analysis does once log_probs is read (gather each sample's columns, then
// the forward recursion per sample on the pool), beside torch's log-space recursion run in
// double on one sample (the reference). Compare with tests/bench/torch_ctc.py, the same shapes
// in F.ctc_loss(reduction="none").
//
//     build/rel/tests/bench/shapescope_ctcbench [--quick]
#include "analysis/ctckernel.h"
#include "analysis/workerpool.h"
#include "besttime.h"

#include <QCoreApplication>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace shapescope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const qint64 T = quick ? 40 : 400, N = quick ? 4 : 32, C = quick ? 50 : 5000,
                 S = quick ? 10 : 100;
    std::mt19937 rng(7);
    std::normal_distribution<float> logit(0.f, 2.f);
    std::vector<float> logProbs(size_t(T * N * C));
    for (qint64 row = 0; row < T * N; ++row) { // log_softmax rows
        float* x = logProbs.data() + row * C;
        double sum = 0;
        for (qint64 c = 0; c < C; ++c)
            sum += std::exp(double(x[c] = logit(rng)));
        const float lse = float(std::log(sum));
        for (qint64 c = 0; c < C; ++c)
            x[c] -= lse;
    }
    std::uniform_int_distribution<qint64> label(1, C - 1);
    std::vector<std::vector<qint64>> targets(static_cast<size_t>(N),
                                             std::vector<qint64>(static_cast<size_t>(S), 0));
    for (auto& target : targets) {
        for (qint64& v : target)
            v = label(rng);
    }
    std::vector<double> losses(static_cast<size_t>(N), 0.0);
    std::printf("ctc (T=%lld, N=%lld, C=%lld), S=%lld, float32, reduction='none'\n", T, N, C, S);
    for (int threads : {1, 2}) {
        WorkerPool pool(threads);
        const double t = bench::bestTime(quick ? 1 : 5, [&] {
            std::vector<CtcSample> samples;
            for (qint64 b = 0; b < N; ++b) {
                samples.push_back(makeCtcSample(targets[size_t(b)], 0, T));
                samples.back().logProbs.resize(size_t(T) * samples.back().labels.size());
            }
            pool.forEach(N, [&](qint64 b) {
                gatherCtcColumns(logProbs.data(), 0, T, N, C, false, samples, b);
                losses[size_t(b)] = ctcNegLogLikelihood(samples[size_t(b)]);
            });
        });
        std::printf("ShapeScope %d thread%s %8.2f ms   (loss[0] = %.6f)\n", threads,
                    threads > 1 ? "s" : " ", t * 1e3, losses[0]);
    }
    // Where the time goes, on one thread: setting the samples up, gathering, the recursion.
    std::vector<CtcSample> gathered;
    const double setup = bench::bestTime(1, [&] {
        for (qint64 b = 0; b < N; ++b) {
            gathered.push_back(makeCtcSample(targets[size_t(b)], 0, T));
            gathered.back().logProbs.resize(size_t(T) * gathered.back().labels.size());
        }
    });
    const double gather =
        bench::bestTime(1, [&] { gatherCtcColumns(logProbs.data(), 0, T, N, C, false, gathered); });
    const double forward = bench::bestTime(1, [&] {
        for (qint64 b = 0; b < N; ++b)
            losses[size_t(b)] = ctcNegLogLikelihood(gathered[size_t(b)]);
    });
    std::printf("1 thread: set-up %.2f ms, gather %.2f ms, forward recursion %.2f ms\n",
                setup * 1e3, gather * 1e3, forward * 1e3);
    double reference = 0;
    const double t = bench::bestTime(
        quick ? 1 : 3, [&] { reference = ctcNegLogLikelihoodReference(gathered[0]); });
    std::printf("log-space reference, 1 sample, 1 thread %8.2f ms (x %lld samples = %.1f ms); "
                "loss[0] = %.6f\n",
                t * 1e3, N, t * 1e3 * double(N), reference);
    return 0;
}
