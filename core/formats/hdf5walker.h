// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/tensorinfo.h"

#include <QStringList>
#include <hdf5.h>
#include <vector>

namespace shapescope {

// What the reader needs to find a listed dataset again and size its chunk cache.
struct Hdf5DatasetRef
{
    QByteArray rawPath;            // the path as the file spells it (names need not be valid UTF-8)
    haddr_t address = HADDR_UNDEF; // to check that reopening by path reaches the same object
    size_t fileElementSize = 0;    // bytes per element in the file, as the chunk cache holds them
};

struct Hdf5Contents
{
    std::vector<TensorInfo> tensors;
    std::vector<Hdf5DatasetRef> datasets; // parallel to tensors
    std::vector<TensorInfo> skipped;      // datasets whose elements are not numbers
    std::vector<GroupInfo> groups;
    QStringList notes;
};

// Lists an open file's groups and numeric datasets, reading metadata only. Walks from the root
// through hard links only, depth first, the members of each group in natural order of names;
// soft, external and user-defined links become notes; datasets that are not numbers are listed
// in `skipped` with their shape, type and reason. A
// group reached a second time (hard links can form cycles) is not walked again. Bounded for
// hostile files: at most 64 levels of groups and one million links in all. Fails only when the
// root group cannot be opened.
Expected<Hdf5Contents> walkHdf5File(hid_t file, hid_t linkAccess);

} // namespace shapescope
