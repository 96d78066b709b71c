// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace shapescope {

// An HDF5 file family (h5py.File("run_%d.h5", driver="family", memb_size=N)) is one HDF5 file
// cut into members of N bytes: the first holds the superblock, whose driver information block
// names the family driver ("NCSAfami") and the member size; the others start mid-file with no
// signature at all. Neither opens as a file of its own (the first says it is larger than it
// is, the rest are no format), so the refusal has to say what they are.

// The refusal for `path` when it is a member of a family (the first member by its driver
// information, another by the first member beside it, the same name with its last number 0);
// nullopt otherwise.
std::optional<QString> hdf5FamilyMemberError(const QString& path);

// For a file that looks cut short: ", or the first member of an HDF5 file family (...)" when
// its name ends in member index 0 (the HDF Group's tfamily00000.h5), else "".
QString hdf5FamilyHint(const QString& path);

} // namespace shapescope
