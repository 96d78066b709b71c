// SPDX-License-Identifier: GPL-3.0-or-later
// The Values tab's heatmap: it follows the slice selector, its statistics equal numpy's for
// every slice of a fixture (tests/data/gen_classnames.py, `features`), go-to-index selects the
// cell, Next NaN moves to each NaN in turn, and "Show Values" in the inspector reaches the
// sample's row. Also core's slice reading and statistics on their own.
#include "analysis/slicevalues.h"
#include "plots/qcustomplotinclude.h"
#include "tst_plots_support.h"
#include "values/sliceheatmap.h"
#include "values/tensorvaluesmodel.h"
#include "values/tensorvaluesview.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>

using namespace shapescope;

namespace {

QString dumpPath()
{
    return QStringLiteral(SHAPESCOPE_TEST_DATA "/classnames/txt/dump.h5");
}

QJsonObject featuresExpected()
{
    return test::readJson(QStringLiteral(SHAPESCOPE_TEST_DATA "/classnames/expected.json"))
        .object()[QStringLiteral("features")]
        .toObject();
}

bool close(double ours, double numpy)
{
    return std::abs(ours - numpy) <= 1e-9 * std::max(1.0, std::abs(numpy));
}

} // namespace

class TestValuesHeatmap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        Expected<DumpSummary> summary = m_session->open(dumpPath());
        QVERIFY(summary);
        for (const TensorInfo& t : summary->tensors)
            if (t.path == QLatin1String("/features"))
                m_features = t;
        QCOMPARE(m_features.shape, (Shape{4, 6, 7}));
    }

    void statisticsMatchNumpy_data()
    {
        QTest::addColumn<int>("slice");
        for (int i = 0; i < 4; ++i)
            QTest::addRow("features[%d]", i) << i;
    }
    // Also: the heatmap follows the slice selector (the axis-0 index box).
    void statisticsMatchNumpy()
    {
        QFETCH(int, slice);
        TensorValuesView view;
        view.resize(1000, 600);
        view.setSession(m_session);
        view.showTensor(dumpPath(), m_features);
        SliceHeatmap* heatmap = view.heatmap();
        QTRY_VERIFY(heatmap->isLoaded());
        QSignalSpy loaded(heatmap, &SliceHeatmap::loaded);
        if (slice > 0) {
            view.indexBox(0)->setValue(slice);
            QTRY_COMPARE(loaded.count(), 1);
        }
        const QJsonObject want =
            featuresExpected()[QStringLiteral("slices")].toArray()[slice].toObject();
        const SliceStatistics& s = heatmap->statistics();
        QVERIFY(close(s.min, want[QStringLiteral("min")].toDouble()));
        QVERIFY(close(s.max, want[QStringLiteral("max")].toDouble()));
        QVERIFY2(close(s.mean, want[QStringLiteral("mean")].toDouble()),
                 qPrintable(QString::number(s.mean, 'g', 17)));
        QCOMPARE(s.nan, want[QStringLiteral("nan")].toInteger());
        QCOMPARE(s.inf, want[QStringLiteral("inf")].toInteger());
        QCOMPARE(s.count, qint64(6 * 7));
        // The picture draws the same slice: cell (row 1, column 2) is features[slice][1][2].
        const double cell = heatmap->colorMap()->data()->cell(2, 1);
        const QModelIndex index = view.model()->index(1, 2);
        QTRY_VERIFY(view.model()->data(index, TensorValuesModel::LoadedRole).toBool());
        QCOMPARE(cell, view.model()->data(index, TensorValuesModel::ValueRole).toDouble());
        QVERIFY(heatmap->statisticsText().contains(QStringLiteral("NaN <b>%1</b>").arg(s.nan)));
    }

    void goToIndexSelectsTheCell()
    {
        TensorValuesView view;
        view.setSession(m_session);
        view.showTensor(dumpPath(), m_features);
        QTRY_VERIFY(view.heatmap()->isLoaded());
        QLineEdit* field = view.heatmap()->goToField();
        field->setText(QStringLiteral("4, 5"));
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(view.table()->currentIndex(), view.model()->index(4, 5));
        // Out of range: nothing moves, and the note says what exists.
        field->setText(QStringLiteral("9, 0"));
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(view.table()->currentIndex(), view.model()->index(4, 5));
    }

    void nextNaNMovesToTheNaN()
    {
        TensorValuesView view;
        view.setSession(m_session);
        view.showTensor(dumpPath(), m_features);
        QTRY_VERIFY(view.heatmap()->isLoaded());
        QVERIFY(!view.heatmap()->nextNaNButton()->isEnabled()); // features[0] has none
        QSignalSpy loaded(view.heatmap(), &SliceHeatmap::loaded);
        view.indexBox(0)->setValue(1);
        QTRY_COMPARE(loaded.count(), 1);
        QPushButton* next = view.heatmap()->nextNaNButton();
        QVERIFY(next->isEnabled());
        const QJsonArray nans = featuresExpected()[QStringLiteral("slices")]
                                    .toArray()
                                    .at(1)
                                    .toObject()[QStringLiteral("first_nan")]
                                    .toArray();
        QCOMPARE(nans.size(), 2);
        for (int round = 0; round < 2; ++round) { // the second round wraps to the first NaN
            for (const QJsonValue& nan : nans) {
                next->click();
                const QModelIndex current = view.table()->currentIndex();
                QCOMPARE(current.row(), nan.toArray().at(0).toInt());
                QCOMPARE(current.column(), nan.toArray().at(1).toInt());
                QTRY_VERIFY(
                    std::isnan(
                        view.model()->data(current, TensorValuesModel::ValueRole).toDouble()) &&
                    view.model()->data(current, TensorValuesModel::LoadedRole).toBool());
            }
        }
    }

    void goToSampleSelectsTheRow()
    {
        TensorValuesView view;
        view.setSession(m_session);
        view.showTensor(dumpPath(), m_features);
        QTRY_VERIFY(view.heatmap()->isLoaded());
        // (4, 6, 7): axis 0 is held by the index box.
        QSignalSpy loaded(view.heatmap(), &SliceHeatmap::loaded);
        view.goToSample(3);
        QCOMPARE(view.indexBox(0)->value(), 3);
        QTRY_COMPARE(loaded.count(), 1);
        // (8, 12): axis 0 runs down the rows.
        Expected<DumpSummary> summary = m_session->open(dumpPath());
        QVERIFY(summary);
        const TensorInfo* logits = summary->find(QStringLiteral("/batch_0/logits"));
        QVERIFY(logits);
        view.showTensor(dumpPath(), *logits);
        view.goToSample(5);
        QCOMPARE(view.table()->currentIndex().row(), 5);
    }

    void transposedSliceIsRowMajor()
    {
        const SlabReader read = [this](const QString& tensor, const Slab& slab,
                                       DType*) -> Expected<std::vector<double>> {
            Expected<SliceResult> slice =
                m_session->readSlice(SliceRequest{dumpPath(), tensor, slab});
            if (!slice)
                return Error{slice.error()};
            return std::move(slice->values);
        };
        const Expected<SliceValues> straight = readSliceValues(read, m_features, 1, 2, {2, 0, 0});
        const Expected<SliceValues> swapped = readSliceValues(read, m_features, 2, 1, {2, 0, 0});
        QVERIFY(straight && swapped);
        QCOMPARE(swapped->rows, qint64(7));
        QCOMPARE(swapped->columns, qint64(6));
        for (qint64 r = 0; r < 6; ++r)
            for (qint64 c = 0; c < 7; ++c) {
                const double a = straight->values[size_t(r * 7 + c)];
                const double b = swapped->values[size_t(c * 6 + r)];
                QVERIFY(a == b || (std::isnan(a) && std::isnan(b)));
            }
        QVERIFY(!readSliceValues(read, m_features, 1, 2, {9, 0, 0}));
    }

    void statisticsAndNextNaN()
    {
        const double nan = std::nan("");
        const double inf = std::numeric_limits<double>::infinity();
        const SliceStatistics s = sliceStatistics({1, nan, -inf, 3, nan});
        QCOMPARE(s.nan, qint64(2));
        QCOMPARE(s.inf, qint64(1));
        QCOMPARE(s.min, 1.0);
        QCOMPARE(s.max, 3.0);
        QCOMPARE(s.mean, 2.0);
        QVERIFY(std::isnan(sliceStatistics({nan}).mean));
        QCOMPARE(nextNaN({1, nan, 2, nan}, -1), qint64(1));
        QCOMPARE(nextNaN({1, nan, 2, nan}, 1), qint64(3));
        QCOMPARE(nextNaN({1, nan, 2, nan}, 3), qint64(1));
        QCOMPARE(nextNaN({1, 2}, -1), qint64(-1));
        QCOMPARE(nextNaN({}, -1), qint64(-1));
    }

private:
    std::shared_ptr<Session> m_session = std::make_shared<InProcessSession>();
    TensorInfo m_features;
};

SHAPESCOPE_GUI_TEST_MAIN(TestValuesHeatmap)
#include "tst_gui_values_heatmap.moc"
