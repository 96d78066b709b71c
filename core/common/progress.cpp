// SPDX-License-Identifier: GPL-3.0-or-later
#include "progress.h"

namespace shapescope {

ProgressThrottle::ProgressThrottle(ProgressCallback callback, int intervalMs)
    : m_callback(std::move(callback)), m_intervalMs(intervalMs)
{}

bool ProgressThrottle::report(double fraction, const QString& message)
{
    if (m_cancelled)
        return false;
    if (m_timer.isValid() && m_timer.elapsed() < m_intervalMs)
        return true;
    return force(fraction, message);
}

bool ProgressThrottle::force(double fraction, const QString& message)
{
    if (m_cancelled)
        return false;
    m_timer.start();
    if (m_callback && !m_callback(fraction, message))
        m_cancelled = true;
    return !m_cancelled;
}

} // namespace shapescope
