// SPDX-License-Identifier: GPL-3.0-or-later
#include "binaryheads.h"

namespace shapescope {

std::optional<Diagnostic> singleClassOutput(const PairContext& pair, const PairLayout& layout)
{
    if (pair.spec.kind != LossKind::CrossEntropy || layout.numClasses != 1 ||
        layout.targetKind != TargetKind::ClassIndices || layout.classAxis < 0)
        return std::nullopt;
    Diagnostic d;
    d.code = DiagCode::SingleClassOutput;
    d.severity = Severity::Error;
    d.tensors = {pair.input.path, pair.target.path};
    d.axes = {{TensorSide::Input, layout.classAxis}};
    d.message = QStringLiteral("%1 %2 has one output class: CrossEntropyLoss over it is exactly "
                               "0 for every sample")
                    .arg(pair.input.path, shapeToString(pair.input.shape));
    d.explanation = QStringLiteral(
        "log_softmax of a single logit is log(1) = 0, so the loss and its gradient are 0 and the "
        "model learns nothing. PyTorch raises no error. A yes/no head needs either two outputs "
        "with CrossEntropyLoss, or its one logit with BCEWithLogitsLoss.");
    const int axis = layout.classAxis;
    d.fix = QStringLiteral("# one logit per position: BCEWithLogitsLoss, with a float target\n"
                           "loss = F.binary_cross_entropy_with_logits(%1.squeeze(%3), %2.float())\n"
                           "# or two outputs (nn.Linear(..., 2)) and CrossEntropyLoss; the same "
                           "loss as a fixed 0 logit for class 0:\n"
                           "loss = F.cross_entropy(torch.cat([torch.zeros_like(%1), %1], dim=%3), "
                           "%2)")
                .arg(pair.x, pair.y)
                .arg(axis);
    return d;
}

} // namespace shapescope
