#pragma once

#include "session.h"

#include <QMutex>
#include <QStringList>
#include <QWaitCondition>
#include <atomic>
#include <memory>
#include <vector>

namespace shapescope {

namespace worker {
class WorkerProcess;
enum class FrameType : quint16;
} // namespace worker

struct WorkerOptions
{
    QString program; // the executable that serves the protocol
    QStringList arguments{QStringLiteral("worker")};
    int timeoutMs = 15000; // no progress for this long: the worker is stopped
    int heartbeatMs = 1000;
    int cancelGraceMs = 2000;      // after a cancel, how long the worker may take to stop itself
    int maxWorkers = 4;            // concurrent calls beyond this wait for a worker
    int maxIdleWorkers = 2;        // kept for reuse (each holds its open files)
    bool hdf5Plugins = false;      // let HDF5 load filter plugins that a file names
    qint64 addressSpaceBytes = -1; // RLIMIT_AS; -1 = defaultAddressSpaceLimit(), 0 = none
    qint64 cpuSecondsPerRequest = 3600; // RLIMIT_CPU per request; 0 = none
};

// Reads files in watched worker processes (`program worker`, see workerserver.h), so that a
// file that crashes or hangs a reader library costs a worker, not the caller. Each call takes an
// idle worker or starts one; a worker that crashed, stopped answering, was cancelled without
// stopping, or reported a read error is discarded, so the next call gets a fresh one. Safe to
// call from any thread and concurrently (up to maxWorkers at once); progress callbacks run in
// the calling thread.
//
// A crash becomes "FILE: the reader crashed (SIGSEGV, segmentation fault) while reading this
// file; ..."; a worker that shows no progress for timeoutMs is killed and becomes "FILE: the
// reader stopped answering ...". Both name the file and say it is likely damaged or hostile.
class WorkerSession final : public Session
{
public:
    explicit WorkerSession(WorkerOptions options);
    ~WorkerSession() override;

    Expected<DumpSummary> open(const QString& path) override;
    Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                     const ProgressCallback& progress) override;
    Expected<SliceResult> readSlice(const SliceRequest& request) override;
    // The tensors only (the protocol's ListTensors), for callers that need no groups or notes.
    Expected<std::vector<TensorInfo>> listTensors(const QString& path);

    const WorkerOptions& options() const { return m_options; }
    // Worker processes alive now, busy or idle (tests kill them; an about box may list them).
    std::vector<qint64> workerProcessIds() const;
    // How many workers this session has started (a crash makes the next call start one).
    int workersStarted() const { return m_started; }
    // The most workers that were serving calls at one time (at most options().maxWorkers).
    int peakBusyWorkers() const;

private:
    template <typename T>
    Expected<T> call(worker::FrameType type, const QByteArray& payload, const QString& path,
                     const ProgressCallback& progress, const char* what);
    Expected<std::unique_ptr<worker::WorkerProcess>> takeWorker(bool* reused);
    Expected<std::unique_ptr<worker::WorkerProcess>> startWorker();
    void returnWorker(std::unique_ptr<worker::WorkerProcess> process, bool reusable);

    WorkerOptions m_options;
    mutable QMutex m_mutex;
    QWaitCondition m_workerFree;
    int m_busy = 0;
    std::vector<qint64> m_busyPids;
    int m_peakBusy = 0;
    std::vector<std::unique_ptr<worker::WorkerProcess>> m_idle;
    std::atomic<quint32> m_nextRequest{1};
    std::atomic<int> m_started{0};
};

} // namespace shapescope
