// SPDX-License-Identifier: GPL-3.0-or-later
// The vectorised loss kernels against a straightforward scalar float64 transcription of
// PyTorch's formulas, on random data of many shapes (every vector tail, chunk and tile boundary,
// strided class axes), on every SIMD target this CPU supports; and bit-identical results for
// random splits of the rows.

#include "analysis/kernels/kerneltargets.h"
#include "analysis/losskernels.h"

#include <QTest>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace shapescope;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Kind
{
    CrossEntropy,
    Smoothing,
    Nll,
    Probability,
    Bce
};
const char* kindName(Kind k)
{
    const char* names[] = {"cross_entropy", "label_smoothing", "nll", "probability", "bce"};
    return names[int(k)];
}

struct KernelShape
{
    qint64 outer, classes, inner;
};

std::vector<KernelShape> shapes()
{
    std::vector<KernelShape> out;
    for (qint64 c : {1,  2,  3,  4,  5,   7,   8,   9,    15,   16,   17,   31,  32,
                     33, 63, 64, 65, 127, 129, 200, 1000, 2047, 2048, 2049, 4100})
        out.push_back({std::clamp<qint64>(4000 / c, 3, 200), c, 1}); // > 128: crosses tiles
    for (qint64 c : {1, 3, 17, 70, 130})
        for (qint64 inner : {2, 7, 16, 33, 100})
            out.push_back({c * inner < 2000 ? 3 : 2, c, inner});
    return out;
}

// Torch's formulas, literally, in double (LossNLL.cpp, Loss.cpp; see softmaxfinish.cpp).
struct Reference
{
    std::vector<double> loss, weight, logProb;
    std::vector<qint32> predicted;
};

template <typename T>
Reference reference(Kind kind, const KernelShape& s, const std::vector<T>& x,
                    const std::vector<T>& t, const std::vector<qint64>& y,
                    const std::vector<double>& w, const std::vector<double>& pw, double eps,
                    qint64 ignoreIndex)
{
    const qint64 positions = s.outer * s.inner;
    Reference r{std::vector<double>(positions), std::vector<double>(positions, 1.0),
                std::vector<double>(positions, kNaN), std::vector<qint32>(positions)};
    const size_t C = size_t(s.classes);
    std::vector<double> row(C), tr(C), logp(C);
    for (qint64 p = 0; p < positions; ++p) {
        const qint64 o = p / s.inner, i = p % s.inner;
        for (size_t c = 0; c < C; ++c) {
            row[c] = double(x[size_t((o * s.classes + qint64(c)) * s.inner + i)]);
            if (!t.empty())
                tr[c] = double(t[size_t((o * s.classes + qint64(c)) * s.inner + i)]);
        }
        qint32 best = 0;
        for (size_t c = 0; c < C; ++c)
            if (row[c] > row[size_t(best)])
                best = qint32(c);
        r.predicted[p] =
            std::any_of(row.begin(), row.end(), [](double v) { return std::isnan(v); }) ? -1 : best;
        double m = -kInf;
        for (double v : row)
            m = std::isnan(v) || std::isnan(m) ? kNaN : std::max(m, v);
        double sum = 0.0;
        for (double v : row)
            sum += std::exp(v - m);
        for (size_t c = 0; c < C; ++c)
            logp[c] = kind == Kind::Nll ? row[c] : row[c] - (m + std::log(sum));
        double loss = 0.0;
        if (kind == Kind::Bce) {
            for (size_t c = 0; c < C; ++c) {
                const double mv = std::max(-row[c], 0.0), lw = (pw[c] - 1.0) * tr[c] + 1.0;
                loss += ((1.0 - tr[c]) * row[c] +
                         lw * (std::log(std::exp(-mv) + std::exp(-row[c] - mv)) + mv)) *
                        w[c];
            }
            loss /= double(C);
        } else if (kind == Kind::Probability) {
            for (size_t c = 0; c < C; ++c)
                loss -= logp[c] * (tr[c] * (1.0 - eps) + eps / double(C)) * w[c];
        } else if (y[p] == ignoreIndex) {
            r.weight[p] = 0.0;
        } else if (y[p] < 0 || y[p] >= s.classes) {
            loss = kNaN;
            r.weight[p] = 0.0;
        } else {
            r.weight[p] = w[size_t(y[p])];
            r.logProb[p] = logp[size_t(y[p])];
            loss = -logp[size_t(y[p])] * r.weight[p];
            if (kind == Kind::Smoothing) {
                double smooth = 0.0;
                for (size_t c = 0; c < C; ++c)
                    smooth -= logp[c] * w[c];
                loss = (1.0 - eps) * loss + smooth * (eps / double(C));
            }
        }
        r.loss[p] = loss;
    }
    return r;
}

