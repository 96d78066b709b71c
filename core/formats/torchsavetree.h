// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "torchpickle.h"

#include <QStringList>
#include <memory>
#include <vector>

namespace shapescope {

// The object a torch.save pickle built, laid out as a dump: nested dicts, lists and tuples are
// groups ("/batch/logits", "/out/0"), tensors and numpy arrays are tensors, and Python
// scalars, strings and None are attributes of their group. A bare tensor is "/tensor".
struct TorchSaveTree
{
    struct Leaf
    {
        QString path;
        QString name;
        QString group;
        std::shared_ptr<const torchpickle::TensorRef> tensor; // a torch tensor, or
        std::shared_ptr<const torchpickle::NdArray> array;    // a numpy array in the pickle
    };
    std::vector<Leaf> leaves;
    std::vector<GroupInfo> groups; // "/" first
    QStringList notes;
};

// Fails only when the structure is too deep or too large to walk (a hostile pickle that
// shares one list many times); anything it cannot show is a note.
Expected<TorchSaveTree> layOutPickle(const torchpickle::Value* root);

} // namespace shapescope
