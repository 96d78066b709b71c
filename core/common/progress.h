// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <functional>

namespace shapescope {

// Reports how far long work has come (0..1) and what it is doing. Returning false asks the
// work to stop; it then returns Error::cancelled().
using ProgressCallback = std::function<bool(double fraction, const QString& message)>;

// Wraps a ProgressCallback so hot loops may call it as often as they like: the callback runs at
// most every `interval` ms (and always for the first and last report), which keeps signal
// traffic to the GUI low while cancellation is still seen within one interval.
class ProgressThrottle
{
public:
    explicit ProgressThrottle(ProgressCallback callback, int intervalMs = 50);

    // Returns false once the callback has asked to cancel; stays false afterwards.
    bool report(double fraction, const QString& message);
    // Like report() but always calls through (phase changes, completion).
    bool force(double fraction, const QString& message);
    bool cancelled() const { return m_cancelled; }

private:
    ProgressCallback m_callback;
    QElapsedTimer m_timer;
    int m_intervalMs;
    bool m_cancelled = false;
};

} // namespace shapescope
