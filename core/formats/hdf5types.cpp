// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5types.h"

#include <QStringList>
#include <algorithm>
#include <cstring>

namespace shapescope {

namespace {

std::optional<DType> integerDType(hid_t type)
{
    const size_t size = H5Tget_size(type);
    const bool isSigned = H5Tget_sign(type) == H5T_SGN_2;
    if (size == 0 || size > 8)
        return std::nullopt;
    if (size == 1)
        return isSigned ? DType::Int8 : DType::UInt8;
    if (size == 2)
        return isSigned ? DType::Int16 : DType::UInt16;
    if (size <= 4)
        return isSigned ? DType::Int32 : DType::UInt32;
    return isSigned ? DType::Int64 : DType::UInt64;
}

std::optional<DType> floatDType(hid_t type)
{
    size_t signPos = 0, exponentPos = 0, exponentBits = 0, mantissaPos = 0, mantissaBits = 0;
    if (H5Tget_fields(type, &signPos, &exponentPos, &exponentBits, &mantissaPos, &mantissaBits) < 0)
        return std::nullopt;
    if (H5Tget_size(type) == 2 && exponentBits == 5 && mantissaBits == 10)
        return DType::Float16;
    if (H5Tget_size(type) == 2 && exponentBits == 8 && mantissaBits == 7)
        return DType::BFloat16;
    if (exponentBits <= 8 && mantissaBits <= 23)
        return DType::Float32;
    return DType::Float64;
}

// h5py writes numpy's bool as an 8-bit signed enum with exactly FALSE = 0 and TRUE = 1.
bool isH5pyBool(hid_t type)
{
    if (H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2)
        return false;
    const char* names[] = {"FALSE", "TRUE"};
    for (unsigned i = 0; i < 2; ++i) {
        char* name = H5Tget_member_name(type, i);
        const bool nameMatches = name && std::strcmp(name, names[i]) == 0;
        H5free_memory(name);
        signed char value = -1;
        if (!nameMatches || H5Tget_member_value(type, i, &value) < 0 || value != int(i))
            return false;
    }
    return true;
}

// h5py writes complex numbers as a compound of two floats named "r" and "i".
bool isComplex(hid_t type)
{
    if (H5Tget_nmembers(type) != 2)
        return false;
    const char* names[] = {"r", "i"};
    for (unsigned i = 0; i < 2; ++i) {
        char* name = H5Tget_member_name(type, i);
        const bool nameMatches = name && std::strcmp(name, names[i]) == 0;
        H5free_memory(name);
        if (!nameMatches || H5Tget_member_class(type, i) != H5T_FLOAT)
            return false;
    }
    return true;
}

Hdf5ElementType notNumeric(QString kind, QString why = QStringLiteral("not numeric"))
{
    Hdf5ElementType element;
    element.kind = std::move(kind);
    element.why = std::move(why);
    return element;
}

// "fields x: float, label: integer": what a user would split into datasets of their own.
QString compoundFields(hid_t type)
{
    const int members = H5Tget_nmembers(type);
    QStringList fields;
    for (int i = 0; i < std::min(members, 16); ++i) {
        char* name = H5Tget_member_name(type, unsigned(i));
        fields << QStringLiteral("%1: %2").arg(
            QString::fromUtf8(name ? name : "?"),
            typeClassName(H5Tget_member_class(type, unsigned(i))));
        H5free_memory(name);
    }
    if (members > 16)
        fields << QStringLiteral("...");
    return QStringLiteral("fields %1").arg(fields.join(QStringLiteral(", ")));
}

// Wider than float64 (x87's 80-bit long double, IEEE quad): rounding it to float64 would hide
// what the file holds, so it is listed, not read, as numpy's longdouble is by the npy readers.
bool widerThanDouble(hid_t type)
{
    size_t signPos = 0, exponentPos = 0, exponentBits = 0, mantissaPos = 0, mantissaBits = 0;
    return H5Tget_fields(type, &signPos, &exponentPos, &exponentBits, &mantissaPos,
                         &mantissaBits) >= 0 &&
           (exponentBits > 11 || mantissaBits > 52);
}

} // namespace

QString typeClassName(H5T_class_t typeClass)
{
    switch (typeClass) {
    case H5T_INTEGER:
        return QStringLiteral("integer");
    case H5T_FLOAT:
        return QStringLiteral("float");
    case H5T_TIME:
        return QStringLiteral("time");
    case H5T_STRING:
        return QStringLiteral("string");
    case H5T_BITFIELD:
        return QStringLiteral("bitfield");
    case H5T_OPAQUE:
        return QStringLiteral("opaque");
    case H5T_COMPOUND:
        return QStringLiteral("compound");
    case H5T_REFERENCE:
        return QStringLiteral("reference");
    case H5T_ENUM:
        return QStringLiteral("enum");
    case H5T_VLEN:
        return QStringLiteral("variable-length sequence");
    case H5T_ARRAY:
        return QStringLiteral("array");
    default:
        return QStringLiteral("unknown type");
    }
}

Hdf5ElementType classifyType(hid_t type)
{
    const H5T_class_t typeClass = H5Tget_class(type);
    Hdf5ElementType element;
    switch (typeClass) {
    case H5T_INTEGER:
        element.dtype = integerDType(type);
        if (!element.dtype)
            return notNumeric(QStringLiteral("integer"), QStringLiteral("wider than 64 bits"));
        return element;
    case H5T_FLOAT:
        if (widerThanDouble(type)) {
            return notNumeric(QStringLiteral("float%1").arg(H5Tget_precision(type)),
                              QStringLiteral("wider than float64 (long double or quad), not "
                                             "converted; save it as float64"));
        }
        element.dtype = floatDType(type);
        if (!element.dtype)
            return notNumeric(QStringLiteral("float"), QStringLiteral("unreadable float layout"));
        return element;
    case H5T_ENUM: {
        element.isEnum = true;
        if (isH5pyBool(type)) {
            element.dtype = DType::Bool;
            return element;
        }
        const Hdf5Type base(H5Tget_super(type));
        if (base && H5Tget_class(base.get()) == H5T_INTEGER)
            element.dtype = integerDType(base.get());
        if (!element.dtype)
            return notNumeric(QStringLiteral("enum"), QStringLiteral("unreadable base type"));
        return element;
    }
    case H5T_COMPOUND:
        if (isComplex(type)) {
            return notNumeric(QStringLiteral("complex (compound)"),
                              QStringLiteral("ShapeScope reads real numbers only"));
        }
        return notNumeric(QStringLiteral("compound"),
                          QStringLiteral("not numeric (%1); save each field as a dataset of "
                                         "its own")
                              .arg(compoundFields(type)));
    case H5T_BITFIELD:
        return notNumeric(QStringLiteral("bitfield%1").arg(H5Tget_size(type) * 8),
                          QStringLiteral("bitfields are not read; h5py reads them as unsigned "
                                         "integers, save them as uint%1")
                              .arg(H5Tget_size(type) * 8));
    default:
        return notNumeric(typeClassName(typeClass));
    }
}

Hdf5Type nativeMemoryType(DType dtype)
{
    switch (dtype) {
    case DType::Bool:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_UINT8));
    case DType::Int8:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_INT8));
    case DType::Int16:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_INT16));
    case DType::Int32:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_INT32));
    case DType::Int64:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_INT64));
    case DType::UInt8:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_UINT8));
    case DType::UInt16:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_UINT16));
    case DType::UInt32:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_UINT32));
    case DType::UInt64:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_UINT64));
    case DType::Float16: {
        // HDF5 1.10 has no predefined half type; this builds IEEE binary16 in native order the
        // way h5py does (fields first, then shrink the size, then the bias).
        Hdf5Type half(H5Tcopy(H5T_NATIVE_FLOAT));
        if (!half || H5Tset_fields(half.get(), 15, 10, 5, 0, 10) < 0 ||
            H5Tset_size(half.get(), 2) < 0 || H5Tset_ebias(half.get(), 15) < 0)
            return Hdf5Type();
        return half;
    }
    case DType::Float32:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_FLOAT));
    case DType::Float64:
        return Hdf5Type(H5Tcopy(H5T_NATIVE_DOUBLE));
    case DType::BFloat16: {
        // float32 without its low 16 mantissa bits: same sign, exponent and bias.
        Hdf5Type bfloat(H5Tcopy(H5T_NATIVE_FLOAT));
        if (!bfloat || H5Tset_fields(bfloat.get(), 15, 7, 8, 0, 7) < 0 ||
            H5Tset_size(bfloat.get(), 2) < 0 || H5Tset_ebias(bfloat.get(), 127) < 0)
            return Hdf5Type();
        return bfloat;
    }
    }
    return Hdf5Type();
}

Hdf5Type readMemoryType(hid_t fileType, const Hdf5ElementType& element)
{
    if (element.isEnum)
        return Hdf5Type(H5Tget_native_type(fileType, H5T_DIR_ASCEND));
    return nativeMemoryType(*element.dtype);
}

} // namespace shapescope
