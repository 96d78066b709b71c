// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the cores can compute per logit with no memory traffic at all: the floor under any
// cross-entropy kernel, next to which the memory read bandwidth is only one of two ceilings.

namespace shapescope::bench {

struct ComputeCeiling
{
    const char* target = "";          // the SIMD target both loops ran on
    int lanes = 0;                    // float32 lanes per vector there
    double logitsPerSecond1 = 0.0;    // max + exp + sum per logit, L1-resident, one thread
    double logitsPerSecond2 = 0.0;    // the same on two threads at once
    double vectorFmasPerSecond = 0.0; // independent vector FMAs, one thread
};

// Best of `reps` timings of each loop; `quick` shortens them to a smoke run.
ComputeCeiling measureComputeCeiling(int reps, bool quick);

} // namespace shapescope::bench
