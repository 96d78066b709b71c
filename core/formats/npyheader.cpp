// SPDX-License-Identifier: GPL-3.0-or-later
#include "npyheader.h"

#include "common/displaytext.h"
#include "npyliteral.h"

#include <QStringList>
#include <QtEndian>
#include <array>
#include <limits>

namespace shapescope {

namespace {

const QByteArray npyMagic = QByteArrayLiteral("\x93NUMPY");
constexpr qint64 versionEnd = 8; // magic and the two version bytes

qint64 preambleSize(int majorVersion)
{
    return majorVersion == 1 ? 10 : 12;
}

bool supportedVersion(int major, int minor)
{
    return minor == 0 && major >= 1 && major <= 3;
}

quint32 headerLength(const QByteArray& bytes, int majorVersion)
{
    const char* field = bytes.constData() + versionEnd;
    return majorVersion == 1 ? qFromLittleEndian<quint16>(field)
                             : qFromLittleEndian<quint32>(field);
}

// A header value as written, shortened for a message.
QString quoted(const NpyLiteral& value, const QByteArray& text)
{
    const QByteArray source = value.sourceIn(text);
    return source.size() <= 80 ? printableBytes(source)
                               : printableBytes(source.left(77)) + QStringLiteral("...");
}

Error truncated(qint64 needed, qint64 available)
{
    return Error{QStringLiteral("the NPY header is truncated: it needs %1 bytes but only %2 are "
                                "there")
                     .arg(needed)
                     .arg(available)};
}

struct TypeCode
{
    const char* code;
    DType type;
};

// The typestr part of the descrs numpy writes for the dtypes ShapeScope reads.
constexpr std::array<TypeCode, 12> typeCodes = {{
    {"b1", DType::Bool},
    {"i1", DType::Int8},
    {"i2", DType::Int16},
    {"i4", DType::Int32},
    {"i8", DType::Int64},
    {"u1", DType::UInt8},
    {"u2", DType::UInt16},
    {"u4", DType::UInt32},
    {"u8", DType::UInt64},
    {"f2", DType::Float16},
    {"f4", DType::Float32},
    {"f8", DType::Float64},
}};

// What an unsupported descr is, in numpy's words, by its kind character.
QString unsupportedKind(const QString& code)
{
    const QChar kind = code.isEmpty() ? QChar() : code.front();
    const QString size = code.mid(1);
    if (kind == u'c') {
        const int bits = size.toInt() * 8;
        return bits > 0 ? QStringLiteral("complex%1").arg(bits) : QStringLiteral("complex");
    }
    if (kind == u'f' && (size == u"10" || size == u"12" || size == u"16"))
        return QStringLiteral("long double");
    if (kind == u'U')
        return QStringLiteral("unicode strings");
    if (kind == u'S' || kind == u'a')
        return QStringLiteral("byte strings");
    if (kind == u'M')
        return QStringLiteral("datetime64");
    if (kind == u'm')
        return QStringLiteral("timedelta64");
    if (kind == u'V')
        return QStringLiteral("raw bytes, numpy's void");
    return {};
}

} // namespace

qint64 NpyHeader::bytesNeeded(const QByteArray& prefix)
{
    if (prefix.size() < versionEnd || !prefix.startsWith(npyMagic))
        return std::max<qint64>(prefix.size(), versionEnd);
    const int major = static_cast<unsigned char>(prefix[6]);
    const int minor = static_cast<unsigned char>(prefix[7]);
    if (!supportedVersion(major, minor))
        return prefix.size();
    const qint64 preamble = preambleSize(major);
    if (prefix.size() < preamble)
        return preamble;
    const qint64 length = headerLength(prefix, major);
    return length > maxHeaderLength ? prefix.size() : preamble + length;
}

Expected<NpyHeader> NpyHeader::parse(const QByteArray& bytes, NpyUnsupported* unsupported)
{
    NpyUnsupported ignored;
    if (!unsupported)
        unsupported = &ignored;
    *unsupported = NpyUnsupported{};
    if (bytes.isEmpty())
        return Error{QStringLiteral("the file is empty, with no NPY header")};
    const QByteArray head = bytes.left(npyMagic.size());
    if (!npyMagic.startsWith(head)) {
        return Error{QStringLiteral("not an NPY file: it starts with \"%1\" where an NPY file "
                                    "starts with \"\\x93NUMPY\"")
                         .arg(printableBytes(head))};
    }
    if (bytes.size() < versionEnd)
        return truncated(versionEnd, bytes.size());
    NpyHeader header;
    const int major = static_cast<unsigned char>(bytes[6]);
    const int minor = static_cast<unsigned char>(bytes[7]);
    if (!supportedVersion(major, minor)) {
        return Error{QStringLiteral("unsupported NPY version %1.%2 (ShapeScope reads versions "
                                    "1.0, 2.0 and 3.0)")
                         .arg(major)
                         .arg(minor)};
    }
    header.m_majorVersion = major;
    const qint64 preamble = preambleSize(major);
    if (bytes.size() < preamble)
        return truncated(preamble, bytes.size());
    const qint64 length = headerLength(bytes, major);
    if (length > maxHeaderLength) {
        return Error{QStringLiteral("the NPY header is %1 bytes long; like numpy "
                                    "(max_header_size), ShapeScope refuses headers over %2 bytes "
                                    "as unsafe to parse")
                         .arg(length)
                         .arg(maxHeaderLength)};
    }
    if (bytes.size() < preamble + length)
        return truncated(preamble + length, bytes.size());
    header.m_dataOffset = preamble + length;

    const QByteArray text = bytes.mid(preamble, length);
    const Expected<NpyLiteral> parsed = NpyLiteral::parse(text, major >= 3, major <= 2);
    if (!parsed)
        return Error{QStringLiteral("NPY header is not a valid Python literal: ") + parsed.error()};
    const NpyLiteral& dict = *parsed;
    if (dict.kind() != NpyLiteral::Kind::Dict)
        return Error{QStringLiteral("NPY header is not a dict but ") + quoted(dict, text)};

    // numpy requires exactly these keys; a duplicate, which Python silently collapses, is
    // refused too, since a writer that repeats a key may mean either value.
    const NpyLiteral* descr = nullptr;
    const NpyLiteral* fortranOrder = nullptr;
    const NpyLiteral* shape = nullptr;
    for (size_t i = 0; i < dict.keys().size(); ++i) {
        const NpyLiteral& key = dict.keys()[i];
        const QString name = key.kind() == NpyLiteral::Kind::String ? key.string() : QString();
        const NpyLiteral** slot = name == u"descr"           ? &descr
                                  : name == u"fortran_order" ? &fortranOrder
                                  : name == u"shape"         ? &shape
                                                             : nullptr;
        if (!slot) {
            return Error{QStringLiteral("NPY header has an unexpected key %1 (it may hold only "
                                        "'descr', 'fortran_order' and 'shape')")
                             .arg(quoted(key, text))};
        }
        if (*slot)
            return Error{QStringLiteral("NPY header names the key '%1' more than once").arg(name)};
        *slot = &dict.items()[i];
    }
    for (const auto& [name, value] :
         {std::pair{"descr", descr}, std::pair{"fortran_order", fortranOrder},
          std::pair{"shape", shape}}) {
        if (!value)
            return Error{QStringLiteral("NPY header lacks the key '%1'").arg(QLatin1String(name))};
    }

    // An unsupported dtype is reported after the shape is parsed, so the array can be listed
    // with its shape; damage anywhere in the header still wins.
    std::optional<Error> unsupportedDtype;
    if (descr->kind() == NpyLiteral::Kind::List) {
        unsupported->descr = quoted(*descr, text);
        unsupportedDtype = Error{QStringLiteral("structured dtype %1 is not supported; save each "
                                                "field as an array of its own")
                                     .arg(unsupported->descr)};
    } else if (descr->kind() != NpyLiteral::Kind::String) {
        return Error{QStringLiteral("NPY header's descr must be a dtype string such as '<f4', "
                                    "not %1")
                         .arg(quoted(*descr, text))};
    } else {
        bool other = false;
        if (Status status = header.parseDescr(descr->string(), other); !status) {
            if (!other)
                return Error{status.error()};
            unsupported->descr = descr->string();
            unsupportedDtype = Error{status.error()};
        }
    }

    if (fortranOrder->kind() != NpyLiteral::Kind::Bool) {
        return Error{QStringLiteral("NPY header's fortran_order must be True or False, not %1")
                         .arg(quoted(*fortranOrder, text))};
    }
    header.m_fortranOrder = fortranOrder->boolean();

    if (Status status = header.parseShape(*shape, quoted(*shape, text)); !status)
        return Error{status.error()};
    if (unsupportedDtype) {
        unsupported->found = true;
        unsupported->shape = header.m_shape;
        unsupported->reason = unsupportedDtype->message;
        return *unsupportedDtype;
    }
    const qint64 itemSize = dtypeSize(header.m_dtype);
    if (header.m_elementCount > std::numeric_limits<qint64>::max() / itemSize) {
        return Error{QStringLiteral("NPY header's shape %1 %2 has too many bytes to address "
                                    "(more than 2^63)")
                         .arg(header.shapeText(), dtypeName(header.m_dtype))};
    }
    header.m_dataBytes = header.m_elementCount * itemSize;
    return header;
}

Status NpyHeader::parseShape(const NpyLiteral& shape, const QString& shapeSource)
{
    bool integers = shape.kind() == NpyLiteral::Kind::Tuple;
    for (const NpyLiteral& extent : shape.items())
        integers = integers && extent.kind() == NpyLiteral::Kind::Int;
    if (!integers) {
        return Error{QStringLiteral("NPY header's shape must be a tuple of integers, not %1")
                         .arg(shapeSource)};
    }
    if (shape.items().size() > size_t(maxRank)) {
        return Error{QStringLiteral("NPY header's shape has %1 axes; at most %2 are supported")
                         .arg(shape.items().size())
                         .arg(maxRank)};
    }
    for (size_t axis = 0; axis < shape.items().size(); ++axis) {
        const NpyLiteral& extent = shape.items()[axis];
        if (!extent.fitsInt64()) {
            return Error{QStringLiteral("NPY header's shape %1 has a length on axis %2 too large "
                                        "to address")
                             .arg(shapeSource)
                             .arg(axis)};
        }
        if (extent.integer() < 0) {
            return Error{QStringLiteral("NPY header's shape %1 has a negative length on axis %2")
                             .arg(shapeSource)
                             .arg(axis)};
        }
        m_shape.push_back(extent.integer());
    }
    m_elementCount = checkedElementCount(m_shape);
    if (m_elementCount < 0) {
        return Error{QStringLiteral("NPY header's shape %1 has too many elements to address "
                                    "(more than 2^63)")
                         .arg(shapeText())};
    }
    return Status::success();
}

NpyHeader NpyHeader::describe(DType dtype, ByteOrder order, Shape shape, qint64 elementCount)
{
    NpyHeader header;
    header.m_dtype = dtype;
    header.m_byteOrder = order;
    header.m_shape = std::move(shape);
    header.m_elementCount = elementCount;
    header.m_dataBytes = elementCount * dtypeSize(dtype);
    return header;
}

Status NpyHeader::parseDescr(const QString& descr, bool& unsupported)
{
    m_descr = descr;
    QString code = descr;
    std::optional<ByteOrder> order;
    if (code.startsWith(u'<') || code.startsWith(u'>'))
        order = code.startsWith(u'<') ? ByteOrder::Little : ByteOrder::Big;
    if (order || code.startsWith(u'|') || code.startsWith(u'='))
        code.remove(0, 1);
    if (code == u"?")
        code = QStringLiteral("b1");
    for (const TypeCode& known : typeCodes) {
        if (code == QLatin1String(known.code)) {
            m_dtype = known.type;
            m_byteOrder = order && dtypeSize(known.type) > 1 ? *order : nativeByteOrder();
            return Status::success();
        }
    }
    if (code.startsWith(u'O')) {
        unsupported = true;
        return Error{QStringLiteral("the array holds Python objects (dtype '%1'), which numpy "
                                    "stores as a pickle; ShapeScope never loads pickles, so save "
                                    "a numeric array instead")
                         .arg(descr)};
    }
    const QString kind = unsupportedKind(code);
    if (kind.isEmpty())
        return Error{QStringLiteral("unknown dtype '%1' in the NPY header").arg(descr)};
    unsupported = true;
    return Error{QStringLiteral("dtype '%1' (%2) is not supported; ShapeScope reads bool, integer "
                                "and float arrays")
                     .arg(descr, kind)};
}

QString NpyHeader::versionText() const
{
    return QStringLiteral("%1.0").arg(m_majorVersion);
}

QString NpyHeader::shapeText() const
{
    QStringList parts;
    for (qint64 extent : m_shape)
        parts << QString::number(extent);
    // Python writes a one-tuple with a trailing comma: (7,)
    const QString close = m_shape.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")");
    return QStringLiteral("(") + parts.join(QStringLiteral(", ")) + close;
}

