// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Timing for the benchmarks: the best of several runs, the one least disturbed by the other
// processes on the machine.

#include <algorithm>
#include <chrono>

namespace shapescope::bench {

inline double seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Seconds of the fastest of `reps` calls of f.
template <typename F> double bestTime(int reps, F&& f)
{
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        const double t0 = seconds();
        f();
        best = std::min(best, seconds() - t0);
    }
    return best;
}

} // namespace shapescope::bench
