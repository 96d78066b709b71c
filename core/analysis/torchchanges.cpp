// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchchanges.h"

#include <algorithm>
#include <array>

namespace shapescope {

namespace {

// `since` is the first release whose wheel (from PyPI) carries the new text: the strings of
// torch/lib/libtorch_cpu.so and libtorch_python.so of each 2.x release's newest patch, compared
// by tests/data/torch-wheel-markers. Texts and verdicts themselves are measured: tests/data
// runs every fixture under torch 1.13 and 2.15.
constexpr std::array<TorchChangeEntry, 5> table{{
    {TorchChange::TargetDtypeCheckedFirst,
     {2, 12},
     false,
     "nll_loss checks the target dtype first: \"expected target dtype to be Long or Byte, but "
     "got Float\" (was \"expected scalar type Long but found Float\", after the size checks)",
     "measured in 1.13 and 2.15; the text is in the 2.12.x wheel's libtorch_cpu.so, not 2.11.x's"},
    {TorchChange::OneDimTargetSizeOne,
     {2, 9},
     true,
     "1-D input: a 1-D target of one element is accepted, any other size raises \"For 1D "
     "input, 1D target must have size 1, but got target size: N\"",
     "measured in 1.13 and 2.15; the text is in the 2.9.x wheel's libtorch_cpu.so, not 2.8.x's"},
    {TorchChange::UnsignedNumpyTensors,
     {2, 3},
     false,
     "torch.from_numpy takes uint16, uint32 and uint64: such targets fail the loss's dtype "
     "check instead of the conversion",
     "measured in 1.13 and 2.15; libtorch_python.so lists uint16 among the numpy types from the "
     "2.3.x wheel on, not in 2.2.x's"},
    {TorchChange::LogSoftmaxKernelName,
     {2, 11},
     false,
     "log_softmax over a non-last axis of an integer input names \"log_softmax_kernel_impl\" "
     "(was \"softmax_kernel_impl\")",
     "measured in 1.13 and 2.15; the name is in the 2.11.x wheel's libtorch_cpu.so, not 2.10.x's"},
    {TorchChange::CtcCheckedInAllocateOutputs,
     {2, 1},
     false,
     "ctc_loss's argument checks name \"ctc_loss_allocate_outputs\" (was \"ctc_loss_cpu\")",
     "measured in 1.13 and 2.15; not dated by a wheel yet: 2.1 is the first release with "
     "ctc_loss's meta kernel, which the function was split out for (torch-wheel-markers 2.0 2.1 "
     "would confirm)"},
}};

} // namespace

std::span<const TorchChangeEntry> torchChanges()
{
    return table;
}

bool torchHas(TorchVersion version, TorchChange change)
{
    for (const TorchChangeEntry& entry : table) {
        if (entry.change == change)
            return version >= entry.since;
    }
    return false;
}

QString TorchRange::toString() const
{
    return first == last ? first.toString()
                         : QStringLiteral("%1 to %2").arg(first.toString(), last.toString());
}

std::vector<TorchRange> torchRanges()
{
    const std::vector<TorchVersion>& all = supportedTorchVersions();
    std::vector<TorchRange> ranges;
    for (size_t i = 0; i < all.size(); ++i) {
        const bool starts = i == 0 || std::any_of(table.begin(), table.end(),
                                                  [&](const auto& e) { return e.since == all[i]; });
        if (starts)
            ranges.push_back({all[i], all[i]});
        else
            ranges.back().last = all[i];
    }
    return ranges;
}

} // namespace shapescope
