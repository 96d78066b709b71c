// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "replywait.h"
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
//
// A call's stop token (or its progress callback returning false) cancels it: the worker is asked
// to stop and kept if it does within cancelGraceMs, killed otherwise. stop() and the destructor
// kill the workers of every call in flight at once (within ReplyWait's stop poll), so closing
// never waits for a worker that hangs on a hostile file.
class WorkerSession final : public Session
{
public:
    explicit WorkerSession(WorkerOptions options);
    // Stops every call in flight, then waits for them to leave (which they do at once).
    ~WorkerSession() override;

    Expected<DumpSummary> open(const QString& path, std::stop_token stop = {}) override;
    Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                     const ProgressCallback& progress) override;
    Expected<SliceResult> readSlice(const SliceRequest& request,
                                    std::stop_token stop = {}) override;
    Expected<ElementLossResult> elementLosses(const ElementLossRequest& request,
                                              std::stop_token stop = {}) override;
    Expected<ConfusionMatrix> confusion(const ConfusionRequest& request,
                                        const ProgressCallback& progress) override;
    void stop() override;
    // The tensors only (the protocol's ListTensors), for callers that need no groups or notes.
    Expected<std::vector<TensorInfo>> listTensors(const QString& path, std::stop_token stop = {});

    const WorkerOptions& options() const { return m_options; }
    // Worker processes alive now, busy or idle (tests kill them; an about box may list them).
    std::vector<qint64> workerProcessIds() const;
    // How many workers this session has started (a crash makes the next call start one).
    int workersStarted() const { return m_started; }
    // The most workers that were serving calls at one time (at most options().maxWorkers).
    int peakBusyWorkers() const;

private:
    using Process = std::unique_ptr<worker::WorkerProcess>;

    template <typename T>
    Expected<T> call(worker::FrameType type, const QByteArray& payload, const QString& path,
                     const ProgressCallback& progress, const std::stop_token& stop,
                     const char* what);
    // Waits for one of the maxWorkers slots; false when a stop came first.
    bool acquireSlot(const std::stop_token& stop);
    void releaseSlot(Process process);
    // Hands the request to a worker: an idle one, or a new one when none is idle or the idle
    // one turns out to have died (retried once).
    Expected<Process> sendRequest(worker::FrameType type, quint32 id, const QByteArray& payload,
                                  const QString& path);
    template <typename T>
    Expected<T> takeReply(Process process, const worker::ReplyWait::Outcome& outcome,
                          const QString& path, const char* what);
    // Kills (or reaps) a worker whose wait ended without a usable reply; says why for the user.
    Error abandon(Process process, const worker::ReplyWait::Outcome& outcome, const QString& path);
    void track(qint64 pid);
    void discard(Process process);
    Expected<Process> takeWorker(bool* reused);
    Expected<Process> startWorker();
    void returnWorker(Process process, bool reusable);

    WorkerOptions m_options;
    mutable QMutex m_mutex;
    QWaitCondition m_workerFree;
    int m_busy = 0;
    std::vector<qint64> m_busyPids;
    int m_peakBusy = 0;
    std::vector<std::unique_ptr<worker::WorkerProcess>> m_idle;
    std::atomic<quint32> m_nextRequest{1};
    std::atomic<int> m_started{0};
    std::stop_source m_stop;
};

} // namespace shapescope
