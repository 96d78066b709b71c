// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session.h"

#include <optional>

namespace shapescope {

// What a tensor's values are, read in bounded blocks: finite ones summarised, the others counted.
struct ValueSummary
{
    qint64 count = 0;
    qint64 nan = 0;
    qint64 inf = 0;
    double min = 0;
    double max = 0;
    double mean = 0;    // of the finite values
    QString unreadable; // why the values could not be read; empty when they were
};

// One tensor path in either dump ("/batch_0/logits" and "batch_0/logits" are the same path).
struct TensorComparison
{
    QString path;
    std::optional<TensorInfo> a; // nullopt: not in that dump
    std::optional<TensorInfo> b;
    ValueSummary valuesA;
    ValueSummary valuesB;
    // Same shape only: elements whose values differ (NaN equals NaN), and the largest
    // |a - b| of the finite ones. -1 when not compared.
    qint64 differing = -1;
    double maxAbsDifference = 0;

    bool differs() const;
};

// One pair (input and target paths) in either dump's analysis.
struct PairComparison
{
    QString input;
    QString target;
    std::optional<double> meanA; // PyTorch's reduction='mean' value, when computed
    std::optional<double> meanB;
    QStringList errorsA; // what PyTorch raises for the pair (or the error diagnostic's message)
    QStringList errorsB;

    bool differs() const;
};

// "Before and after the fix": two dumps side by side, tensors matched by path.
struct DumpComparison
{
    QString fileA;
    QString fileB;
    std::vector<TensorComparison> tensors;
    std::vector<PairComparison> pairs;

    bool differs() const;
};

// Opens and analyses both dumps through `session` (isolated like any other read) and compares
// every tensor's values block by block, in bounded memory. `progress` names the tensor being
// compared and can cancel.
Expected<DumpComparison> compareDumps(Session& session, const QString& fileA, const QString& fileB,
                                      const AnalysisOptions& options,
                                      const ProgressCallback& progress = {});

} // namespace shapescope
