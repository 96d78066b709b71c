// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5attributes.h"

#include "common/naturalsort.h"
#include "hdf5handle.h"
#include "hdf5types.h"
#include "tensor/elementconvert.h"

#include <QFloat16>
#include <QStringList>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace shapescope {

namespace {

// Bounds for files from strangers: how much of an object's attributes we read and show.
constexpr hsize_t maxAttributes = 256;
constexpr qint64 maxShownElements = 16;
constexpr qint64 maxReadElements = 1 << 20;
constexpr qint64 maxReadBytes = 16 << 20;
constexpr int maxTextLength = 1024;
const QChar ellipsis(0x2026);

// Shortest decimal digits that read back as the same value of `dtype`, as "d.ddde±x".
std::string shortestScientific(double value, DType dtype)
{
    char buffer[64];
    std::to_chars_result result{};
    if (dtype == DType::Float64) {
        result =
            std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    } else if (dtype == DType::Float32) {
        result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(value),
                               std::chars_format::scientific);
    } else {
        // No half overload: try more digits until the text rounds back to the same half.
        const qfloat16 target(static_cast<float>(value));
        for (int precision = 0; precision < 17; ++precision) {
            result = std::to_chars(buffer, buffer + sizeof buffer, value,
                                   std::chars_format::scientific, precision);
            double back = 0;
            std::from_chars(buffer, result.ptr, back);
            if (qfloat16(static_cast<float>(back)) == target)
                break;
        }
    }
    return std::string(buffer, result.ptr);
}

// Python's and numpy's float repr: positional for 1e-4 <= |x| < 1e16 (always with a fraction
// digit: "1.0"), scientific otherwise ("1e-05", "1.5e+16").
QString formatFloat(double value, DType dtype)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    const std::string text = shortestScientific(value, dtype);
    const size_t e = text.find('e');
    const bool negative = text.front() == '-';
    std::string digits;
    for (size_t i = negative ? 1 : 0; i < e; ++i) {
        if (text[i] != '.')
            digits += text[i];
    }
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    int exponent = 0;
    std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(),
                    exponent);
    const double magnitude = std::fabs(value);
    std::string out = negative ? "-" : "";
    if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
        if (exponent < 0) {
            out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
        } else {
            const size_t integerDigits = static_cast<size_t>(exponent) + 1;
            if (digits.size() <= integerDigits)
                out += digits + std::string(integerDigits - digits.size(), '0') + ".0";
            else
                out += digits.substr(0, integerDigits) + "." + digits.substr(integerDigits);
        }
    } else {
        out += digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        // At least two exponent digits, as C's printf and so Python write them.
        out += exponent < 0 ? "e-" : "e+";
        if (std::abs(exponent) < 10)
            out += '0';
        out += std::to_string(std::abs(exponent));
    }
    return QString::fromLatin1(out.data(), static_cast<qsizetype>(out.size()));
}

QString limitText(QString text)
{
    if (text.size() > maxTextLength)
        text = text.left(maxTextLength) + ellipsis;
    return text;
}

QString joinShown(const QStringList& items, qint64 total)
{
    QString text = QLatin1Char('[') + items.join(QStringLiteral(", "));
    if (total > items.size())
        text += QStringLiteral(", ") + ellipsis;
    return text + QLatin1Char(']');
}

QString elementsNotRead(qint64 count)
{
    return QStringLiteral("(%1 elements, not read)").arg(count);
}

Attribute unsupported(const QString& name, const QString& why)
{
    return Attribute{name, QStringLiteral("unsupported"), why};
}

Attribute readNumbers(const QString& name, hid_t attribute, hid_t type,
                      const Hdf5ElementType& element, qint64 count, bool scalar)
{
    const DType dtype = *element.dtype;
    const QString typeName = dtypeName(dtype);
    if (count > maxReadElements)
        return Attribute{name, typeName, elementsNotRead(count)};
    const Hdf5Type memoryType = readMemoryType(type, element);
    if (!memoryType || H5Tget_size(memoryType.get()) != size_t(dtypeSize(dtype)))
        return unsupported(name, QStringLiteral("unreadable %1").arg(typeName));
    std::vector<unsigned char> buffer(static_cast<size_t>(count) * dtypeSize(dtype));
    if (count > 0 && H5Aread(attribute, memoryType.get(), buffer.data()) < 0)
        return unsupported(name, QStringLiteral("unreadable %1").arg(typeName));
    QStringList items;
    for (qint64 i = 0; i < std::min(count, maxShownElements); ++i)
        items << formatElement(buffer.data() + i * dtypeSize(dtype), dtype);
    return Attribute{name, typeName, scalar ? items.value(0) : joinShown(items, count)};
}

