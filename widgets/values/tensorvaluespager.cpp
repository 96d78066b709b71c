// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorvaluespager.h"

namespace shapescope {

TensorValuesPager::TensorValuesPager(Deliver deliver, QObject* parent)
    : QObject(parent), m_deliver(std::move(deliver))
{
    m_pool.setMaxThreadCount(kMaxInFlight);
}

TensorValuesPager::~TensorValuesPager()
{
    // Jobs hold their own copy of the session; their watchers die with this object.
    m_pool.waitForDone();
}

void TensorValuesPager::reset()
{
    m_latest.supersede();
    m_queue.clear();
    m_wanted.clear();
}

void TensorValuesPager::request(quint64 key, const SliceRequest& request)
{
    if (!m_session || m_wanted.count(key))
        return;
    m_wanted.insert(key);
    m_queue.push_back(Queued{key, request});
    if (m_queue.size() > static_cast<size_t>(kMaxQueued)) {
        // Scrolled past: the oldest requests are no longer on screen.
        m_wanted.erase(m_queue.front().key);
        m_queue.pop_front();
    }
    startNext();
}

void TensorValuesPager::startNext()
{
    while (m_inFlight < kMaxInFlight && !m_queue.empty()) {
        Queued next = std::move(m_queue.back()); // the newest: what the view shows now
        m_queue.pop_back();
        ++m_inFlight;
        ++m_requested;
        m_latest.run(
            &m_pool,
            [session = m_session,
             request = std::move(next.request)]() -> Expected<std::vector<double>> {
                Expected<SliceResult> slice = session->readSlice(request);
                if (!slice)
                    return Error{slice.error()};
                return std::move(slice->values);
            },
            [this, key = next.key](Expected<std::vector<double>> values) {
                m_wanted.erase(key);
                m_deliver(key, std::move(values));
            },
            [this] {
                --m_inFlight;
                startNext();
                if (m_inFlight == 0 && m_queue.empty())
                    Q_EMIT idle();
            });
    }
}

} // namespace shapescope
