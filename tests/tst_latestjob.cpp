// SPDX-License-Identifier: GPL-3.0-or-later
// LatestJob (widgets/state/latestjob.h): a superseded job's result is dropped, jobs of the
// current generation all deliver, nothing is delivered inside the call that starts a job, and a
// context destroyed while its job runs is neither called nor crashed into.
#include "state/latestjob.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <memory>

using namespace shapescope;

namespace {

// The context of the jobs: reports what LatestJob hands it as signals the test spies on.
class Receiver : public QObject
{
    Q_OBJECT

public:
    LatestJob latest{this};

    // A job that returns `value` once the test releases `gate`.
    void start(int value, std::shared_ptr<QSemaphore> gate)
    {
        latest.run(
            &pool,
            [value, gate] {
                gate->acquire();
                return value;
            },
            [this](int result) { Q_EMIT delivered(result); }, [this] { Q_EMIT settled(); });
    }

    QThreadPool pool;

Q_SIGNALS:
    void delivered(int value);
    void settled();
};

} // namespace

class TestLatestJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void supersededResultIsDropped_data();
    void supersededResultIsDropped();
    void jobsOfOneGenerationAllDeliver();
    void neverDeliversInsideTheCall();
    void contextDestroyedWhileRunning();
};

void TestLatestJob::supersededResultIsDropped_data()
{
    QTest::addColumn<bool>("staleFinishesFirst");
    QTest::addRow("stale job ends first") << true;
    QTest::addRow("stale job ends last") << false;
}

void TestLatestJob::supersededResultIsDropped()
{
    QFETCH(bool, staleFinishesFirst);
    Receiver receiver;
    QSignalSpy delivered(&receiver, &Receiver::delivered);
    QSignalSpy settled(&receiver, &Receiver::settled);
    auto staleGate = std::make_shared<QSemaphore>();
    auto currentGate = std::make_shared<QSemaphore>();

    const quint64 first = receiver.latest.supersede();
    receiver.start(1, staleGate);
    const quint64 second = receiver.latest.supersede();
    receiver.start(2, currentGate);
    QVERIFY(second > first);
    QVERIFY(!receiver.latest.isCurrent(first));
    QVERIFY(receiver.latest.isCurrent(second));

    (staleFinishesFirst ? staleGate : currentGate)->release();
    QTRY_COMPARE(settled.count(), 1);
    (staleFinishesFirst ? currentGate : staleGate)->release();
    QTRY_COMPARE(settled.count(), 2);
    // Both jobs ended and were counted; only the current one's result arrived.
    QCOMPARE(delivered.count(), 1);
    QCOMPARE(delivered.first().first().toInt(), 2);
}

void TestLatestJob::jobsOfOneGenerationAllDeliver()
{
    Receiver receiver;
    QSignalSpy delivered(&receiver, &Receiver::delivered);
    auto gate = std::make_shared<QSemaphore>();
    receiver.latest.supersede();
    for (int value = 1; value <= 3; ++value)
        receiver.start(value, gate);
    gate->release(3);
    QTRY_COMPARE(delivered.count(), 3);
    QList<int> values;
    for (const QList<QVariant>& call : delivered)
        values << call.first().toInt();
    std::sort(values.begin(), values.end());
    QCOMPARE(values, (QList<int>{1, 2, 3}));
}

void TestLatestJob::neverDeliversInsideTheCall()
{
    Receiver receiver;
    QSignalSpy delivered(&receiver, &Receiver::delivered);
    auto gate = std::make_shared<QSemaphore>(1); // open: the work can end at once
    receiver.latest.supersede();
    receiver.start(7, gate);
    receiver.pool.waitForDone();
    // The work has ended, but its result waits for the event loop.
    QCOMPARE(delivered.count(), 0);
    QTRY_COMPARE(delivered.count(), 1);
    QCOMPARE(delivered.first().first().toInt(), 7);
}

void TestLatestJob::contextDestroyedWhileRunning()
{
    // Qt 6.4's QFuture::then(context, ...) trips Q_ASSERT(context) here (qfuture_impl.h), so
    // LatestJob delivers through a watcher the context owns. This must end quietly.
    QThreadPool pool;
    auto gate = std::make_shared<QSemaphore>();
    auto calls = std::make_shared<QAtomicInt>(0);
    {
        QObject context;
        LatestJob latest(&context);
        latest.supersede();
        latest.run(
            &pool,
            [gate] {
                gate->acquire();
                return 1;
            },
            [calls](int) { calls->ref(); }, [calls] { calls->ref(); });
    }
    gate->release();
    pool.waitForDone();
    // A report the work posted on its way out would be queued by now.
    QCoreApplication::processEvents();
    QCOMPARE(calls->loadRelaxed(), 0);
}

QTEST_GUILESS_MAIN(TestLatestJob)
#include "tst_latestjob.moc"
