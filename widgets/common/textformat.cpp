#include "textformat.h"

#include <QCoreApplication>
#include <cmath>

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

QString shape(const Shape& shape)
{
    if (shape.empty())
        return QStringLiteral("scalar");
    QStringList parts;
    for (qint64 extent : shape)
        parts << QString::number(extent);
    return parts.join(QStringLiteral(" x "));
}

QStringList roleLabels(const std::vector<AxisRole>& roles, size_t rank)
{
    QStringList labels;
    int spatial = 0;
    for (size_t axis = 0; axis < rank; ++axis) {
        if (axis >= roles.size()) {
            labels << QString();
            continue;
        }
        switch (roles[axis]) {
        case AxisRole::Batch:
            labels << QStringLiteral("N");
            break;
        case AxisRole::Class:
            labels << QStringLiteral("C");
            break;
        case AxisRole::Spatial:
            labels << QStringLiteral("d%1").arg(++spatial);
            break;
        }
    }
    return labels;
}

QString shapeWithRoles(const Shape& extents, const std::vector<AxisRole>& roles)
{
    if (extents.empty())
        return QStringLiteral("scalar");
    const QStringList labels = roleLabels(roles, extents.size());
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
    case DumpFormat::NpyFolder:
        return QStringLiteral("folder of .npy");
    }
    return {};
}

QString severityTitle(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QCoreApplication::translate("shapescope", "Error");
    case Severity::Warning:
        return QCoreApplication::translate("shapescope", "Warning");
    case Severity::Info:
        return QCoreApplication::translate("shapescope", "Info");
    }
    return {};
}

QString lossClassName(LossKind kind)
{
    switch (kind) {
    case LossKind::CrossEntropy:
        return QStringLiteral("CrossEntropyLoss");
    case LossKind::Nll:
        return QStringLiteral("NLLLoss");
    case LossKind::Bce:
        return QStringLiteral("BCEWithLogitsLoss");
    }
    return {};
}

namespace {

QString list(const std::vector<double>& values)
{
    QStringList parts;
    const size_t shown = std::min<size_t>(values.size(), 6);
    for (size_t i = 0; i < shown; ++i)
        parts << QString::number(values[i], 'g', 6);
    if (values.size() > shown)
        parts << QStringLiteral("...");
    return QStringLiteral("torch.tensor([%1])").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

QString pytorchConstructor(const LossSpec& spec)
{
    QStringList args;
    if (!spec.weightTensor.isEmpty())
        args << QStringLiteral("weight=%1").arg(spec.weightTensor);
    else if (!spec.weight.empty())
        args << QStringLiteral("weight=") + list(spec.weight);
    if (spec.kind != LossKind::Bce && spec.ignoreIndex != -100)
        args << QStringLiteral("ignore_index=%1").arg(spec.ignoreIndex);
    if (spec.kind == LossKind::CrossEntropy && spec.labelSmoothing != 0)
        args << QStringLiteral("label_smoothing=%1").arg(spec.labelSmoothing);
    if (spec.kind == LossKind::Bce && !spec.posWeight.empty())
        args << QStringLiteral("pos_weight=") + list(spec.posWeight);
    return QStringLiteral("nn.%1(%2)")
        .arg(lossClassName(spec.kind), args.join(QStringLiteral(", ")));
}

QString number(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', 5);
}

QString count(int n, const QString& singular, const QString& plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

} // namespace shapescope::text
