// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>
#include <cmath>
#include <limits>
#include <vector>

namespace shapescope::test {

// Reads a JSON fixture; fails the current test when it cannot.
inline QJsonDocument readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot open %s", qPrintable(path));
        return {};
    }
    return QJsonDocument::fromJson(file.readAll());
}

// A file's bytes, empty when it cannot be read.
inline QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeAll(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Writes a C-order little-endian NPY 1.0 file (tests that need large inputs build them here).
inline bool writeNpy(const QString& path, const char* descr, const std::vector<qint64>& shape,
                     const void* data, qint64 bytes)
{
    QString dims;
    for (qint64 extent : shape)
        dims += QString::number(extent) + QStringLiteral(", ");
    if (shape.size() > 1)
        dims.chop(1);
    QByteArray header = QStringLiteral("{'descr': '%1', 'fortran_order': False, 'shape': (%2), }")
                            .arg(QLatin1String(descr), dims.trimmed())
                            .toLatin1();
    const qsizetype total = 10 + header.size() + 1;
    header += QByteArray(64 - total % 64, ' ') + '\n';
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const quint16 length = static_cast<quint16>(header.size());
    file.write("\x93NUMPY\x01\x00", 8);
    file.write(reinterpret_cast<const char*>(&length), 2);
    file.write(header);
    return file.write(static_cast<const char*>(data), bytes) == bytes;
}

// A run as a folder of .npy files: batch_0000_logits.npy (size x classes, float32) and
// batch_0000_labels.npy (size, int64), one batch per entry of `sizes`.
inline bool writeRunFolder(const QString& folder, const std::vector<qint64>& sizes,
                           qint64 classes = 3)
{
    for (size_t b = 0; b < sizes.size(); ++b) {
        const QString batch = folder + QStringLiteral("/batch_%1").arg(b, 4, 10, QLatin1Char('0'));
        const qint64 n = sizes[b];
        std::vector<float> logits(static_cast<size_t>(n * classes));
        for (size_t i = 0; i < logits.size(); ++i)
            logits[i] = static_cast<float>(i % 7) * 0.25f;
        std::vector<qint64> labels(static_cast<size_t>(n));
        for (size_t i = 0; i < labels.size(); ++i)
            labels[i] = static_cast<qint64>(i) % classes;
        if (!writeNpy(batch + QStringLiteral("_logits.npy"), "<f4", {n, classes}, logits.data(),
                      static_cast<qint64>(logits.size() * sizeof(float))) ||
            !writeNpy(batch + QStringLiteral("_labels.npy"), "<i8", {n}, labels.data(),
                      static_cast<qint64>(labels.size() * sizeof(qint64))))
            return false;
    }
    return true;
}

// A number of the generator's JSON, where non-finite values are the strings "nan", "inf", "-inf".
inline double jsonNumber(const QJsonValue& value)
{
    if (value.isString()) {
        const QString text = value.toString();
        if (text == QLatin1String("inf"))
            return std::numeric_limits<double>::infinity();
        if (text == QLatin1String("-inf"))
            return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    return value.toDouble(std::numeric_limits<double>::quiet_NaN());
}

// |ours - torch| within 1e-5 relative, with an absolute floor for losses near zero, where
// float32 torch itself is only accurate to a few ulps of the logits.
inline bool closeToTorch(double ours, double torch)
{
    if (std::isnan(torch))
        return std::isnan(ours);
    if (std::isinf(torch))
        return ours == torch;
    return std::abs(ours - torch) <= 1e-5 * std::abs(torch) + 1e-6;
}

} // namespace shapescope::test
