// SPDX-License-Identifier: GPL-3.0-or-later
// Throughput of classIndexLoss (F.cross_entropy, reduction='none') on the shapes that matter,
// and of elementwiseLoss (mse, l1, smooth_l1, huber) on (1048576,) and (65536, 256),
// single-threaded and on two threads splitting the rows as the engine does, next to a plain
// read of the same buffer on one and on two threads (the memory-bandwidth ceiling), and the
// compute ceiling of computeceiling.h (the kernels' exp with no memory traffic). Compare with
// torch_kernels.py.
//
//   shapescope_kernelbench            the full shapes (~700 MB of RAM)
//   shapescope_kernelbench --quick    tiny shapes, one repetition (the ctest smoke run)
//   shapescope_kernelbench --all-targets   every SIMD target this CPU supports, not just the best

#include "analysis/kernels/kerneltargets.h"
#include "analysis/losskernels.h"
#include "besttime.h"
#include "computeceiling.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

using namespace shapescope;
using bench::bestTime;

namespace {

struct BenchShape
{
    const char* name;
    qint64 outer, classes, inner;
};

// A plain read of n bytes with independent accumulators; the result keeps it from being elided.
std::uint64_t readAll(const void* data, size_t bytes)
{
    const auto* p = static_cast<const std::uint64_t*>(data);
    const size_t n = bytes / sizeof(std::uint64_t);
    std::uint64_t a[8] = {};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k)
            a[k] += p[i + k];
    for (; i < n; ++i)
        a[0] += p[i];
    return a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
}

void benchShape(const BenchShape& s, int reps)
{
    const qint64 elements = s.outer * s.classes * s.inner;
    const qint64 positions = s.outer * s.inner;
    const size_t n = static_cast<size_t>(positions);
    std::vector<float> x(static_cast<size_t>(elements));
    std::vector<qint64> targets(n);
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (float& v : x) // roughly N(0, 3): a sum of four uniforms
        v = float((double(next() % 65536) + double(next() % 65536) + double(next() % 65536) +
                   double(next() % 65536)) /
                      65536.0 -
                  2.0) *
            5.2f;
    for (qint64& t : targets)
        t = qint64(next() % std::uint64_t(s.classes));
    std::vector<double> loss(n), weight(n), logProb(n);
    std::vector<qint32> predicted(n);
    const ClassIndexOptions options;

    // Rows [o0, o1) into their place in the outputs, as one engine thread would.
    auto run = [&](qint64 o0, qint64 o1) {
        const ClassBlock<float> block{x.data() + o0 * s.classes * s.inner, o1 - o0, s.classes,
                                      s.inner};
        const qint64 p0 = o0 * s.inner;
        classIndexLoss(
            block, targets.data() + p0, options,
            {loss.data() + p0, weight.data() + p0, predicted.data() + p0, logProb.data() + p0});
    };
    const double bytes = double(elements) * sizeof(float);
    std::uint64_t sink = 0;
    const double tRead = bestTime(reps, [&] { sink += readAll(x.data(), size_t(bytes)); });
    // The machine's read bandwidth: both cores reading, as the two-thread kernel does.
    const double tRead2 = bestTime(reps, [&] {
        const size_t half = size_t(bytes) / 2 / 64 * 64;
        std::uint64_t other = 0;
        std::thread reader([&] {
            other = readAll(reinterpret_cast<const char*>(x.data()) + half, size_t(bytes) - half);
        });
        sink += readAll(x.data(), half);
        reader.join();
        sink += other;
    });
    const double t1 = bestTime(reps, [&] { run(0, s.outer); });
    const double t2 = bestTime(reps, [&] {
        std::thread other([&] { run(s.outer / 2, s.outer); });
        run(0, s.outer / 2);
        other.join();
    });
    std::printf("%-18s 1 thread %8.2f ms %6.2f GB/s %9.3g rows/s | 2 threads %8.2f ms %6.2f GB/s"
                " | read 1 thread %6.2f GB/s 2 threads %6.2f GB/s%s\n",
                s.name, t1 * 1e3, bytes / t1 / 1e9, double(positions) / t1, t2 * 1e3,
                bytes / t2 / 1e9, bytes / tRead / 1e9, bytes / tRead2 / 1e9, sink == 42 ? " " : "");
}

