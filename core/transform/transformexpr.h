// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/dtype.h"
#include "tensorview.h"

#include <QString>
#include <optional>
#include <vector>

namespace shapescope {

// One fix applied to the analysis, never to the file, written as PyTorch code:
//   logits=logits.permute(0, 2, 1)      labels=labels[:, 1:] - 1      labels=labels.long()
// A small grammar parsed here and never evaluated as Python:
//   statement := [name "="] name postfix*      (both names the same tensor)
//   postfix   := "." method "(" args ")" | "[" index ("," index)* "]" | ("+" | "-") integer
//   method    := permute transpose swapaxes movedim moveaxis flatten view reshape squeeze
//                unsqueeze long int float double to contiguous clone detach
//   index     := integer | [integer] ":" [integer] | "..." | "None"
// A name is a tensor's name (every step's tensor of that name) or its path.
struct TransformOp
{
    enum class Kind
    {
        Permute,
        Transpose,
        Movedim,
        Flatten,
        Reshape,
        Squeeze,
        Unsqueeze,
        Convert,
        Add,
        Index,
        Keep, // contiguous(), clone(), detach(): the same values
    };
    struct Index
    {
        enum class Kind
        {
            Integer,
            Slice,
            Ellipsis,
            NewAxis,
        } kind = Kind::Slice;
        std::optional<qint64> start; // the integer, or a slice's start
        std::optional<qint64> stop;
    };

    Kind kind = Kind::Keep;
    std::vector<qint64> ints;
    std::vector<Index> indices;
    DType dtype = DType::Int64;
    QString text; // canonical PyTorch: ".permute(0, 2, 1)", "[:, :-1]", " - 1"

    Status applyTo(TensorView& view) const;
};

struct TransformStatement
{
    QString tensor; // the name or path both sides name
    std::vector<TransformOp> ops;

    // "logits.permute(0, 2, 1)": what the report and the GUI show, and what copies as code.
    QString expression() const;
    Status applyTo(TensorView& view) const;
};

// Parses one statement; the error quotes it and says where and what was expected.
Expected<TransformStatement> parseTransform(const QString& text);

} // namespace shapescope
