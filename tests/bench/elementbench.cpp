// SPDX-License-Identifier: GPL-3.0-or-later
// Time from request to result of one sample's per-element losses (Session::elementLosses), in
// this process and through a worker process, best of N:
//   shapescope_elementbench DUMP [SAMPLE] [REPEATS]
// e.g. on a (16, 21, 512, 512) float32 segmentation dump with (16, 512, 512) int64 targets.
#include "session/sessionfactory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>

using namespace shapescope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: shapescope_elementbench DUMP [SAMPLE] [REPEATS]\n");
        return 2;
    }
    const QString dump = args.at(1);
    const qint64 sample = args.size() > 2 ? args.at(2).toLongLong() : 0;
    const int repeats = args.size() > 3 ? args.at(3).toInt() : 5;
    for (const bool isolated : {false, true}) {
        SessionOptions options;
        options.isolated = isolated;
        options.workerProgram = QStringLiteral(SHAPESCOPE_EXECUTABLE);
        Expected<std::unique_ptr<Session>> session = createSession(options);
        if (!session) {
            std::fprintf(stderr, "%s\n", qPrintable(session.error()));
            return 2;
        }
        AnalyzeRequest analyze{dump, {}};
        analyze.options.computeLosses = false; // the pair's layout is all the request needs
        Expected<AnalysisResult> result = (*session)->analyze(analyze, {});
        if (!result || result->pairs.empty()) {
            std::fprintf(stderr, "%s\n", result ? "no pair" : qPrintable(result.error()));
            return 2;
        }
        const PairResult& pair = result->pairs.front();
        const ElementLossRequest request{dump,        result->spec, pair.input,
                                         pair.target, pair.layout,  sample};
        double best = 1e9, first = 0;
        qint64 elements = 0;
        for (int r = 0; r < repeats; ++r) {
            QElapsedTimer timer;
            timer.start();
            Expected<ElementLossResult> losses = (*session)->elementLosses(request);
            const double ms = double(timer.nsecsElapsed()) / 1e6;
            if (!losses) {
                std::fprintf(stderr, "%s\n", qPrintable(losses.error()));
                return 2;
            }
            elements = qint64(losses->losses.size());
            first = r == 0 ? ms : first;
            best = std::min(best, ms);
        }
        std::printf("%-11s sample %lld: %lld losses, first %.1f ms, best of %d %.1f ms\n",
                    isolated ? "worker" : "in process", static_cast<long long>(sample),
                    static_cast<long long>(elements), first, repeats, best);
    }
    return 0;
}
