// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/sampledetail.h"
#include "session/session.h"
#include "state/latestjob.h"

#include <QObject>
#include <memory>

namespace shapescope {

// Computes SampleDetails off the GUI thread (QtConcurrent), reading through the Session so it
// works with a worker process. Only the newest request's result is delivered (LatestJob).
class SampleDetailLoader : public QObject
{
    Q_OBJECT

public:
    explicit SampleDetailLoader(QObject* parent = nullptr);
    ~SampleDetailLoader() override;

    void setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                   std::shared_ptr<const AnalysisResult> result);
    void load(int pair, const SampleSelection& selection);
    void cancel();
    bool isLoading() const { return m_loading; }

    // A SlabReader over Session::readSlice.
    static SlabReader sessionReader(std::shared_ptr<Session> session, const QString& dumpPath);

Q_SIGNALS:
    void loaded(std::shared_ptr<const shapescope::SampleDetail> detail);
    void failed(int pair, qint64 sample, const QString& message);

private:
    std::shared_ptr<Session> m_session;
    QString m_dumpPath;
    std::shared_ptr<const AnalysisResult> m_result;
    LatestJob m_latest{this};
    bool m_loading = false;
};

} // namespace shapescope
