// SPDX-License-Identifier: GPL-3.0-or-later
#include "topclasses.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace shapescope {

namespace {

bool before(const std::vector<double>& p, qint64 a, qint64 b)
{
    const double x = p[size_t(a)];
    const double y = p[size_t(b)];
    if (std::isnan(x) != std::isnan(y))
        return std::isnan(y);
    if (!std::isnan(x) && x != y)
        return x > y;
    return a < b;
}

} // namespace

std::vector<ClassProbability> topClasses(const std::vector<double>& probabilities, int k)
{
    const auto n = static_cast<qint64>(probabilities.size());
    const qint64 shown = std::clamp<qint64>(k, 0, n);
    std::vector<qint64> order(size_t(n), 0);
    std::iota(order.begin(), order.end(), qint64(0));
    std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                      [&](qint64 a, qint64 b) { return before(probabilities, a, b); });
    std::vector<ClassProbability> top;
    for (qint64 i = 0; i < shown; ++i)
        top.push_back({order[size_t(i)], probabilities[size_t(order[size_t(i)])], int(i) + 1});
    return top;
}

int classRank(const std::vector<double>& probabilities, qint64 classIndex)
{
    if (classIndex < 0 || classIndex >= static_cast<qint64>(probabilities.size()))
        return 0;
    int rank = 1;
    for (qint64 c = 0; c < static_cast<qint64>(probabilities.size()); ++c)
        rank += before(probabilities, c, classIndex) ? 1 : 0;
    return rank;
}

} // namespace shapescope
