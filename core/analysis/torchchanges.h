// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "torchversion.h"

#include <span>

namespace shapescope {

// What changed between the PyTorch releases ShapeScope supports, in what it checks and quotes.
// Each change is in effect from `since` on. Found by running the fixtures under torch 1.13 and
// 2.15 (tests/data/dumps/expected.json holds both texts) and dated by the release whose wheel
// first carries the new text (README, "PyTorch versions").
enum class TorchChange
{
    // nll_loss checks the target dtype before the sizes and the weight, in its own words:
    // "expected target dtype to be Long or Byte, but got Float" (was "expected scalar type Long
    // but found Float", raised after the other checks).
    TargetDtypeCheckedFirst,
    // A 1-D input with a 1-D target: a target of one element is accepted (1.13 raised "size
    // mismatch (got input: [C], target: [1])") and any other raises "For 1D input, 1D target
    // must have size 1, but got target size: N" (1.13 took a target of C elements silently).
    OneDimTargetSizeOne,
    // torch.from_numpy takes uint16, uint32 and uint64 arrays, so such targets reach the loss
    // and fail its dtype check instead of the conversion.
    UnsignedNumpyTensors,
    // log_softmax over an axis that is not the last names its kernel "log_softmax_kernel_impl"
    // (was "softmax_kernel_impl") when the input's dtype is not floating point.
    LogSoftmaxKernelName,
    // ctc_loss's argument checks end "(while checking arguments for ctc_loss_allocate_outputs)"
    // (was "ctc_loss_cpu"): the checks moved into the function its meta kernel shares.
    CtcCheckedInAllocateOutputs,
};

struct TorchChangeEntry
{
    TorchChange change;
    TorchVersion since;
    bool verdict; // true when torch accepts in one range what it refuses in another
    const char* summary;
    const char* evidence;
};

// The table: every change, in the order above.
std::span<const TorchChangeEntry> torchChanges();

bool torchHas(TorchVersion version, TorchChange change);

// The supported releases split into ranges inside which no change of the table takes effect,
// each given by its first and last release, oldest first.
struct TorchRange
{
    TorchVersion first;
    TorchVersion last;

    bool contains(TorchVersion v) const { return first <= v && v <= last; }
    QString toString() const; // "1.13", "2.0 to 2.12", "torch >= 2.13" style is the caller's
};
std::vector<TorchRange> torchRanges();

} // namespace shapescope