// elementwiseLoss (mse, l1, smooth_l1, huber; reduction='none') on two threads splitting the
// rows, as the engine does; `classes` is the row length the kernel sums (1 for a 1-D input).
void benchElementwise(const char* shape, LossKind kind, qint64 outer, qint64 classes, int reps)
{
    const size_t elements = size_t(outer * classes);
    std::vector<float> x(elements), t(elements);
    std::uint64_t state = 0x2545F4914F6CDD1Dull;
    for (size_t i = 0; i < elements; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        x[i] = float(double(state % 65536) / 32768.0 - 1.0) * 3.0f;
        t[i] = float(double((state >> 20) % 65536) / 32768.0 - 1.0);
    }
    // As the engine calls it: multi-label positions weigh 1, no weight array is written.
    std::vector<double> loss(static_cast<size_t>(outer));
    const ElementwiseOptions options{kind, 1.0, 1.0, false, nullptr};
    auto run = [&](qint64 o0, qint64 o1) {
        const ClassBlock<float> block{x.data() + o0 * classes, o1 - o0, classes, 1};
        elementwiseLoss(block, t.data() + o0 * classes, options,
                        {loss.data() + o0, nullptr, nullptr, nullptr});
    };
    const double t1 = bestTime(reps, [&] { run(0, outer); });
    const double t2 = bestTime(reps, [&] {
        std::thread other([&] { run(outer / 2, outer); });
        run(0, outer / 2);
        other.join();
    });
    const double bytes = double(elements) * 2 * sizeof(float); // input and target
    std::printf("%-10s %-14s 1 thread %8.3f ms %6.2f GB/s | 2 threads %8.3f ms %6.2f GB/s\n",
                qPrintable(lossKindName(kind)), shape, t1 * 1e3, bytes / t1 / 1e9, t2 * 1e3,
                bytes / t2 / 1e9);
}

} // namespace

int main(int argc, char** argv)
{
    bool quick = false, allTargets = false;
    for (int i = 1; i < argc; ++i) {
        quick = quick || std::strcmp(argv[i], "--quick") == 0;
        allTargets = allTargets || std::strcmp(argv[i], "--all-targets") == 0;
    }
    const std::vector<BenchShape> shapes =
        quick ? std::vector<BenchShape>{{"(64,1000)", 64, 1000, 1},
                                        {"(4096,10)", 4096, 10, 1},
                                        {"(4,50257)", 4, 50257, 1},
                                        {"(2,21,1024)", 2, 21, 1024}}
              : std::vector<BenchShape>{{"(65536,1000)", 65536, 1000, 1},
                                        {"(262144,10)", 262144, 10, 1},
                                        {"(1024,50257)", 1024, 50257, 1},
                                        {"(16,21,16384)", 16, 21, 512 * 512 / 16}};
    std::vector<kernels::KernelTarget> targets = kernels::availableKernelTargets();
    if (!allTargets)
        targets.resize(1);
    for (const auto& target : targets) {
        kernels::forceKernelTarget(target.bits);
        std::printf("classIndexLoss float32, target %s\n", target.name);
        for (const BenchShape& s : shapes)
            benchShape(s, quick ? 1 : 5);
        const bench::ComputeCeiling c = bench::measureComputeCeiling(quick ? 1 : 5, quick);
        std::printf("compute ceiling (running max, exp, sum per logit; L1-resident) on %s, %d "
                    "lanes: 1 thread %6.2f GB/s 2 threads %6.2f GB/s | vector FMAs %.2f per ns "
                    "per thread\n",
                    c.target, c.lanes, c.logitsPerSecond1 * sizeof(float) / 1e9,
                    c.logitsPerSecond2 * sizeof(float) / 1e9, c.vectorFmasPerSecond / 1e9);
    }
    kernels::forceKernelTarget(0);
    std::printf("elementwiseLoss float32 (input and target read), target %s\n",
                kernels::availableKernelTargets().front().name);
    for (LossKind kind : {LossKind::Mse, LossKind::L1, LossKind::SmoothL1, LossKind::Huber}) {
        if (quick) {
            benchElementwise("(4096,)", kind, 4096, 1, 1);
            benchElementwise("(64,256)", kind, 64, 256, 1);
        } else {
            benchElementwise("(1048576,)", kind, 1048576, 1, 20);
            benchElementwise("(65536,256)", kind, 65536, 256, 10);
        }
    }
    return 0;
}
