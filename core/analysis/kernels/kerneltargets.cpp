#include "analysis/kernels/kerneltargets.h"

#include "analysis/kernels/simdconfig.h" // before Highway: the same HWY_TARGETS as the kernels

#include <hwy/highway.h>
#include <hwy/targets.h>

namespace shapescope::kernels {

std::vector<KernelTarget> availableKernelTargets()
{
    std::vector<KernelTarget> targets;
    // Lower bits are better targets on x86 (HWY_AVX3 < HWY_AVX2 < HWY_SSE4 < HWY_SCALAR).
    for (qint64 bits = hwy::SupportedTargets() & HWY_TARGETS; bits != 0; bits &= bits - 1) {
        const qint64 target = bits & -bits;
        targets.push_back({target, hwy::TargetName(target)});
    }
    return targets;
}

void forceKernelTarget(qint64 target)
{
    hwy::SetSupportedTargetsForTest(target);
}

} // namespace shapescope::kernels
