// SPDX-License-Identifier: GPL-3.0-or-later
#include "textformat.h"

#include "analysis/axisnames.h"

namespace shapescope::text {

QString bytes(qint64 count)
{
    if (count < 1024)
        return QStringLiteral("%1 B").arg(count);
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(count);
    int unit = -1;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return QStringLiteral("%1 %2")
        .arg(value, 0, 'f', value < 10 ? 1 : 0)
        .arg(QLatin1String(units[unit]));
}

QStringList roleLabels(const std::vector<AxisRole>& roles, size_t rank)
{
    return axisLabels(PairLayout{}, roles, rank);
}

QString shapeWithRoles(const Shape& extents, const std::vector<AxisRole>& roles)
{
    return shapeWithRoles(extents, PairLayout{}, roles);
}

QString shapeWithRoles(const Shape& extents, const PairLayout& layout,
                       const std::vector<AxisRole>& roles)
{
    if (extents.empty())
        return QStringLiteral("scalar");
    const QStringList labels = axisLabels(layout, roles, extents.size());
    QStringList parts;
    for (size_t axis = 0; axis < extents.size(); ++axis) {
        const QString number = QString::number(extents[axis]);
        parts << (labels[qsizetype(axis)].isEmpty()
                      ? number
                      : QStringLiteral("%1 (%2)").arg(number, labels[qsizetype(axis)]));
    }
    return parts.join(QStringLiteral(" x "));
}

QString formatTitle(DumpFormat format)
{
    switch (format) {
    case DumpFormat::Hdf5:
        return QStringLiteral("HDF5");
    case DumpFormat::Npy:
        return QStringLiteral("NumPy .npy");
    case DumpFormat::Npz:
        return QStringLiteral("NumPy .npz");
    case DumpFormat::TorchSave:
        return QStringLiteral("torch.save");
    case DumpFormat::NpyFolder:
        return QStringLiteral("folder of .npy");
    case DumpFormat::Safetensors:
        return QStringLiteral("safetensors");
    }
    return {};
}

QString count(int n, const QString& singular, const QString& plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

} // namespace shapescope::text
