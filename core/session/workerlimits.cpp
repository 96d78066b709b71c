// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerlimits.h"

#include <QFile>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHAPESCOPE_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SHAPESCOPE_UNDER_ASAN 1
#endif

namespace shapescope {

namespace {

Error systemError(const char* what)
{
    return Error{QStringLiteral("%1: %2").arg(QLatin1String(what),
                                              QString::fromLocal8Bit(std::strerror(errno)))};
}

// Lowers (or, within the hard limit, raises) a soft limit; the hard limit is left alone so
// that later requests can raise the soft one again.
Status setSoftLimit(int resource, rlim_t value, const char* what)
{
    rlimit limit{};
    if (getrlimit(resource, &limit) != 0)
        return systemError(what);
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? value : std::min(value, limit.rlim_max);
    if (setrlimit(resource, &limit) != 0)
        return systemError(what);
    return Status::success();
}

} // namespace

Status applyWorkerStartupLimits()
{
    QStringList failures;
    // Hard limit too: nothing in the worker ever needs a core file.
    const rlimit noCore{0, 0};
    if (setrlimit(RLIMIT_CORE, &noCore) != 0)
        failures << systemError("RLIMIT_CORE").message;
    // The worker reads; it writes only to its pipes, which RLIMIT_FSIZE does not cover.
    const rlimit noFiles{0, 0};
    if (setrlimit(RLIMIT_FSIZE, &noFiles) != 0)
        failures << systemError("RLIMIT_FSIZE").message;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        failures << systemError("PR_SET_NO_NEW_PRIVS").message;
    QFile oom(QStringLiteral("/proc/self/oom_score_adj"));
    if (!oom.open(QIODevice::WriteOnly) || oom.write("1000\n") != 5)
        failures << QStringLiteral("oom_score_adj: %1").arg(oom.errorString());
    if (!failures.isEmpty())
        return Error{failures.join(QStringLiteral("; "))};
    return Status::success();
}

bool addressSpaceLimitSupported()
{
#ifdef SHAPESCOPE_UNDER_ASAN
    return false;
#else
    return true;
#endif
}

qint64 defaultAddressSpaceLimit()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    const qint64 physical = pages > 0 && pageSize > 0 ? qint64(pages) * pageSize : qint64(8) << 30;
    // glibc reserves 64 MiB of address space per malloc arena (up to 8 per core) and 8 MiB of
    // stack per thread; Qt, HDF5 and Highway map a few hundred MiB of libraries and tables.
    const qint64 perThread = qint64(128) << 20;
    const qint64 overhead = (qint64(2) << 30) + perThread * QThread::idealThreadCount();
    return std::max<qint64>(qint64(4) << 30, physical + overhead);
}

Status limitAddressSpace(qint64 bytes)
{
    if (bytes <= 0 || !addressSpaceLimitSupported())
        return Status::success();
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0)
        return systemError("RLIMIT_AS");
    // Hard as well as soft: nothing in the worker has a reason to raise it again.
    const rlim_t value =
        limit.rlim_max == RLIM_INFINITY ? rlim_t(bytes) : std::min(rlim_t(bytes), limit.rlim_max);
    limit.rlim_cur = value;
    limit.rlim_max = value;
    if (setrlimit(RLIMIT_AS, &limit) != 0)
        return systemError("RLIMIT_AS");
    return Status::success();
}

Status limitCpuTimeFromNow(qint64 seconds)
{
    if (seconds <= 0)
        return Status::success();
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return systemError("getrusage");
    const qint64 used = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + 1;
    return setSoftLimit(RLIMIT_CPU, rlim_t(used + seconds), "RLIMIT_CPU");
}

} // namespace shapescope
