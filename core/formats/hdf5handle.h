// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <hdf5.h>
#include <utility>

namespace shapescope {

// Owns one HDF5 identifier and releases it with the matching H5?close on every path. Only ids
// the library hands out for us to close belong here: never predefined types like
// H5T_NATIVE_FLOAT or H5P_DEFAULT.
template <herr_t (*Close)(hid_t)> class Hdf5Handle
{
public:
    Hdf5Handle() = default;
    explicit Hdf5Handle(hid_t id) : m_id(id) {}
    ~Hdf5Handle() { reset(); }

    Hdf5Handle(const Hdf5Handle&) = delete;
    Hdf5Handle& operator=(const Hdf5Handle&) = delete;
    Hdf5Handle(Hdf5Handle&& other) noexcept : m_id(std::exchange(other.m_id, H5I_INVALID_HID)) {}
    Hdf5Handle& operator=(Hdf5Handle&& other) noexcept
    {
        if (this != &other) {
            reset();
            m_id = std::exchange(other.m_id, H5I_INVALID_HID);
        }
        return *this;
    }

    // HDF5 reports failure with a negative id, so a handle made from a failed call is invalid.
    bool valid() const { return m_id >= 0; }
    explicit operator bool() const { return valid(); }
    hid_t get() const { return m_id; }

    void reset(hid_t id = H5I_INVALID_HID)
    {
        // With H5F_CLOSE_STRONG, closing the file already closed its objects; H5Iis_valid keeps
        // us from closing an id twice (harmless, but it would leave an error on the stack).
        if (m_id >= 0 && H5Iis_valid(m_id) > 0)
            Close(m_id);
        m_id = id;
    }

private:
    hid_t m_id = H5I_INVALID_HID;
};

using Hdf5File = Hdf5Handle<H5Fclose>;
using Hdf5Group = Hdf5Handle<H5Gclose>;
using Hdf5Object = Hdf5Handle<H5Oclose>;
using Hdf5Dataset = Hdf5Handle<H5Dclose>;
using Hdf5Attribute = Hdf5Handle<H5Aclose>;
using Hdf5Type = Hdf5Handle<H5Tclose>;
using Hdf5Space = Hdf5Handle<H5Sclose>;
using Hdf5PropertyList = Hdf5Handle<H5Pclose>;

} // namespace shapescope
