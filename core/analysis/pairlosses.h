// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"

#include <map>
#include <vector>

namespace shapescope {

// What the first positions of a pair's input look like, for spotting a softmax, log_softmax or
// sigmoid that was applied before a loss that applies its own.
struct InputProbe
{
    qint64 positions = 0;          // class vectors examined
    qint64 probabilityRows = 0;    // all entries in [0, 1], summing to 1
    qint64 logProbabilityRows = 0; // all entries <= 0, logsumexp == 0
    qint64 unitIntervalRows = 0;   // all entries in [0, 1] (BCE: a sigmoid was applied)
    qint64 classes = 0;
};

// What the first positions of a probability target look like.
struct TargetProbe
{
    qint64 positions = 0;
    qint64 oneHotRows = 0;          // all entries 0 or 1, exactly one 1
    qint64 multiHotRows = 0;        // all entries 0 or 1, several 1s
    qint64 notDistributionRows = 0; // entries outside [0, 1] or a sum other than 1
};

// Class-index target values seen over all positions.
struct TargetTally
{
    std::vector<qint64> classCounts;     // per class in [0, C)
    std::map<qint64, qint64> outOfRange; // value -> count, at most kMaxDistinct values
    qint64 outOfRangeTotal = 0;
    qint64 firstOutOfRange = 0; // in memory order: the one PyTorch reports
    bool hasOutOfRange = false;
    qint64 ignored = 0;
    static constexpr size_t kMaxDistinct = 64;
};

// The raw outcome of computing one pair's losses, before statistics.
struct PairLosses
{
    SampleValues samples;
    double lossSum = 0;                // over counted positions: reduction='sum'
    double weightSum = 0;              // the denominator of reduction='mean'
    qint64 positions = 0;              // counted (not ignored, target in range) positions
    qint64 correct = 0;                // argmax == target among counted positions (class indices)
    std::vector<double> classLossSums; // per target class (class indices)
    TargetTally targets;
    qint64 nonFinitePositions = 0;
    std::vector<qint64> nonFiniteSamples; // the first few samples with a NaN/Inf loss
    InputProbe input;
    TargetProbe target;
};

} // namespace shapescope