// A random case: logits N(0, 3), some with -inf / NaN / +inf sprinkled in.
template <typename T> struct RandomCase
{
    Kind kind;
    KernelShape shape;
    std::vector<T> x, t;
    std::vector<qint64> y;
    std::vector<double> w, pw;
    double eps = 0.0;
    qint64 ignoreIndex = -100;

    RandomCase(Kind k, const KernelShape& s, std::mt19937_64& rng, bool specials)
        : kind(k), shape(s)
    {
        std::normal_distribution<double> normal(0.0, 3.0);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const size_t n = size_t(s.outer * s.classes * s.inner);
        for (size_t k = 0; k < n; ++k) {
            const double u = unit(rng);
            x.push_back(T(!specials   ? normal(rng)
                          : u < 0.05  ? -kInf
                          : u < 0.052 ? kNaN
                          : u < 0.053 ? kInf
                                      : normal(rng)));
            if (kind == Kind::Probability || kind == Kind::Bce)
                t.push_back(T(unit(rng) < 0.3 ? 0.0 : unit(rng)));
        }
        for (qint64 p = 0; p < s.outer * s.inner; ++p) {
            const double u = unit(rng);
            y.push_back(u < 0.05   ? ignoreIndex
                        : u < 0.07 ? s.classes + 3
                                   : qint64(unit(rng) * double(s.classes)));
        }
        for (qint64 c = 0; c < s.classes; ++c) {
            w.push_back(0.25 + 2.0 * unit(rng));
            pw.push_back(3.0 * unit(rng));
        }
        eps = kind == Kind::Smoothing ? 0.2 : kind == Kind::Probability ? 0.1 : 0.0;
    }

    // Runs rows [o0, o1) into the outputs at their positions.
    void run(qint64 o0, qint64 o1, std::vector<double>& loss, std::vector<double>& weight,
             std::vector<qint32>& predicted, std::vector<double>& logProb) const
    {
        const qint64 e0 = o0 * shape.classes * shape.inner, p0 = o0 * shape.inner;
        const ClassBlock<T> block{x.data() + e0, o1 - o0, shape.classes, shape.inner};
        const PositionOutputs out{loss.data() + p0, weight.data() + p0, predicted.data() + p0,
                                  logProb.data() + p0};
        if (kind == Kind::Probability) {
            probabilityLoss(block, t.data() + e0, ProbabilityOptions{w.data(), eps}, out);
        } else if (kind == Kind::Bce) {
            bceWithLogitsLoss(block, t.data() + e0, BceOptions{w.data(), pw.data()}, out);
        } else {
            const ClassIndexOptions options{w.data(), ignoreIndex, eps, kind == Kind::Nll};
            classIndexLoss(block, y.data() + p0, options, out);
        }
    }
};

bool close(double ours, double expected, double relTol)
{
    if (std::isnan(expected) || std::isinf(expected))
        return std::isnan(expected) ? std::isnan(ours) : ours == expected;
    return std::abs(ours - expected) <= relTol * std::abs(expected) + 1e-12;
}

} // namespace

class TestLossKernelsReference : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { kernels::forceKernelTarget(0); }
    void matchesScalarReference_data();
    void matchesScalarReference();
    void randomSplitsAreBitIdentical_data() { matchesScalarReference_data(); }
    void randomSplitsAreBitIdentical();

    void confidentRows_data();
    void confidentRows();

    void expAccuracy_data();
    void expAccuracy();

private:
    template <typename T> void compare(Kind kind, double relTol);
    template <typename T> void compareConfident(qint64 classes, int pattern, double relTol);
    template <typename T> void compareSplits(Kind kind);
};

