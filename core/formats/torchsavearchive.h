// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/dtype.h"
#include "torchpickle.h"
#include "zipdataoffsets.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace shapescope {

// A storage member of the archive, checked against the pickle's claims.
struct TorchStorage
{
    torchpickle::StorageType type;
    ZipDataRange range;
    qint64 elements = 0; // what the member holds

    // Every element the view (offset, shape, strides) reaches lies inside the storage.
    Status checkView(const torchpickle::TensorRef& tensor) const;
};

// The zip container of a torch.save file: finds <archive>/data.pkl and reads it (libzip, CRC
// checked), the byte order, and where each stored data/<key> member lies in the file. Refuses
// the legacy format, TorchScript archives and plain pickles, saying how to re-save.
struct TorchSaveArchive
{
    QString path;
    QString prefix;     // "archive/" (torch 2.x) or "<file stem>/" (1.x)
    QString pickleName; // "archive/data.pkl"
    QByteArray pickle;
    ByteOrder byteOrder = ByteOrder::Little;
    QHash<QString, ZipDataRange> members;

    static constexpr qint64 maxPickleBytes = qint64(1) << 30;

    static Expected<TorchSaveArchive> open(const QString& path);
    QString storageEntry(const QString& key) const
    {
        return prefix + QStringLiteral("data/") + key;
    }
    Expected<TorchStorage> storage(const torchpickle::StorageRef& ref) const;
};

} // namespace shapescope
