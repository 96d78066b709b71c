// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysisresult.h"
#include "common/expected.h"

#include <QStringList>
#include <optional>

namespace shapescope {

class DumpReader;

// The names of a dump's classes, read once here and carried in PairResult (classNames,
// classNamesSource, classNamesNote), so the inspector, the plots, the tables and the reports
// all say "class 3 (cat)" from the same list.
//
// Where they come from, first found wins:
//   1. a file the user picks (AnalysisOptions::classNamesFile, `--class-names FILE`);
//   2. the HDF5 attribute `class_names` on the pair's target tensor, then on its group and the
//      groups above it up to the root;
//   3. `classes.txt`, then `labels.json`, beside the dump (in the folder of a folder dump).
// A file or attribute holds a JSON list, a JSON object of id -> name, or one name per line.

inline constexpr char16_t classNamesAttribute[] = u"class_names";

// The names in `text` (what a file or a string attribute holds); `what` names the source in
// the error ("labels.json: ...").
Expected<QStringList> parseClassNames(const QByteArray& text, const QString& what);
// The names an attribute's strings hold: one string is parsed as a text, several are the names.
Expected<QStringList> classNamesFromStrings(const QStringList& strings, const QString& what);
Expected<QStringList> readClassNamesFile(const QString& path);

struct ClassNamesSource
{
    QStringList names;
    QString source; // "classes.txt beside the dump", "attribute class_names of /batch_0/labels"
    QString note;   // why a source was not used (it cannot be read)
};

// Fills classNames, classNamesSource and classNamesNote of every pair with classes. `userNames`
// are the names of the file the user picked, already read. A source whose count differs from
// the pair's classes is used for the classes it names, with a note saying so.
void attachClassNames(DumpReader& reader, const std::optional<ClassNamesSource>& userNames,
                      AnalysisResult& result);

// "3 (cat)", or "3" when the class has no name: the one label of a class.
QString classLabel(const QStringList& names, qint64 index);

} // namespace shapescope
