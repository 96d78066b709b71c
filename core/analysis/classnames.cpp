// SPDX-License-Identifier: GPL-3.0-or-later
#include "classnames.h"

#include "formats/dumpreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <algorithm>

namespace shapescope {

namespace {

// Bounds for files from strangers.
constexpr qint64 maxClassNames = 1 << 20;
constexpr qint64 maxFileBytes = 64 << 20;

Expected<QStringList> fromJsonObject(const QJsonObject& object, const QString& what)
{
    QStringList names;
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        const qint64 id = it.key().trimmed().toLongLong(&ok);
        if (!ok || id < 0 || id >= maxClassNames)
            return Error{QStringLiteral("%1: key \"%2\" is not a class id").arg(what, it.key())};
        if (!it.value().isString())
            return Error{
                QStringLiteral("%1: the name of class %2 is not a string").arg(what, it.key())};
        if (names.size() <= id)
            names.resize(id + 1);
        names[id] = it.value().toString();
    }
    return names;
}

Expected<QStringList> fromJson(const QByteArray& text, const QString& what)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return Error{QStringLiteral("%1: not valid JSON at offset %2: %3")
                         .arg(what)
                         .arg(error.offset)
                         .arg(error.errorString())};
    if (document.isObject())
        return fromJsonObject(document.object(), what);
    QStringList names;
    for (const QJsonValue& value : document.array()) {
        if (!value.isString())
            return Error{QStringLiteral("%1: entry %2 of the list is not a string")
                             .arg(what)
                             .arg(names.size())};
        names << value.toString();
    }
    return names;
}

// "8 names for 10 classes: classes 8 to 9 are shown by number".
QString countNote(const QString& source, qsizetype names, qint64 classes)
{
    if (names < classes)
        return QStringLiteral("%1 has %2 names for %3 classes: classes %2 to %4 are shown by "
                              "number")
            .arg(source)
            .arg(names)
            .arg(classes)
            .arg(classes - 1);
    return QStringLiteral("%1 has %2 names for %3 classes: the last %4 are not used")
        .arg(source)
        .arg(names)
        .arg(classes)
        .arg(names - classes);
}

QString joinNotes(const QString& a, const QString& b)
{
    return a.isEmpty() ? b : b.isEmpty() ? a : a + QStringLiteral("; ") + b;
}

// The attribute on the target tensor, then on its group and each group above.
std::optional<ClassNamesSource> fromAttributes(DumpReader& reader, const PairResult& pair,
                                               const DumpSummary& dump)
{
    const QString name = QString::fromUtf16(classNamesAttribute);
    QStringList objects;
    if (const TensorInfo* target = dump.tensor(pair.targetTensor)) {
        objects << target->path;
        QString group = target->group;
        while (!group.isEmpty() && group != QLatin1String("/")) {
            objects << group;
            group = group.left(std::max<qsizetype>(0, group.lastIndexOf(QLatin1Char('/'))));
        }
        objects << QStringLiteral("/");
    }
    for (const QString& object : objects) {
        const std::optional<QStringList> strings = reader.stringAttribute(object, name);
        if (!strings)
            continue;
        const QString source = QStringLiteral("attribute %1 of %2").arg(name, object);
        const Expected<QStringList> names = classNamesFromStrings(*strings, source);
        if (!names)
            return ClassNamesSource{{}, {}, names.error()};
        return ClassNamesSource{*names, source, {}};
    }
    return std::nullopt;
}

// classes.txt, then labels.json, in the dump's folder.
std::optional<ClassNamesSource> besideDump(const QString& dumpPath)
{
    const QFileInfo info(dumpPath);
    const QDir folder = info.isDir() ? QDir(info.absoluteFilePath()) : info.absoluteDir();
    for (const QString& file : {QStringLiteral("classes.txt"), QStringLiteral("labels.json")}) {
        if (!folder.exists(file))
            continue;
        const QString source = QStringLiteral("%1 beside the dump").arg(file);
        const Expected<QStringList> names = readClassNamesFile(folder.filePath(file));
        if (!names)
            return ClassNamesSource{{}, {}, names.error()};
        return ClassNamesSource{*names, source, {}};
    }
    return std::nullopt;
}

} // namespace

Expected<QStringList> parseClassNames(const QByteArray& text, const QString& what)
{
    QStringDecoder decode(QStringDecoder::Utf8);
    const QString decoded = decode(text);
    if (decode.hasError())
        return Error{QStringLiteral("%1: not UTF-8 text").arg(what)};
    const QString trimmed = decoded.trimmed();
    if (trimmed.startsWith(QLatin1Char('[')) || trimmed.startsWith(QLatin1Char('{')))
        return fromJson(trimmed.toUtf8(), what);
    QStringList names = trimmed.split(QLatin1Char('\n'));
    for (QString& name : names)
        name = name.trimmed(); // also drops the \r of Windows line ends
    if (trimmed.isEmpty())
        names.clear();
    if (names.size() > maxClassNames)
        return Error{QStringLiteral("%1: more than %2 names").arg(what).arg(maxClassNames)};
    return names;
}

Expected<QStringList> classNamesFromStrings(const QStringList& strings, const QString& what)
{
    if (strings.size() == 1)
        return parseClassNames(strings.front().toUtf8(), what);
    return strings;
}

Expected<QStringList> readClassNamesFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: %2").arg(path, file.errorString())};
    if (file.size() > maxFileBytes)
        return Error{QStringLiteral("%1: larger than %2 MiB, not a list of class names")
                         .arg(path)
                         .arg(maxFileBytes >> 20)};
    Expected<QStringList> names = parseClassNames(file.readAll(), path);
    if (names && names->isEmpty())
        return Error{QStringLiteral("%1: holds no class names").arg(path)};
    return names;
}

void attachClassNames(DumpReader& reader, const std::optional<ClassNamesSource>& userNames,
                      AnalysisResult& result)
{
    std::optional<ClassNamesSource> beside;
    bool besideRead = false;
    for (PairResult& pair : result.pairs) {
        const qint64 classes = pair.layout.numClasses;
        if (classes <= 0)
            continue;
        std::optional<ClassNamesSource> found = userNames;
        if (!found)
            found = fromAttributes(reader, pair, result.dump);
        if (!found || found->names.isEmpty()) {
            // An attribute that cannot be read leaves a note and gives way to the files.
            const QString attributeNote = found ? found->note : QString();
            if (!besideRead)
                beside = besideDump(result.dump.file);
            besideRead = true;
            found = beside ? beside : std::optional<ClassNamesSource>(ClassNamesSource{});
            found->note = joinNotes(attributeNote, found->note);
        }
        if (!found)
            continue;
        pair.classNames = found->names;
        pair.classNamesSource = found->source;
        pair.classNamesNote = found->note;
        if (!pair.classNames.isEmpty() && pair.classNames.size() != classes) {
            const QString note = countNote(found->source, pair.classNames.size(), classes);
            pair.classNamesNote = joinNotes(pair.classNamesNote, note);
            if (pair.classNames.size() > classes)
                pair.classNames.resize(classes);
        }
    }
}

QString classLabel(const QStringList& names, qint64 index)
{
    if (index >= 0 && index < names.size() && !names[index].isEmpty())
        return QStringLiteral("%1 (%2)").arg(index).arg(names[index]);
    return QString::number(index);
}

} // namespace shapescope
