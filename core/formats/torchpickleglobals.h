// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "torchpickle.h"

#include <functional>

namespace shapescope::torchpickle {

// The allowlist: what each allowed global means, modelled here without importing anything.
// Errors are the bare reason; the interpreter adds the file and byte offset.

using MakeValue = std::function<Value*(Value::Kind)>;

bool isAllowedGlobal(const QString& moduleDotName);
// BINPERSID: ('storage', torch.FloatStorage, key, location, numel) -> a Storage value.
Expected<Value*> persistentLoad(const Value* pid, const MakeValue& make);
// REDUCE of an allowed callable with a tuple of arguments.
Expected<Value*> reduce(const Value* callable, const Value* args, const MakeValue& make);
// BUILD: the numpy array and dtype states, and the empty state of an OrderedDict.
Status build(Value* object, const Value* state);

} // namespace shapescope::torchpickle
