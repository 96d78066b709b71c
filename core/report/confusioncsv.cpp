// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusioncsv.h"

#include "common/atomicwrite.h"
#include "losscsv.h"

#include <cmath>

namespace shapescope {

namespace {

QByteArray className(const QStringList& names, qint64 c)
{
    const QString name = c < names.size() ? names.at(c) : QString();
    if (name.isEmpty())
        return QByteArray::number(c);
    QByteArray text = name.toUtf8();
    if (text.contains(',') || text.contains('"') || text.contains('\n'))
        text = '"' + text.replace("\"", "\"\"") + '"';
    return text;
}

QByteArray score(double value)
{
    return std::isnan(value) ? QByteArray() : formatDouble(value);
}

} // namespace

QByteArray confusionCsv(const ConfusionMatrix& matrix, const QStringList& classNames)
{
    const qint64 classes = matrix.classes;
    const std::vector<ClassScore> scores = classScores(matrix);
    QByteArray csv = "target";
    for (qint64 p = 0; p < classes; ++p)
        csv += ',' + className(classNames, p);
    csv += ",targets,iou,accuracy\n";
    for (qint64 t = 0; t < classes; ++t) {
        const ClassScore& s = scores[size_t(t)];
        csv += className(classNames, t);
        for (qint64 p = 0; p < classes; ++p)
            csv += ',' + QByteArray::number(matrix.count(t, p));
        csv += ',' + QByteArray::number(s.targets) + ',' + score(s.iou) + ',' + score(s.accuracy) +
               '\n';
    }
    csv += "predicted";
    for (const ClassScore& s : scores)
        csv += ',' + QByteArray::number(s.predicted);
    csv += ',' + QByteArray::number(matrix.counted()) + ",,\n";
    const QByteArray padding(int(std::max<qint64>(classes - 1, 0)) + 3, ',');
    csv += "ignored," + QByteArray::number(matrix.ignored) + padding + '\n';
    csv += "out_of_range," + QByteArray::number(matrix.outOfRange) + padding + '\n';
    csv += "no_prediction," + QByteArray::number(matrix.unpredicted) + padding + '\n';
    return csv;
}

Status saveConfusionCsv(const ConfusionMatrix& matrix, const QString& path,
                        const QString& protectedPath, const QStringList& classNames)
{
    return writeAtomically(path, protectedPath, confusionCsv(matrix, classNames));
}

} // namespace shapescope
