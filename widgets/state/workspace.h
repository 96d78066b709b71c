// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sessioncontroller.h"

#include <QObject>
#include <memory>

namespace shapescope {

// The dump the window shows: its metadata, its latest analysis, and the loss settings in use.
// Drives the open flow: metadata first (the tree shows at once), then the analysis with
// progress. A failed or cancelled open leaves the previous dump in place.
class Workspace : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Empty,
        Opening,
        Analyzing,
        Ready,
        Cancelled,
        Failed
    };
    Q_ENUM(State)
    enum class OpenReason
    {
        NewFile,
        Reload
    };
    Q_ENUM(OpenReason)

    explicit Workspace(std::shared_ptr<Session> session, QObject* parent = nullptr);

    SessionController* controller() const { return m_controller; }

    // `displayName` replaces the file name in titles (embedded examples live in a temp dir).
    void open(const QString& path, const QString& displayName = {});
    void reload();
    void analyze();
    void setSpec(const LossSpec& spec);
    // Gives the tensor a role in the step (TensorRole::None: back to what its name says), in
    // the spec's overrides; re-runs the analysis.
    void setTensorRole(const QString& path, shapescope::TensorRole role);
    // The PyTorch release to speak for, "" for automatic; re-runs the analysis.
    void setTorchVersion(const QString& version);
    // Fixes tried on the data (AnalysisOptions::transforms), never on the file: appended in
    // order, undone one at a time or all; each re-runs the analysis. A newly opened file starts
    // without any; a reload keeps them.
    void applyTransforms(const QStringList& statements);
    void removeTransform(int index);
    void clearTransforms();
    const QStringList& transforms() const { return m_transforms; }
    // A file of class names the user picked (AnalysisOptions::classNamesFile), "" for none:
    // re-runs the analysis. A newly opened file starts without one; a reload keeps it.
    void setClassNamesFile(const QString& path);
    const QString& classNamesFile() const { return m_classNamesFile; }
    void cancel();

    State state() const { return m_state; }
    bool isBusy() const { return m_state == State::Opening || m_state == State::Analyzing; }
    bool hasDump() const { return m_hasDump; }
    const QString& path() const { return m_path; }
    const QString& displayName() const { return m_displayName; }
    const DumpSummary& summary() const { return m_summary; }
    std::shared_ptr<const AnalysisResult> result() const { return m_result; }
    const LossSpec& spec() const { return m_spec; }
    // The settings in use were restored from the last time this file was open (not PyTorch's
    // defaults, not chosen since): the window says so, with a way back to the defaults.
    bool isSpecRestored() const { return m_specRestored; }
    std::optional<TorchVersion> torchVersion() const { return m_torch; }
    // The path being opened while state() is Opening, else path().
    QString pendingPath() const;
    // The shown result comes from the quick pass (pairs and shape checks, no losses or value
    // checks yet): dumps of at least quickPassBytes() get one first, so a shape bug in a
    // dump of gigabytes shows within a second rather than after every value is read.
    bool isPreliminary() const { return m_preliminary; }
    void setQuickPassBytes(qint64 bytes) { m_quickPassBytes = bytes; }
    qint64 quickPassBytes() const { return m_quickPassBytes; }

Q_SIGNALS:
    void dumpOpened(const shapescope::DumpSummary& summary,
                    shapescope::Workspace::OpenReason reason);
    void analysisStarted();
    void analysisReady(std::shared_ptr<const shapescope::AnalysisResult> result);
    // The shown result no longer belongs to the dump (another file was opened).
    void analysisCleared();
    void stateChanged(shapescope::Workspace::State state);
    void progress(double fraction, const QString& message);
    // `title` says what failed ("Could not open run.h5"), `message` why, naming the file.
    void errorOccurred(const QString& path, const QString& title, const QString& message);
    void specChanged(const shapescope::LossSpec& spec);
    void specRestoredChanged(bool restored);

private:
    struct PendingOpen
    {
        QString path;
        QString displayName;
        OpenReason reason = OpenReason::NewFile;
        State stateBefore = State::Empty;
    };

    void setState(State state);
    State settledState() const;
    void onOpened(const DumpSummary& summary);
    void onAnalysisReady(std::shared_ptr<const AnalysisResult> result);
    void onFailed(const QString& path, QString message);
    void onCancelled();
    void startAnalysis(bool quickPass);
    // Drops a pairing override or weight tensor the new dump does not have.
    void fitSpecToDump();
    // A newly opened file gets its own saved settings, or PyTorch's defaults.
    void takeSpecOf(const QString& path);
    void setSpecRestored(bool restored);

    SessionController* m_controller;
    State m_state = State::Empty;
    bool m_hasDump = false;
    QString m_path;
    QString m_displayName;
    DumpSummary m_summary;
    std::shared_ptr<const AnalysisResult> m_result;
    LossSpec m_spec = guessingSpec();
    QStringList m_transforms;
    QString m_classNamesFile;
    bool m_specRestored = false;
    std::optional<TorchVersion> m_torch; // chosen in the settings; nullopt: automatic
    PendingOpen m_pending;
    qint64 m_quickPassBytes = qint64(64) << 20;
    bool m_quickPassRunning = false;
    bool m_preliminary = false;
};

} // namespace shapescope
