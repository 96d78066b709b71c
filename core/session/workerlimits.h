// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QtGlobal>

namespace shapescope {

// Least privilege for the worker process, which parses files from strangers with libraries that
// have known holes. Linux only; each call does what the platform allows and says what it could
// not do.

// At start, before anything is read: no core dumps (a crash must not write the file's bytes to
// disk), no writing of files at all, no gaining privileges through exec, and first in line for
// the OOM killer, so that a memory-hungry file takes the worker down and not the GUI.
Status applyWorkerStartupLimits();

// Caps the address space (RLIMIT_AS) so a file that declares absurd sizes makes allocations
// fail instead of exhausting the machine. Not applied under AddressSanitizer, whose shadow
// memory reserves terabytes of address space. `bytes` <= 0 leaves it unlimited.
Status limitAddressSpace(qint64 bytes);
bool addressSpaceLimitSupported();
// Physical memory plus room for thread stacks and malloc arenas: what a legitimate analysis
// never needs more of.
qint64 defaultAddressSpaceLimit();

// Lets the process use `seconds` more CPU time (RLIMIT_CPU's soft limit, SIGXCPU beyond it)
// from now: called at the start of every request, so a worker reused for many requests is not
// killed for their sum. `seconds` <= 0 leaves it as it is.
Status limitCpuTimeFromNow(qint64 seconds);

} // namespace shapescope
