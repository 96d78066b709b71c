// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the GUI tests: settings kept away from the user's, sessions that hold an analysis
// until told, the fixtures of data/dumps/expected.json as LossSpecs.
#include "analysis/lossspec.h"
#include "dumpcases.h"
#include "session/inprocesssession.h"
#include "testutils.h"

#include <QCoreApplication>
#include <QObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <memory>

namespace shapescope::test {

// Settings of the tests go to a folder of this test process alone, never to the user's
// ShapeScope settings. Not one shared test location: under `ctest -j2` two GUI tests ran at
// once and one's init() cleared the per-file loss settings the other had just saved.
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    static QTemporaryDir folder;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, folder.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder.path());
    QCoreApplication::setOrganizationName(QStringLiteral("ShapeScopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("shapescope-tests"));
    QSettings().clear();
}

// The offscreen platform warns whenever a window's size constraints change; that says nothing
// about ShapeScope and buries real warnings.
inline void quietOffscreenPlatform()
{
    static QtMessageHandler previous = nullptr;
    previous = qInstallMessageHandler(
        [](QtMsgType type, const QMessageLogContext& context, const QString& message) {
            if (message.contains(QLatin1String("does not support propagateSizeHints")))
                return;
            if (previous)
                previous(type, context, message);
        });
}

// A part of a window found by its object name, as the window exposes no accessors for its
// parts. A missing part stops the test at once: a renamed object breaks the tests' contract.
template <typename T> T* part(const QObject& window, const char* name)
{
    T* found = window.findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qFatal("No %s named \"%s\" in %s", T::staticMetaObject.className(), name,
               qPrintable(window.objectName()));
    return found;
}

// Holds every analysis at its first progress report until release(), while still seeing the
// caller's cancel: a deterministic "long" analysis. Counts analyses started and finished.
class GatedSession final : public Session
{
public:
    Expected<DumpSummary> open(const QString& path, std::stop_token stop) override
    {
        return m_inner.open(path, stop);
    }

    Expected<AnalysisResult> analyze(const AnalyzeRequest& request,
                                     const ProgressCallback& progress) override
    {
        ++started;
        Expected<AnalysisResult> result =
            m_inner.analyze(request, [&](double fraction, const QString& message) {
                while (!released) {
                    if (!progress(fraction, message))
                        return false;
                    QThread::msleep(5);
                }
                return progress(fraction, message);
            });
        ++finished;
        return result;
    }

    Expected<SliceResult> readSlice(const SliceRequest& request, std::stop_token stop) override
    {
        return m_inner.readSlice(request, stop);
    }

    void stop() override { m_inner.stop(); }

    void release() { released = true; }

    std::atomic_bool released{false};
    std::atomic_int started{0};
    std::atomic_int finished{0};

private:
    InProcessSession m_inner;
};

} // namespace shapescope::test
