// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace shapescope {

// What a cell of the shape bench says about its axis.
enum class CellMark
{
    Neutral,
    Ok,
    Warning,
    Error
};

struct BenchCell
{
    bool present = false;
    int axis = -1;
    qint64 extent = 0;
    QString role; // "N", "C", "d1", or "" when the axis has no role
    CellMark mark = CellMark::Neutral;
    bool highlighted = false; // named by the diagnostic the user selected
};

// One column of the bench: the input's and the target's axes of the same role side by side.
struct BenchColumn
{
    QString title; // "batch N", "classes C", "d1", "axis 2"
    BenchCell input;
    BenchCell target;
    QString missingNote; // why one side has no axis here ("class indices: no class axis")

    bool bothPresent() const { return input.present && target.present; }
    bool extentsDiffer() const { return bothPresent() && input.extent != target.extent; }
};

// The input and target of one pair laid out for the bench: axes aligned by role (batch, class,
// spatial) using the pair's layout, marked by the pair's diagnostics. Pure data, so tests can
// check what the view paints.
struct BenchLayout
{
    bool valid = false;
    QString inputPath;
    QString targetPath;
    QString inputType; // dtype names
    QString targetType;
    CellMark inputTypeMark = CellMark::Neutral;
    CellMark targetTypeMark = CellMark::Neutral;
    std::vector<BenchColumn> columns;
    CellMark overall = CellMark::Neutral; // Ok when no warning or error names the pair

    static BenchLayout build(const AnalysisResult& result, int pair, int selectedDiagnostic);

    int count(CellMark mark) const;
    // "input axis 0 (N) = 32: error" per marked cell, for tests and accessibility.
    QStringList describeMarked() const;
    QString describe() const;
};

CellMark cellMarkFor(Severity severity);

} // namespace shapescope
