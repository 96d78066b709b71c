// SPDX-License-Identifier: GPL-3.0-or-later
#include "workspace.h"

#include "filespecs.h"

#include <QFileInfo>
#include <algorithm>

namespace shapescope {

Workspace::Workspace(std::shared_ptr<Session> session, QObject* parent)
    : QObject(parent), m_controller(new SessionController(std::move(session), this))
{
    connect(m_controller, &SessionController::opened, this,
            [this](quint64, const DumpSummary& summary) { onOpened(summary); });
    connect(m_controller, &SessionController::analysisReady, this,
            [this](quint64, std::shared_ptr<const AnalysisResult> r) { onAnalysisReady(r); });
    connect(
        m_controller, &SessionController::failed, this,
        [this](quint64, const QString& path, const QString& message) { onFailed(path, message); });
    connect(m_controller, &SessionController::cancelled, this, [this] { onCancelled(); });
    connect(m_controller, &SessionController::progress, this,
            [this](quint64, double fraction, const QString& message) {
                Q_EMIT progress(fraction, message);
            });
}

QString Workspace::pendingPath() const
{
    return m_state == State::Opening ? m_pending.path : m_path;
}

void Workspace::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

Workspace::State Workspace::settledState() const
{
    // What to show again if the coming open fails: a running analysis is superseded by it.
    switch (m_state) {
    case State::Opening:
        return m_pending.stateBefore;
    case State::Analyzing:
        return State::Cancelled;
    default:
        return m_state;
    }
}

void Workspace::open(const QString& path, const QString& displayName)
{
    const QFileInfo info(path);
    const QString name = displayName.isEmpty() ? info.fileName() : displayName;
    m_pending = {info.absoluteFilePath(), name, OpenReason::NewFile, settledState()};
    setState(State::Opening);
    m_controller->open(m_pending.path);
}

void Workspace::reload()
{
    if (!m_hasDump)
        return;
    m_pending = {m_path, m_displayName, OpenReason::Reload, settledState()};
    setState(State::Opening);
    m_controller->open(m_path);
}

void Workspace::analyze()
{
    if (!m_hasDump)
        return;
    qint64 bytes = 0;
    for (const TensorInfo& tensor : m_summary.tensors)
        bytes += tensor.byteCount();
    startAnalysis(bytes >= m_quickPassBytes);
}

void Workspace::startAnalysis(bool quickPass)
{
    AnalyzeRequest request;
    request.path = m_path;
    request.options.spec = m_spec;
    request.options.transforms = m_transforms;
    request.options.classNamesFile = m_classNamesFile;
    if (m_torch) {
        request.options.torch = m_torch;
        request.options.torchSource = TorchSource::Settings;
    } else if (const Expected<std::optional<TorchVersion>> env = torchVersionFromEnvironment();
               env) {
        request.options.torch = *env;
        request.options.torchSource = TorchSource::Environment;
    } else {
        Q_EMIT errorOccurred(m_path, tr("%1 is ignored").arg(QLatin1String(torchVersionVariable)),
                             env.error());
    }
    if (quickPass) {
        request.options.computeLosses = false;
        request.options.verifyUnpaired = false;
    }
    m_quickPassRunning = quickPass;
    setState(State::Analyzing);
    m_controller->analyze(request);
    Q_EMIT analysisStarted();
}

void Workspace::setSpec(const LossSpec& spec)
{
    m_spec = spec;
    setSpecRestored(false);
    if (m_hasDump)
        filespecs::save(m_path, m_spec);
    Q_EMIT specChanged(m_spec);
    // A change while a file is still opening is picked up by the analysis that follows.
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::setTensorRole(const QString& path, TensorRole role)
{
    LossSpec spec = m_spec;
    std::erase_if(spec.roles, [&](const RoleOverride& o) { return samePath(path, o.path); });
    if (role != TensorRole::None)
        spec.roles.push_back({path, role});
    setSpec(spec);
}

void Workspace::setTorchVersion(const QString& version)
{
    m_torch = parseTorchVersion(version);
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::applyTransforms(const QStringList& statements)
{
    m_transforms << statements;
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::removeTransform(int index)
{
    if (index < 0 || index >= m_transforms.size())
        return;
    m_transforms.removeAt(index);
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::clearTransforms()
{
    m_transforms.clear();
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::setClassNamesFile(const QString& path)
{
    m_classNamesFile = path;
    if (m_hasDump && m_state != State::Opening)
        analyze();
}

void Workspace::cancel()
{
    m_controller->cancel();
}

void Workspace::onOpened(const DumpSummary& summary)
{
    if (m_pending.reason == OpenReason::NewFile) {
        takeSpecOf(m_pending.path);
        m_transforms.clear();
        m_classNamesFile.clear();
    }
    m_path = m_pending.path;
    m_displayName = m_pending.displayName;
    m_summary = summary;
    m_hasDump = true;
    m_result.reset();
    m_preliminary = false;
    fitSpecToDump();
    Q_EMIT analysisCleared();
    Q_EMIT dumpOpened(m_summary, m_pending.reason);
    analyze();
}

void Workspace::onAnalysisReady(std::shared_ptr<const AnalysisResult> result)
{
    m_result = std::move(result);
    m_preliminary = m_quickPassRunning;
    if (m_preliminary) {
        Q_EMIT analysisReady(m_result);
        startAnalysis(false);
        return;
    }
    setState(State::Ready);
    Q_EMIT analysisReady(m_result);
}

void Workspace::onFailed(const QString& path, QString message)
{
    const QString name = QFileInfo(path).fileName();
    QString title;
    if (m_state == State::Opening) {
        title = tr("Could not open %1")
                    .arg(m_pending.displayName.isEmpty() ? name : m_pending.displayName);
        setState(m_pending.stateBefore); // the previous dump stays
        if (m_hasDump && m_path != m_pending.path) {
            // Before the raw chain a message may carry after "Details:".
            const qsizetype details = message.indexOf(QStringLiteral("\n\nDetails:\n"));
            message.insert(details < 0 ? message.size() : details,
                           tr("\nThe window still shows %1.").arg(m_displayName));
        }
    } else {
        title = tr("Could not analyze %1").arg(m_displayName.isEmpty() ? name : m_displayName);
        setState(State::Failed);
    }
    Q_EMIT errorOccurred(path, title, message);
}

void Workspace::onCancelled()
{
    setState(m_state == State::Opening ? m_pending.stateBefore : State::Cancelled);
}

void Workspace::takeSpecOf(const QString& path)
{
    const std::optional<LossSpec> saved = filespecs::load(path);
    if (!saved && !m_hasDump)
        return; // settings chosen before the first file apply to it
    const LossSpec spec = saved.value_or(guessingSpec());
    setSpecRestored(spec != guessingSpec());
    if (spec == m_spec)
        return;
    m_spec = spec;
    Q_EMIT specChanged(m_spec);
}

void Workspace::setSpecRestored(bool restored)
{
    if (m_specRestored == restored)
        return;
    m_specRestored = restored;
    Q_EMIT specRestoredChanged(restored);
}

void Workspace::fitSpecToDump()
{
    auto has = [this](const QString& path) {
        return std::any_of(m_summary.tensors.begin(), m_summary.tensors.end(),
                           [&](const TensorInfo& t) { return t.path == path; });
    };
    bool changed = false;
    if (m_spec.hasPairOverride() && !(has(m_spec.inputPath) && has(m_spec.targetPath))) {
        m_spec.inputPath.clear();
        m_spec.targetPath.clear();
        changed = true;
    }
    if (!m_spec.weightTensor.isEmpty() && !has(m_spec.weightTensor)) {
        m_spec.weightTensor.clear();
        changed = true;
    }
    const size_t roles = m_spec.roles.size();
    std::erase_if(m_spec.roles, [&](const RoleOverride& o) {
        return std::none_of(m_summary.tensors.begin(), m_summary.tensors.end(),
                            [&](const TensorInfo& t) { return samePath(t.path, o.path); });
    });
    changed = changed || m_spec.roles.size() != roles;
    if (changed)
        Q_EMIT specChanged(m_spec);
}

} // namespace shapescope
