// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"

#include <QHash>
#include <QString>

namespace shapescope {

// Where each member's data starts in a zip file: libzip lists and checks members but does not
// say where their bytes lie, which mapping a stored member (a torch.save storage) needs. Reads
// the end-of-central-directory record (zip64 too), the central directory and each local header;
// every offset is checked against the file size. Callers compare sizes and methods with
// libzip's own view before trusting an offset.
struct ZipDataRange
{
    qint64 offset = 0; // of the first data byte in the file
    qint64 compressedBytes = 0;
    qint64 uncompressedBytes = 0;
    quint16 method = 0; // 0 stored
};

Expected<QHash<QString, ZipDataRange>> readZipDataOffsets(const QString& path);

} // namespace shapescope
