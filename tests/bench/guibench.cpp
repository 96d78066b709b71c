// SPDX-License-Identifier: GPL-3.0-or-later
// How long the GUI's event loop is ever blocked while the main window opens a dump and computes
// its losses (through the worker process, as `shapescope FILE` does): a 2 ms timer runs
// throughout, and the largest gap between its ticks beyond its period is the worst stall a user
// could feel. compare.py runs it on the 1 GiB dump.
//
// With --replot it times the per-sample plot instead: full replots of 10 million points (5,000
// batches of 2,000 samples), zoomed replots and panning, median of 7, thread CPU and wall time.
//
//   shapescope_guibench FILE [--no-isolation]   (QT_QPA_PLATFORM=offscreen works without X)
//   shapescope_guibench --replot [--points N]
//   shapescope_guibench --quick                 an example dump and 100 k points (ctest smoke)
//
// Prints: `open+analyse 1234 ms; event loop: max stall 12.3 ms, 99th percentile 2.1 ms, N ticks`
// and `replot 10000000 points: full 67.1 ms (wall 68.0), zoomed 12.0 ms (12.1), panning ...`
#include "common/icons.h"
#include "plots/persampleplot.h"
#include "plots/plotdata.h"
#include "plots/qcustomplotinclude.h"
#include "session/inprocesssession.h"
#include "session/workersession.h"
#include "state/metatypes.h"
#include "state/workspace.h"
#include "tst_plots_support.h"
#include "window/examplecatalog.h"
#include "window/guiapplication.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace shapescope;

namespace {

// CPU time of this thread: what a replot costs the GUI thread, whatever else the machine runs.
double threadMilliseconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

int benchReplot(qint64 points)
{
    const int batches = int(std::max<qint64>(1, points / 2000));
    const auto result = test::syntheticRun(batches, 2000);
    PerSamplePlot plot;
    plot.resize(1600, 1000);
    plot.show();
    QApplication::processEvents();
    plot.setData(buildPerSampleSeries(result, plotScopes(*result).front()));
    QCustomPlot* custom = plot.customPlot();
    custom->replot(QCustomPlot::rpImmediateRefresh); // the first lays out and caches labels
    struct Timing
    {
        std::vector<double> cpu, wall;
    };
    auto measure = [&](const std::function<void()>& step) {
        Timing timing;
        for (int i = 0; i < 7; ++i) {
            step();
            const double cpu = threadMilliseconds();
            QElapsedTimer wall;
            wall.start();
            custom->replot(QCustomPlot::rpImmediateRefresh);
            timing.wall.push_back(double(wall.nsecsElapsed()) / 1e6);
            timing.cpu.push_back(threadMilliseconds() - cpu);
        }
        return timing;
    };
    const Timing full = measure([] {});
    custom->xAxis->setRange(double(points) * 0.4, double(points) * 0.44);
    const Timing zoomed = measure([] {});
    const Timing panned = measure([&] { custom->xAxis->moveRange(double(points) / 1000); });
    std::printf("replot %lld points: full %.1f ms (wall %.1f), zoomed to 4%% %.1f ms (%.1f), "
                "panning %.1f ms (%.1f); median of 7, thread CPU\n",
                static_cast<long long>(qint64(batches) * 2000), median(full.cpu), median(full.wall),
                median(zoomed.cpu), median(zoomed.wall), median(panned.cpu), median(panned.wall));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStringLiteral("Fusion"));
    registerMetaTypes();
    initResources();
    QStringList args = QCoreApplication::arguments().mid(1);
    const bool quick = args.removeAll(QStringLiteral("--quick")) > 0;
    const bool inProcess = args.removeAll(QStringLiteral("--no-isolation")) > 0;
    const bool replot = args.removeAll(QStringLiteral("--replot")) > 0;
    qint64 points = 10'000'000;
    if (const qsizetype at = args.indexOf(QStringLiteral("--points"));
        at >= 0 && at + 1 < args.size()) {
        points = args.at(at + 1).toLongLong();
        args.remove(at, 2);
    }
    if (replot || quick) {
        if (const int code = benchReplot(quick ? 100'000 : points); code != 0 || replot)
            return code;
    }
    if (args.size() != 1 && !quick) {
        std::fprintf(stderr, "usage: shapescope_guibench FILE [--no-isolation] | --replot "
                             "[--points N] | --quick\n");
        return 1;
    }
    std::shared_ptr<Session> session;
    if (inProcess) {
        session = std::make_shared<InProcessSession>();
    } else {
        WorkerOptions options;
        options.program = QStringLiteral(SHAPESCOPE_EXECUTABLE);
        session = std::make_shared<WorkerSession>(options);
    }
    MainWindow window(session);
    auto* workspace = window.findChild<Workspace*>(QStringLiteral("workspace"));
    if (!workspace)
        return 1;
    window.resize(1400, 900);
    window.show();

    constexpr double kPeriodMs = 2.0;
    std::vector<double> stalls;
    QElapsedTimer clock;
    double last = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const double now = double(clock.nsecsElapsed()) / 1e6;
        stalls.push_back(std::max(0.0, now - last - kPeriodMs));
        if (qEnvironmentVariableIsSet("SHAPESCOPE_GUIBENCH_TRACE") && stalls.back() > 10)
            std::fprintf(stderr, "%8.1f ms: stall of %.1f ms\n", now, stalls.back());
        last = now;
    });
    QObject::connect(workspace, &Workspace::stateChanged, &app, [&] {
        const Workspace::State state = workspace->state();
        if (qEnvironmentVariableIsSet("SHAPESCOPE_GUIBENCH_TRACE"))
            std::fprintf(stderr, "%8.1f ms: state %d\n", double(clock.nsecsElapsed()) / 1e6,
                         int(state));
        if (state == Workspace::State::Ready || state == Workspace::State::Failed)
            QTimer::singleShot(200, &app, &QCoreApplication::quit); // and the repaint after
    });
    // The window's first layout and paint come first: the stalls measured are those of opening.
    QTimer::singleShot(500, [&] {
        clock.start();
        ticker.start(int(kPeriodMs));
        if (quick)
            window.openExample(ExampleCatalog::defaultFile());
        else
            window.openFile(args.first());
    });
    QTimer::singleShot(10 * 60 * 1000, &app, [] { QCoreApplication::exit(3); });
    const int code = app.exec();
    const double total = double(clock.nsecsElapsed()) / 1e6;
    if (code != 0 || workspace->state() != Workspace::State::Ready || stalls.empty()) {
        std::fprintf(stderr, "shapescope_guibench: the dump did not open\n");
        return 1;
    }
    std::sort(stalls.begin(), stalls.end());
    std::printf("open+analyse %.0f ms; event loop: max stall %.1f ms, 99th percentile %.1f ms, "
                "%zu ticks\n",
                total - 200, stalls.back(), stalls[stalls.size() * 99 / 100], stalls.size());
    return 0;
}
