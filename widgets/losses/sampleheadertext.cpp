// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampleheadertext.h"

#include "analysis/classnames.h"
#include "common/displaytext.h"

#include <QObject>
#include <cmath>

namespace shapescope {

// "logits: NaN at class 2, +Inf at class 7" (the first 8), or empty when all are finite.
QString nonFiniteMarks(const std::vector<double>& logits)
{
    QStringList marks;
    qsizetype count = 0;
    for (size_t c = 0; c < logits.size(); ++c) {
        if (std::isfinite(logits[c]))
            continue;
        if (++count <= 8)
            marks << QObject::tr("<b>%1</b> at class %2")
                         .arg(std::isnan(logits[c]) ? QStringLiteral("NaN")
                              : logits[c] > 0       ? QStringLiteral("+Inf")
                                                    : QStringLiteral("-Inf"))
                         .arg(c);
    }
    if (count == 0)
        return {};
    QString text = QObject::tr("logits: %1").arg(marks.join(QStringLiteral(", ")));
    if (count > 8)
        text += QObject::tr(" and %1 more").arg(count - 8);
    return text;
}

QString sampleHeaderHtml(const AnalysisResult& result, const SampleDetail& detail, qint64 position,
                         const QColor& error)
{
    const SampleDetail& d = detail;
    const PairResult& pair = result.pairs[static_cast<size_t>(d.pair)];
    const QStringList& names = pair.classNames;
    QString text =
        QObject::tr("<b>Sample %1</b> of %2").arg(d.sample).arg(pair.input.toHtmlEscaped());
    if (!pair.group.isEmpty() && result.pairs.size() > 1)
        text += QObject::tr(" (%1)").arg(pair.group.toHtmlEscaped());
    const qint64 p = position;
    const bool single = d.positions() == 1;
    QString where;
    if (!single) {
        if (d.mapShape.size() == 2)
            where = QObject::tr("position (row %1, column %2)")
                        .arg(p / d.mapShape[1])
                        .arg(p % d.mapShape[1]);
        else
            where = QObject::tr("position %1").arg(p);
    }
    const QString loss = d.wholeSample ? QObject::tr("sample loss") : QObject::tr("slice loss");
    text += QStringLiteral("<br>") +
            QObject::tr("%1 <b>%2</b>")
                .arg(loss, d.sampleIgnored ? QObject::tr("none (every position ignored)")
                                           : numberText(d.sampleLoss, 5));
    if (!single)
        text += QObject::tr(" (mean over %1 counted positions)").arg(d.countedPositions);
    if (p < d.positions()) {
        QStringList parts;
        const auto i = static_cast<size_t>(p);
        if (d.targetKind == TargetKind::ClassIndices) {
            parts << (d.ignored[i] ? QObject::tr("target %1 (ignore_index)").arg(d.target[i])
                                   : QObject::tr("target <b>%1</b>")
                                         .arg(classLabel(names, d.target[i]).toHtmlEscaped()));
        } else {
            parts << QObject::tr("target distribution peaks at class %1")
                         .arg(classLabel(names, d.target[i]).toHtmlEscaped());
        }
        if (d.lossKind != LossKind::Bce)
            parts << QObject::tr("predicted <b>%1</b>")
                         .arg(d.predicted[i] >= 0
                                  ? classLabel(names, d.predicted[i]).toHtmlEscaped()
                                  : QObject::tr("none (NaN)"));
        if (!std::isnan(d.pTarget[i]))
            parts << QObject::tr("p(target) %1").arg(numberText(d.pTarget[i], 5));
        if (!d.ignored[i] && !d.outOfRange[i])
            parts << QObject::tr("loss %1").arg(numberText(d.loss[i], 5));
        if (d.outOfRange[i])
            parts << QObject::tr("target outside [0, %1)").arg(d.classes);
        text += QStringLiteral("<br>") +
                (where.isEmpty() ? QString() : where + QStringLiteral(": ")) +
                parts.join(QStringLiteral(", "));
        // The bars draw a NaN or infinite logit as 0: say which they are.
        const QString marks = nonFiniteMarks(d.logitsAt(p));
        if (!marks.isEmpty())
            text +=
                QStringLiteral("<br><span style=\"color:%1\">%2</span>").arg(error.name(), marks);
    }
    return text;
}

} // namespace shapescope
