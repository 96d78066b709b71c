// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepseries.h"

#include <QRegularExpression>
#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

namespace shapescope {

namespace {

struct TensorKind
{
    Shape shape;
    QString type;

    bool operator==(const TensorKind& other) const
    {
        return shape == other.shape && type == other.type;
    }
    QString text() const { return shapeToString(shape) + QLatin1Char(' ') + type; }
};

using StepTensors = std::map<QString, TensorKind>; // by stepInvariantName

void addTensor(StepTensors& tensors, const DumpSummary& dump, int index)
{
    if (const TensorInfo* tensor = dump.tensor(index))
        tensors[stepInvariantName(tensor->name)] = {tensor->shape, tensor->typeText()};
}

// The tensors of the step holding `pair`: its whole group when the step is a group of its own
// (loader inputs and extras change too), else (a folder's files share the root) the pair's two.
StepTensors tensorsOfStep(const AnalysisResult& result, const PairResult& pair,
                          const StepFlow* flow)
{
    StepTensors tensors;
    if (flow && !flow->group.isEmpty() && flow->group != QLatin1String("/")) {
        for (const FlowTensor& tensor : flow->tensors)
            addTensor(tensors, result.dump, tensor.tensor);
    } else {
        addTensor(tensors, result.dump, pair.inputTensor);
        addTensor(tensors, result.dump, pair.targetTensor);
    }
    return tensors;
}

QStringList changesBetween(const StepTensors& before, const StepTensors& now)
{
    QStringList changes;
    for (const auto& [name, kind] : now) {
        const auto previous = before.find(name);
        if (previous == before.end())
            changes << QStringLiteral("%1: new, %2").arg(name, kind.text());
        else if (!(previous->second == kind))
            changes
                << QStringLiteral("%1: %2 -> %3").arg(name, previous->second.text(), kind.text());
    }
    for (const auto& [name, kind] : before) {
        if (!now.count(name))
            changes << QStringLiteral("%1: gone (was %2)").arg(name, kind.text());
    }
    return changes;
}

} // namespace

int StepSeries::changedCount() const
{
    return int(std::count_if(steps.begin(), steps.end(),
                             [](const StepPoint& step) { return step.changed(); }));
}

int StepSeries::indexOfPair(int pair) const
{
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].pair == pair)
            return int(i);
    }
    return -1;
}

int longestRun(const AnalysisResult& result)
{
    int best = -1;
    for (size_t r = 0; r < result.runs.size(); ++r) {
        if (best < 0 || result.runs[r].pairs.size() > result.runs[size_t(best)].pairs.size())
            best = int(r);
    }
    return best;
}

QString stepInvariantName(const QString& name)
{
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    return QString(name).replace(digits, QStringLiteral("#"));
}

StepSeries stepSeries(const AnalysisResult& result, int run)
{
    StepSeries series;
    if (run < 0 || size_t(run) >= result.runs.size())
        return series;
    const RunResult& source = result.runs[size_t(run)];
    series.run = run;
    series.name = source.name;

    std::unordered_map<int, const StepFlow*> flowOfPair;
    for (const StepFlow& flow : result.flows) {
        for (int pair : flow.pairs)
            flowOfPair.emplace(pair, &flow);
    }

    StepTensors previous;
    series.steps.reserve(source.pairs.size());
    for (int p : source.pairs) {
        const PairResult& pair = result.pairs[size_t(p)];
        StepPoint step;
        step.pair = p;
        step.group = pair.group;
        step.label = pair.input;
        step.hasLosses = pair.hasLosses;
        step.meanLoss =
            pair.hasLosses ? pair.summary.mean : std::numeric_limits<double>::quiet_NaN();
        if (pair.hasLosses) {
            step.accuracy = pair.summary.accuracy;
            step.nonFinite = pair.summary.nonFinite;
            step.ignored = pair.summary.ignored;
            step.positions = pair.summary.positions;
        }
        const auto flow = flowOfPair.find(p);
        StepTensors tensors =
            tensorsOfStep(result, pair, flow == flowOfPair.end() ? nullptr : flow->second);
        if (!series.steps.empty())
            step.changes = changesBetween(previous, tensors);
        previous = std::move(tensors);
        series.steps.push_back(std::move(step));
    }
    return series;
}

} // namespace shapescope
