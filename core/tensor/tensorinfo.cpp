// SPDX-License-Identifier: GPL-3.0-or-later
#include "tensorinfo.h"

#include <QStringList>
#include <limits>

namespace shapescope {

qint64 checkedElementCount(const Shape& shape)
{
    qint64 count = 1;
    for (qint64 extent : shape) {
        if (extent < 0)
            return -1;
        if (extent != 0 && count > std::numeric_limits<qint64>::max() / extent)
            return -1;
        count *= extent;
    }
    return count;
}

qint64 TensorInfo::elementCount() const
{
    return checkedElementCount(shape);
}

qint64 TensorInfo::rowCount() const
{
    return shape.empty() ? 1 : shape.front();
}

qint64 TensorInfo::rowElements() const
{
    qint64 count = 1;
    for (size_t i = 1; i < shape.size(); ++i)
        count *= shape[i];
    return count;
}

QString shapeToString(const Shape& shape)
{
    if (shape.empty())
        return QStringLiteral("scalar");
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return parts.join(QStringLiteral(" x "));
}

bool samePath(const QString& tensorPath, const QString& typed)
{
    const auto bare = [](const QString& path) {
        return QStringView(path).mid(path.startsWith(QLatin1Char('/')) ? 1 : 0);
    };
    return !typed.isEmpty() && bare(tensorPath) == bare(typed);
}

} // namespace shapescope
