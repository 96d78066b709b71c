// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "session/session.h"
#include "state/latestjob.h"

#include <QObject>
#include <QThreadPool>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

namespace shapescope {

// The paging I/O behind TensorValuesModel: reads pages (slabs of one slice) through
// Session::readSlice on a small pool. The newest request goes first, at most kMaxInFlight
// are read at once, and requests pushed out of a bounded queue are forgotten (scrolled past).
// reset() begins a new slice: queued requests go, and pages still in flight are dropped when
// they arrive (LatestJob).
class TensorValuesPager : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxInFlight = 2;
    static constexpr int kMaxQueued = 64;

    // Called on this object's thread with each page of the current slice: its key and values.
    using Deliver = std::function<void(quint64 key, Expected<std::vector<double>> values)>;

    explicit TensorValuesPager(Deliver deliver, QObject* parent = nullptr);
    ~TensorValuesPager() override;

    void setSession(std::shared_ptr<Session> session) { m_session = std::move(session); }
    bool hasSession() const { return m_session != nullptr; }
    void reset();
    // Asks for the page `key`, read with `request`, unless it is already queued or in flight.
    void request(quint64 key, const SliceRequest& request);

    qint64 requested() const { return m_requested; }
    int pending() const { return static_cast<int>(m_queue.size()) + m_inFlight; }

Q_SIGNALS:
    // Every page asked for has arrived.
    void idle();

private:
    struct Queued
    {
        quint64 key = 0;
        SliceRequest request;
    };

    void startNext();

    Deliver m_deliver;
    std::shared_ptr<Session> m_session;
    QThreadPool m_pool;
    LatestJob m_latest{this};
    std::deque<Queued> m_queue;           // waiting; newest at the back
    std::unordered_set<quint64> m_wanted; // queued or in flight, this slice
    int m_inFlight = 0;                   // of any slice: they hold the pool
    qint64 m_requested = 0;
};

} // namespace shapescope