void TestLossKernelsReference::matchesScalarReference_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("float32");
    for (const auto& target : kernels::availableKernelTargets())
        for (Kind k :
             {Kind::CrossEntropy, Kind::Smoothing, Kind::Nll, Kind::Probability, Kind::Bce})
            for (bool f32 : {true, false})
                QTest::addRow("%s/%s/%s", target.name, kindName(k), f32 ? "float32" : "float64")
                    << target.bits << int(k) << f32;
}

void TestLossKernelsReference::matchesScalarReference()
{
    QFETCH(qint64, target);
    QFETCH(int, kind);
    QFETCH(bool, float32);
    kernels::forceKernelTarget(target);
    // float32: float32 exp/log1p and x - max (~1e-7); float64: hwy's 1-ulp exp against std::exp.
    if (float32)
        compare<float>(Kind(kind), 1e-5);
    else
        compare<double>(Kind(kind), 1e-10);
}

template <typename T> void TestLossKernelsReference::compare(Kind kind, double relTol)
{
    std::mt19937_64 rng(42);
    int n = 0;
    for (const KernelShape& s : shapes()) {
        const RandomCase<T> c(kind, s, rng, ++n % 4 == 0);
        const qint64 positions = s.outer * s.inner;
        std::vector<double> loss(positions), weight(positions), logProb(positions);
        std::vector<qint32> predicted(positions);
        c.run(0, s.outer, loss, weight, predicted, logProb);
        const Reference r = reference(kind, s, c.x, c.t, c.y, c.w, c.pw, c.eps, c.ignoreIndex);
        for (qint64 p = 0; p < positions; ++p) {
            const QByteArray where =
                QByteArray("shape ") + QByteArray::number(s.outer) + 'x' +
                QByteArray::number(s.classes) + 'x' + QByteArray::number(s.inner) + " position " +
                QByteArray::number(p) + ": ours " + QByteArray::number(loss[p], 'g', 17) +
                ", reference " + QByteArray::number(r.loss[p], 'g', 17);
            QVERIFY2(close(loss[p], r.loss[p], relTol), where.constData());
            QVERIFY2(weight[p] == r.weight[p], where.constData());
            QVERIFY2(predicted[p] == r.predicted[p], where.constData());
            if (kind != Kind::Probability && kind != Kind::Bce)
                QVERIFY2(close(logProb[p], r.logProb[p], relTol), where.constData());
        }
    }
}

// Rows where float32 rounding of the exp sum would show: cross_entropy of one dominant logit is
// log(1 + s) ~ s with s the sum of the other, tiny exp terms, so s must keep its relative
// precision next to the max's exp(0) = 1. Patterns put the max (or ties of it) at the first and
// last class, in the partial last vector, across chunks of the row path and in short rows.
enum Pattern
{
    kDominantNear,  // max 20, the others 10..20 below: s ~ C * 1e-6
    kDominantFar,   // max 30, the others 20..30 below: s ~ C * 1e-11
    kDominantFirst, // the max at class 0
    kDominantLast,  // the max at the last class (the partial last vector, if any)
    kAllEqual,      // loss log(C)
    kTiedMax,       // three maxima, the others far below: loss log(3 + s)
    kRisingMax,     // a new, larger max in each chunk of 2048 classes
    kPatternCount
};
const char* patternName(int p)
{
    const char* names[] = {"dominant_near", "dominant_far", "dominant_first", "dominant_last",
                           "all_equal",     "tied_max",     "rising_max"};
    return names[p];
}

void TestLossKernelsReference::confidentRows_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<qint64>("classes");
    QTest::addColumn<int>("pattern");
    QTest::addColumn<bool>("float32");
    for (const auto& target : kernels::availableKernelTargets())
        for (qint64 classes : {3, 10, 33, 1000, 1001, 2049, 50257})
            for (int p = 0; p < kPatternCount; ++p)
                for (bool f32 : {true, false})
                    QTest::addRow("%s/C=%lld/%s/%s", target.name, classes, patternName(p),
                                  f32 ? "float32" : "float64")
                        << target.bits << classes << p << f32;
}