QStringList readVariableStrings(hid_t attribute, hid_t type, hid_t space, qint64 count, bool* ok,
                                bool shorten = true)
{
    Hdf5Type memoryType(H5Tcopy(H5T_C_S1));
    std::vector<char*> strings(static_cast<size_t>(count), nullptr);
    *ok = memoryType && H5Tset_size(memoryType.get(), H5T_VARIABLE) >= 0 &&
          H5Tset_cset(memoryType.get(), H5Tget_cset(type)) >= 0 &&
          H5Aread(attribute, memoryType.get(), strings.data()) >= 0;
    QStringList texts;
    if (*ok) {
        for (qint64 i = 0; i < (shorten ? std::min(count, maxShownElements) : count); ++i) {
            const QString text = QString::fromUtf8(strings[i] ? strings[i] : "");
            texts << (shorten ? limitText(text) : text);
        }
        // H5Treclaim is declared by 1.10.8's headers but not exported by its library.
        H5Dvlen_reclaim(memoryType.get(), space, H5P_DEFAULT, strings.data());
    }
    return texts;
}

QStringList readFixedStrings(hid_t attribute, hid_t type, qint64 count, bool* ok,
                             bool shorten = true)
{
    const size_t size = H5Tget_size(type);
    *ok = size > 0;
    if (!*ok)
        return {};
    const bool spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD;
    QByteArray bytes(static_cast<qsizetype>(count * size), '\0');
    // Reading with the file's own type copies the bytes unconverted.
    *ok = count == 0 || H5Aread(attribute, type, bytes.data()) >= 0;
    QStringList texts;
    for (qint64 i = 0; *ok && i < (shorten ? std::min(count, maxShownElements) : count); ++i) {
        QByteArray text = bytes.mid(static_cast<qsizetype>(i * size), static_cast<qsizetype>(size));
        if (const qsizetype nul = text.indexOf('\0'); nul >= 0)
            text.truncate(nul);
        if (spacePadded) {
            while (text.endsWith(' '))
                text.chop(1);
        }
        texts << (shorten ? limitText(QString::fromUtf8(text)) : QString::fromUtf8(text));
    }
    return texts;
}

Attribute readStrings(const QString& name, hid_t attribute, hid_t type, hid_t space, qint64 count,
                      bool scalar)
{
    const QString typeName = QStringLiteral("string");
    const htri_t variable = H5Tis_variable_str(type);
    if (variable < 0)
        return unsupported(name, typeName);
    if (count > maxReadElements || (!variable && count * qint64(H5Tget_size(type)) > maxReadBytes))
        return Attribute{name, typeName, elementsNotRead(count)};
    bool ok = false;
    const QStringList texts = variable ? readVariableStrings(attribute, type, space, count, &ok)
                                       : readFixedStrings(attribute, type, count, &ok);
    if (!ok)
        return unsupported(name, QStringLiteral("unreadable string"));
    if (scalar)
        return Attribute{name, typeName, texts.value(0)};
    QStringList quoted;
    for (const QString& text : texts)
        quoted << QLatin1Char('"') + text + QLatin1Char('"');
    return Attribute{name, typeName, joinShown(quoted, count)};
}

QString attributeName(hid_t attribute)
{
    const ssize_t length = H5Aget_name(attribute, 0, nullptr);
    if (length <= 0)
        return QString();
    QByteArray name(static_cast<qsizetype>(length) + 1, '\0');
    H5Aget_name(attribute, name.size(), name.data());
    name.truncate(static_cast<qsizetype>(length));
    return QString::fromUtf8(name);
}

