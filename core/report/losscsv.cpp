// SPDX-License-Identifier: GPL-3.0-or-later
#include "losscsv.h"

#include "common/atomicwrite.h"

#include <charconv>
#include <cmath>

namespace shapescope {

namespace {

// Paths are quoted only when CSV requires it.
QByteArray csvField(const QString& text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')) {
        bytes.replace("\"", "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

} // namespace

QByteArray formatDouble(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("inf") : QByteArrayLiteral("-inf");
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    Q_UNUSED(ec);
    return QByteArray(buffer, static_cast<qsizetype>(end - buffer));
}

Status writeLossCsv(const AnalysisResult& result, QIODevice& device)
{
    QByteArray block = QByteArrayLiteral("pair,sample,loss,target,predicted\n");
    constexpr qsizetype kFlushBytes = 1 << 20;
    auto flush = [&]() -> Status {
        if (device.write(block) != block.size())
            return Error{QStringLiteral("cannot write the CSV: %1").arg(device.errorString())};
        block.clear();
        return Status::success();
    };
    for (const PairResult& pair : result.pairs) {
        if (!pair.hasLosses)
            continue;
        const QByteArray name = csvField(pair.input);
        const SampleValues& values = pair.samples;
        const bool classes = !values.target.empty();
        const bool perPosition = pair.layout.positionsPerSample() == 1;
        for (size_t s = 0; s < values.loss.size(); ++s) {
            block += name;
            block += ',';
            block += QByteArray::number(static_cast<qint64>(s));
            block += ',';
            if (perPosition || !values.ignored[s])
                block += formatDouble(values.loss[s]);
            block += ',';
            if (classes) {
                block += QByteArray::number(values.target[s]);
                block += ',';
                block += QByteArray::number(values.predicted[s]);
            } else {
                block += ',';
            }
            block += '\n';
            if (block.size() >= kFlushBytes) {
                if (Status s = flush(); !s)
                    return s;
            }
        }
    }
    return flush();
}

Status saveLossCsv(const AnalysisResult& result, const QString& path, const QString& protectedPath)
{
    return writeAtomically(path, protectedPath,
                           [&](QIODevice& device) { return writeLossCsv(result, device); });
}

} // namespace shapescope
