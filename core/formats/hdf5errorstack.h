// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QString>

namespace shapescope {

// HDF5 reports errors on a stack of descriptions, innermost (where the problem was found) to
// outermost (the API call we made). In the thread-safe build both the stack and the automatic
// printing setting are per thread, so every thread that calls HDF5 must silence it itself.
class Hdf5ErrorStack
{
public:
    // Turns HDF5's automatic printing to stderr off for the calling thread; cheap after the
    // first call in a thread.
    static void silenceThisThread();

    // The calling thread's error stack as one line, innermost first ("bad superblock version
    // number; unable to load superblock; unable to open file"), and clears it. Empty when the
    // stack is empty.
    static QString take();
};

// An error "`context` failed: <the HDF5 error stack>" to return right after a failed HDF5 call
// (before any other HDF5 call, which would clear the stack).
Error hdf5Error(const QString& context);

} // namespace shapescope