Attribute readAttribute(hid_t object, hsize_t index)
{
    const Hdf5Attribute attribute(
        H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, H5P_DEFAULT, H5P_DEFAULT));
    if (!attribute)
        return unsupported(QStringLiteral("#%1").arg(index), QStringLiteral("cannot be opened"));
    const QString name = attributeName(attribute.get());
    const Hdf5Type type(H5Aget_type(attribute.get()));
    const Hdf5Space space(H5Aget_space(attribute.get()));
    if (!type || !space)
        return unsupported(name, QStringLiteral("cannot be opened"));
    const H5S_class_t spaceClass = H5Sget_simple_extent_type(space.get());
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (spaceClass == H5S_NO_CLASS || count < 0)
        return unsupported(name, QStringLiteral("unreadable dataspace"));
    const bool scalar = spaceClass == H5S_SCALAR;
    const H5T_class_t typeClass = H5Tget_class(type.get());
    if (typeClass == H5T_STRING) {
        if (spaceClass == H5S_NULL)
            return Attribute{name, QStringLiteral("string"), QStringLiteral("(empty)")};
        return readStrings(name, attribute.get(), type.get(), space.get(), count, scalar);
    }
    const Hdf5ElementType element = classifyType(type.get());
    if (!element.numeric())
        return unsupported(name, element.kind);
    if (spaceClass == H5S_NULL)
        return Attribute{name, dtypeName(*element.dtype), QStringLiteral("(empty)")};
    return readNumbers(name, attribute.get(), type.get(), element, count, scalar);
}

} // namespace

QString formatElement(const void* element, DType dtype)
{
    if (dtype == DType::Bool)
        return *static_cast<const unsigned char*>(element) ? QStringLiteral("True")
                                                           : QStringLiteral("False");
    if (isSignedInteger(dtype)) {
        qint64 value = 0;
        convertElements(element, dtype, nativeByteOrder(), &value, DType::Int64, 1);
        return QString::number(value);
    }
    if (isUnsignedInteger(dtype)) {
        quint64 value = 0;
        convertElements(element, dtype, nativeByteOrder(), &value, DType::UInt64, 1);
        return QString::number(value);
    }
    double value = 0;
    convertElements(element, dtype, nativeByteOrder(), &value, DType::Float64, 1);
    return formatFloat(value, dtype);
}

std::optional<QStringList> readStringAttribute(hid_t object, const QString& name)
{
    const QByteArray rawName = name.toUtf8();
    if (H5Aexists(object, rawName.constData()) <= 0)
        return std::nullopt;
    const Hdf5Attribute attribute(H5Aopen(object, rawName.constData(), H5P_DEFAULT));
    const Hdf5Type type(attribute ? H5Aget_type(attribute.get()) : H5I_INVALID_HID);
    const Hdf5Space space(attribute ? H5Aget_space(attribute.get()) : H5I_INVALID_HID);
    if (!type || !space || H5Tget_class(type.get()) != H5T_STRING)
        return std::nullopt;
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    const htri_t variable = H5Tis_variable_str(type.get());
    if (count < 0 || count > maxReadElements || variable < 0 ||
        (!variable && count * qint64(H5Tget_size(type.get())) > maxReadBytes))
        return std::nullopt;
    bool ok = false;
    QStringList texts =
        variable ? readVariableStrings(attribute.get(), type.get(), space.get(), count, &ok, false)
                 : readFixedStrings(attribute.get(), type.get(), count, &ok, false);
    if (!ok)
        return std::nullopt;
    return texts;
}

std::vector<Attribute> readAttributes(hid_t object)
{
    H5O_info_t info{};
    if (H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS) < 0)
        return {unsupported(QStringLiteral("(attributes)"), QStringLiteral("cannot be listed"))};
    std::vector<Attribute> attributes;
    for (hsize_t i = 0; i < std::min(info.num_attrs, maxAttributes); ++i)
        attributes.push_back(readAttribute(object, i));
    std::stable_sort(
        attributes.begin(), attributes.end(),
        [](const Attribute& a, const Attribute& b) { return naturalLess(a.name, b.name); });
    if (info.num_attrs > maxAttributes) {
        attributes.push_back(unsupported(
            QStringLiteral("(more)"),
            QStringLiteral("%1 more attributes not shown").arg(info.num_attrs - maxAttributes)));
    }
    return attributes;
}

} // namespace shapescope
