// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampledetailloader.h"

namespace shapescope {

SampleDetailLoader::SampleDetailLoader(QObject* parent) : QObject(parent) {}

SampleDetailLoader::~SampleDetailLoader() = default;

SlabReader SampleDetailLoader::sessionReader(std::shared_ptr<Session> session,
                                             const QString& dumpPath)
{
    return [session, dumpPath](const QString& tensor, const Slab& slab,
                               DType* sourceType) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session->readSlice(SliceRequest{dumpPath, tensor, slab});
        if (!slice)
            return Error{slice.error()};
        if (sourceType)
            *sourceType = slice->sourceType;
        return std::move(slice->values);
    };
}

void SampleDetailLoader::setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                                   std::shared_ptr<const AnalysisResult> result)
{
    cancel();
    m_session = std::move(session);
    m_dumpPath = dumpPath;
    m_result = std::move(result);
}

void SampleDetailLoader::cancel()
{
    m_latest.supersede();
    m_loading = false;
}

void SampleDetailLoader::load(int pair, const SampleSelection& selection)
{
    m_latest.supersede();
    if (!m_session || !m_result) {
        m_loading = false;
        Q_EMIT failed(pair, selection.sample, tr("No dump is open"));
        return;
    }
    m_loading = true;
    m_latest.run(
        nullptr,
        [pair, selection, result = m_result, read = sessionReader(m_session, m_dumpPath)] {
            return readSampleDetail(*result, pair, selection, read);
        },
        [this, pair, sample = selection.sample](Expected<SampleDetail> detail) {
            m_loading = false;
            if (detail)
                Q_EMIT loaded(std::make_shared<const SampleDetail>(std::move(*detail)));
            else
                Q_EMIT failed(pair, sample, detail.error());
        });
}

} // namespace shapescope
