#pragma once

// Included before any Highway header by the translation units of the loss kernels, so the
// dispatch tables (losskernels.cpp) and the target list (kerneltargets.cpp) agree.
//
// Compiled targets on x86-64: AVX3 (AVX-512), AVX2, SSE4 and the scalar fallback. SSSE3 is left
// out: only pre-2008 CPUs have it without SSE4 (they get the scalar code), and every target is
// one more copy of all kernels to compile.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS HWY_SSSE3
#endif
