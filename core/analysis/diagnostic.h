#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace shapescope {

enum class Severity { Info, Warning, Error };

QString severityName(Severity severity); // "info", "warning", "error"

// Which tensor of a pair an axis mark refers to.
enum class TensorSide { Input, Target };

// An axis the diagnostic is about, so views can paint it (the mismatched batch axis in red).
struct AxisMark
{
    TensorSide side = TensorSide::Input;
    int axis = 0;
};

// One finding about the dump: what PyTorch would say, why, and how to fix it.
struct Diagnostic
{
    QString code;                 // "batch-size-mismatch"
    Severity severity = Severity::Warning; // Error: PyTorch raises, or the loss is NaN
    QStringList tensors;          // paths of the tensors involved
    std::vector<AxisMark> axes;   // axes involved, in the pair's input and target
    QString message;              // one line: what is wrong, with the numbers
    QString pytorchError;         // PyTorch's exception text, verbatim; empty when it raises none
    QString explanation;          // the likely cause, in plain words
    QString fix;                  // code that fixes it
    // One line when another supported torch release decides otherwise (accepts what this one
    // refuses, or refuses what it accepts): "torch >= 2.13 accepts this; your dump says 1.13".
    QString versionNote;
    std::vector<qint64> samples;  // offending samples (at most a few dozen), when there are any
    int pair = -1;                // index into AnalysisResult::pairs, or -1
    int run = -1;                 // index into AnalysisResult::runs, or -1

    bool hasPytorchError() const { return !pytorchError.isEmpty(); }
};

} // namespace shapescope
