// SPDX-License-Identifier: GPL-3.0-or-later
#include "icons.h"

#include <QHash>

static void registerShapeScopeResources()
{
    Q_INIT_RESOURCE(shapescope);
}

namespace shapescope {

void initResources()
{
    static const bool done = [] {
        registerShapeScopeResources();
        return true;
    }();
    Q_UNUSED(done);
}

namespace icons {

QIcon named(const QString& name)
{
    initResources();
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
    return *it;
}

QIcon app()
{
    return named(QStringLiteral("shapescope"));
}

QIcon severity(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return named(QStringLiteral("error"));
    case Severity::Warning:
        return named(QStringLiteral("warning"));
    case Severity::Info:
        return named(QStringLiteral("info"));
    }
    return {};
}

QIcon ok()
{
    return named(QStringLiteral("ok"));
}

} // namespace icons

} // namespace shapescope