void TestLossKernelsReference::confidentRows()
{
    QFETCH(qint64, target);
    QFETCH(qint64, classes);
    QFETCH(int, pattern);
    QFETCH(bool, float32);
    kernels::forceKernelTarget(target);
    if (float32)
        compareConfident<float>(classes, pattern, 1e-5);
    else
        compareConfident<double>(classes, pattern, 1e-10);
}

template <typename T>
void TestLossKernelsReference::compareConfident(qint64 classes, int pattern, double relTol)
{
    std::mt19937_64 rng(quint64(classes * 31 + pattern));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const qint64 rows = classes > 10000 ? 3 : 40;
    const size_t C = size_t(classes);
    std::vector<T> x(size_t(rows) * C);
    std::vector<qint64> y(static_cast<size_t>(rows));
    for (qint64 r = 0; r < rows; ++r) {
        T* row = x.data() + size_t(r) * C;
        const double top = pattern == kDominantFar ? 30.0 : 20.0;
        const double gap = pattern == kDominantFar ? 20.0 : 10.0;
        for (size_t c = 0; c < C; ++c)
            row[c] = pattern == kAllEqual ? T(1.5) : T(top - gap - 10.0 * unit(rng));
        size_t at = size_t(unit(rng) * double(C));
        if (pattern == kDominantFirst)
            at = 0;
        else if (pattern == kDominantLast)
            at = C - 1;
        if (pattern == kTiedMax) {
            for (int k = 0; k < 3; ++k)
                row[size_t(unit(rng) * double(C))] = T(top);
        } else if (pattern == kRisingMax) {
            for (size_t c0 = 0; c0 < C; c0 += 2048)
                row[c0 + size_t(unit(rng) * double(std::min<size_t>(2048, C - c0)))] =
                    T(top + double(c0 / 2048));
        } else if (pattern != kAllEqual) {
            row[at] = T(top);
        }
        // Mostly the predicted class: the loss that is all small terms.
        const size_t argmax = size_t(std::max_element(row, row + C) - row);
        y[size_t(r)] = r % 4 == 3 ? qint64(unit(rng) * double(C)) : qint64(argmax);
    }
    const size_t n = static_cast<size_t>(rows);
    std::vector<double> loss(n), weight(n), logProb(n);
    std::vector<qint32> predicted(n);
    const ClassBlock<T> block{x.data(), rows, classes, 1};
    classIndexLoss(block, y.data(), ClassIndexOptions{},
                   {loss.data(), weight.data(), predicted.data(), logProb.data()});
    for (qint64 r = 0; r < rows; ++r) {
        const T* row = x.data() + size_t(r) * C;
        const size_t argmax = size_t(std::max_element(row, row + C) - row);
        // -log p_y = (max - x_y) + log1p(sum of the other terms), exact to ~1e-16 relative:
        // the formula in reference() rounds max + log(sum) and loses a loss of 1e-12.
        const double m = double(row[argmax]);
        double others = 0.0;
        for (size_t c = 0; c < C; ++c)
            if (c != argmax)
                others += std::exp(double(row[c]) - m);
        const double expected = (m - double(row[y[size_t(r)]])) + std::log1p(others);
        const QByteArray where = QByteArray("row ") + QByteArray::number(r) + ": ours " +
                                 QByteArray::number(loss[size_t(r)], 'g', 17) + ", reference " +
                                 QByteArray::number(expected, 'g', 17);
        QVERIFY2(close(loss[size_t(r)], expected, relTol), where.constData());
        QVERIFY2(close(-logProb[size_t(r)], expected, relTol), where.constData());
        QCOMPARE(predicted[size_t(r)], qint32(argmax));
    }
}

void TestLossKernelsReference::expAccuracy_data()
{
    QTest::addColumn<qint64>("target");
    QTest::addColumn<qint64>("classes");
    QTest::addColumn<quint32>("stride");
    for (const auto& target : kernels::availableKernelTargets()) {
        QTest::addRow("%s/lanes", target.name) << target.bits << qint64(2) << quint32(8191);
        QTest::addRow("%s/rows", target.name) << target.bits << qint64(131) << quint32(65521);
    }
}

