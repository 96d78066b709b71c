// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <vector>

namespace shapescope::kernels {

// The SIMD instruction sets the loss kernels were compiled for that this CPU supports, best
// first (e.g. "AVX2", "SSE4", "SCALAR"). Tests and benchmarks run every one of them.
struct KernelTarget
{
    qint64 bits = 0; // Highway's HWY_* target bit
    const char* name = "";
};
std::vector<KernelTarget> availableKernelTargets();

// Makes the kernels dispatch to `target` (one of availableKernelTargets()) until called with 0,
// which restores the best supported target; meanwhile availableKernelTargets() lists only
// `target`. Process-wide: for tests and benchmarks only.
void forceKernelTarget(qint64 target);

} // namespace shapescope::kernels
