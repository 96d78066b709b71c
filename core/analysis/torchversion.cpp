// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchversion.h"

#include <QRegularExpression>

namespace shapescope {

namespace {

// The newest release whose messages and checks the committed expectations were measured on.
constexpr TorchVersion newest{2, 15};

} // namespace

QString TorchVersion::toString() const
{
    return QStringLiteral("%1.%2").arg(major).arg(minor);
}

std::optional<TorchVersion> parseTorchVersion(const QString& text)
{
    // torch.__version__ is PEP 440 with a local part: "2.15.0+cu132", "1.13.0a0", "2.6.0.dev2024".
    static const QRegularExpression pattern(
        QStringLiteral(
            R"(^\s*v?(\d{1,3})\.(\d{1,3})(?:\.\d+)?(?:[a-z.][0-9a-z.]*)?(?:\+\S*)?\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return TorchVersion{match.captured(1).toInt(), match.captured(2).toInt()};
}

const std::vector<TorchVersion>& supportedTorchVersions()
{
    static const std::vector<TorchVersion> versions = [] {
        std::vector<TorchVersion> all{{1, 13}};
        for (int minor = 0; minor <= newest.minor; ++minor)
            all.push_back({2, minor});
        return all;
    }();
    return versions;
}

TorchVersion newestTorch()
{
    return newest;
}

bool isSupportedTorch(TorchVersion version)
{
    const auto& all = supportedTorchVersions();
    return std::find(all.begin(), all.end(), version) != all.end();
}

QString supportedTorchText()
{
    return QStringLiteral("1.13 and 2.0 to %1").arg(newest.toString());
}

Expected<TorchVersion> supportedTorch(const QString& text, const QString& origin)
{
    const std::optional<TorchVersion> version = parseTorchVersion(text);
    if (!version) {
        return Error{QStringLiteral("%1: \"%2\" is not a PyTorch version (write it like 2.15 or "
                                    "1.13.1)")
                         .arg(origin, text)};
    }
    if (!isSupportedTorch(*version)) {
        return Error{QStringLiteral("%1: torch %2 is not supported; ShapeScope speaks for torch %3")
                         .arg(origin, version->toString(), supportedTorchText())};
    }
    return *version;
}

Expected<std::optional<TorchVersion>> torchVersionFromEnvironment()
{
    const QString text = qEnvironmentVariable(torchVersionVariable).trimmed();
    if (text.isEmpty())
        return std::optional<TorchVersion>();
    Expected<TorchVersion> version = supportedTorch(text, QLatin1String(torchVersionVariable));
    if (!version)
        return Error{version.error()};
    return std::optional<TorchVersion>(*version);
}

QString recordedTorchVersion(const std::vector<GroupInfo>& groups)
{
    for (const GroupInfo& group : groups) {
        if (!group.path.isEmpty() && group.path != QLatin1String("/"))
            continue;
        for (const Attribute& attribute : group.attributes) {
            if (attribute.name == QLatin1String("torch_version") ||
                attribute.name == QLatin1String("torch.__version__") ||
                attribute.name == QLatin1String("__torch_version__"))
                return attribute.value.trimmed();
        }
    }
    return {};
}

QString TorchChoice::sourceName() const
{
    switch (source) {
    case TorchSource::CommandLine:
        return QStringLiteral("--torch");
    case TorchSource::Settings:
        return QStringLiteral("settings");
    case TorchSource::Environment:
        return QStringLiteral("environment");
    case TorchSource::Dump:
        return QStringLiteral("dump");
    case TorchSource::Default:
        return QStringLiteral("default");
    }
    return {};
}

QString TorchChoice::describe() const
{
    const QString head = QStringLiteral("torch ") + version.toString();
    switch (source) {
    case TorchSource::CommandLine:
        return head + QStringLiteral(" (from --torch)");
    case TorchSource::Settings:
        return head + QStringLiteral(" (chosen in the Loss settings)");
    case TorchSource::Environment:
        return head + QStringLiteral(" (from %1)").arg(QLatin1String(torchVersionVariable));
    case TorchSource::Dump:
        return head + QStringLiteral(" (recorded in the dump: %1)").arg(recorded);
    case TorchSource::Default:
        return recorded.isEmpty()
                   ? head + QStringLiteral(" (newest supported; the dump records no version)")
                   : head + QStringLiteral(" (newest supported; the dump records %1, which "
                                           "ShapeScope does not support)")
                                .arg(recorded);
    }
    return head;
}

QString TorchChoice::speaksFor() const
{
    const QString v = version.toString();
    switch (source) {
    case TorchSource::CommandLine:
        return QStringLiteral("--torch says %1").arg(v);
    case TorchSource::Settings:
        return QStringLiteral("the Loss settings say %1").arg(v);
    case TorchSource::Environment:
        return QStringLiteral("%1 says %2").arg(QLatin1String(torchVersionVariable), v);
    case TorchSource::Dump:
        return QStringLiteral("your dump says %1").arg(v);
    case TorchSource::Default:
        return QStringLiteral("ShapeScope assumes %1, the newest supported").arg(v);
    }
    return v;
}

TorchChoice chooseTorch(std::optional<TorchVersion> requested, TorchSource requestedSource,
                        const QString& recorded)
{
    if (requested)
        return TorchChoice{*requested, requestedSource, recorded};
    if (const std::optional<TorchVersion> fromDump = parseTorchVersion(recorded);
        fromDump && isSupportedTorch(*fromDump))
        return TorchChoice{*fromDump, TorchSource::Dump, recorded};
    return TorchChoice{newestTorch(), TorchSource::Default, recorded};
}

} // namespace shapescope