// The float32 exp of the kernels (simdutil-inl.h), seen through the loss of rows
// [0, x, -1000 ...] with target 0: -log p_0 = log1p(exp(x)), the other terms below float's
// range. x runs over every `stride`-th float in [-20, 0] (exp(x) >= 2e-9, where the double
// 1 + exp(x) the kernels take the log of still resolves it to 1e-7); the two-class rows run
// the lane path, the long rows the row path with x among whole vectors.
void TestLossKernelsReference::expAccuracy()
{
    QFETCH(qint64, target);
    QFETCH(qint64, classes);
    QFETCH(quint32, stride);
    kernels::forceKernelTarget(target);
    const quint32 last = std::bit_cast<quint32>(-20.0f);
    std::vector<float> xs;
    for (quint32 bits = 0x80000000u; bits <= last; bits += stride)
        xs.push_back(std::bit_cast<float>(bits));
    const qint64 rows = qint64(xs.size());
    const size_t C = size_t(classes);
    const size_t at = classes == 2 ? 1 : 70;
    std::vector<float> x(size_t(rows) * C, -1000.0f);
    for (size_t r = 0; r < xs.size(); ++r) {
        x[r * C] = 0.0f;
        x[r * C + at] = xs[r];
    }
    const std::vector<qint64> y(xs.size(), 0);
    std::vector<double> loss(xs.size()), weight(xs.size()), logProb(xs.size());
    std::vector<qint32> predicted(xs.size());
    classIndexLoss(ClassBlock<float>{x.data(), rows, classes, 1}, y.data(), ClassIndexOptions{},
                   {loss.data(), weight.data(), predicted.data(), logProb.data()});
    double worst = 0.0;
    float worstAt = 0.0f;
    for (size_t r = 0; r < xs.size(); ++r) {
        const double expected = std::log1p(std::exp(double(xs[r])));
        const double error = std::abs(loss[r] - expected) / expected;
        if (!(error <= worst)) {
            worst = error;
            worstAt = xs[r];
        }
    }
    qInfo("%lld values of x, largest relative error %.3g at x = %.9g", rows, worst,
          double(worstAt));
    // exp's polynomial and float rounding (1.6e-7), the one-step reduction (<= 6e-8 here).
    QVERIFY2(worst <= 3e-7, qPrintable(QString::number(worst)));
}

void TestLossKernelsReference::randomSplitsAreBitIdentical()
{
    QFETCH(qint64, target);
    QFETCH(int, kind);
    QFETCH(bool, float32);
    kernels::forceKernelTarget(target);
    if (float32)
        compareSplits<float>(Kind(kind));
    else
        compareSplits<double>(Kind(kind));
}

template <typename T> void TestLossKernelsReference::compareSplits(Kind kind)
{
    std::mt19937_64 rng(7);
    int n = 0;
    for (const KernelShape& s : shapes()) {
        const RandomCase<T> c(kind, s, rng, ++n % 3 == 0);
        const qint64 positions = s.outer * s.inner;
        std::vector<double> loss(positions), weight(positions), logProb(positions);
        std::vector<qint32> predicted(positions);
        c.run(0, s.outer, loss, weight, predicted, logProb);
        // Random cut points, as a thread pool of any size would produce.
        std::vector<qint64> cuts = {0, s.outer};
        for (int k = 0; k < 4; ++k)
            cuts.push_back(std::uniform_int_distribution<qint64>(0, s.outer)(rng));
        std::sort(cuts.begin(), cuts.end());
        std::vector<double> loss2(positions), weight2(positions), logProb2(positions);
        std::vector<qint32> predicted2(positions);
        for (size_t k = 0; k + 1 < cuts.size(); ++k)
            c.run(cuts[k], cuts[k + 1], loss2, weight2, predicted2, logProb2);
        const size_t bytes = sizeof(double) * size_t(positions);
        QVERIFY(std::memcmp(loss.data(), loss2.data(), bytes) == 0);
        QVERIFY(std::memcmp(weight.data(), weight2.data(), bytes) == 0);
        QVERIFY(std::memcmp(logProb.data(), logProb2.data(), bytes) == 0);
        QVERIFY(predicted == predicted2);
    }
}

QTEST_GUILESS_MAIN(TestLossKernelsReference)
#include "tst_losskernels_reference.moc"