QString NpyHeader::dataSizeMismatch(qint64 bytesAfterHeader) const
{
    const QString says = QStringLiteral("NPY header says shape %1 %2 = %3 bytes")
                             .arg(shapeText(), dtypeName(m_dtype))
                             .arg(m_dataBytes);
    if (bytesAfterHeader < m_dataBytes) {
        return says % QStringLiteral(" but only %1 bytes follow the header (%2 missing)")
                          .arg(bytesAfterHeader)
                          .arg(m_dataBytes - bytesAfterHeader);
    }
    return says % QStringLiteral(" but %1 bytes follow the header (%2 too many)")
                      .arg(bytesAfterHeader)
                      .arg(bytesAfterHeader - m_dataBytes);
}

QString NpyHeader::layoutText() const
{
    QString text =
        QStringLiteral("npy %1, %2 order").arg(versionText(), m_fortranOrder ? u"Fortran" : u"C");
    if (dtypeSize(m_dtype) > 1)
        text += m_byteOrder == ByteOrder::Little ? u", little-endian" : u", big-endian";
    return text;
}

std::vector<Attribute> NpyHeader::attributes() const
{
    const QString order = dtypeSize(m_dtype) == 1            ? QStringLiteral("not applicable")
                          : m_byteOrder == ByteOrder::Little ? QStringLiteral("little-endian")
                                                             : QStringLiteral("big-endian");
    return {
        {QStringLiteral("npy version"), QStringLiteral("string"), versionText()},
        {QStringLiteral("descr"), QStringLiteral("string"), m_descr},
        {QStringLiteral("fortran_order"), QStringLiteral("bool"),
         m_fortranOrder ? QStringLiteral("True") : QStringLiteral("False")},
        {QStringLiteral("byte order"), QStringLiteral("string"), order},
    };
}

} // namespace shapescope
