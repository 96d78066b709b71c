// SPDX-License-Identifier: GPL-3.0-or-later
#include "torchverdicts.h"

#include "shaperules.h"

namespace shapescope {

namespace {

QString firstQuote(const std::vector<Diagnostic>& diagnostics)
{
    for (const Diagnostic& d : diagnostics) {
        if (d.hasPytorchError())
            return d.pytorchError;
    }
    return {};
}

QString spanText(TorchVersion first, TorchVersion last)
{
    const TorchVersion oldest = supportedTorchVersions().front();
    if (first == last)
        return QStringLiteral("torch ") + first.toString();
    if (last == newestTorch())
        return QStringLiteral("torch >= ") + first.toString();
    if (first == oldest)
        return QStringLiteral("torch <= ") + last.toString();
    return QStringLiteral("torch %1 to %2").arg(first.toString(), last.toString());
}

} // namespace

QString torchRangesText(const std::vector<TorchRange>& ranges)
{
    const std::vector<TorchRange> all = torchRanges();
    QStringList parts;
    std::optional<TorchRange> open;
    for (const TorchRange& range : all) {
        const bool wanted = std::any_of(ranges.begin(), ranges.end(), [&](const TorchRange& r) {
            return r.first == range.first;
        });
        if (wanted) {
            if (open)
                open->last = range.last;
            else
                open = range;
        } else if (open) {
            parts << spanText(open->first, open->last);
            open.reset();
        }
    }
    if (open)
        parts << spanText(open->first, open->last);
    return parts.join(QStringLiteral(" and "));
}

void addVersionNotes(ShapeCheck& check, const TensorInfo& input, const TensorInfo& target,
                     const TorchChoice& torch,
                     const std::function<std::vector<Diagnostic>(TorchVersion)>& checkUnder)
{
    const QString mine = firstQuote(check.diagnostics);
    std::vector<TorchRange> accepting;
    std::vector<TorchRange> raising;
    QString theirText;
    for (const TorchRange& range : torchRanges()) {
        if (range.contains(torch.version))
            continue;
        const QString theirs = firstQuote(checkUnder(range.first));
        if (!mine.isEmpty() && theirs.isEmpty()) {
            accepting.push_back(range);
        } else if (mine.isEmpty() && !theirs.isEmpty()) {
            raising.push_back(range);
            if (theirText.isEmpty())
                theirText = theirs;
        }
    }
    if (!accepting.empty()) {
        for (Diagnostic& d : check.diagnostics) {
            if (d.hasPytorchError()) {
                d.versionNote = QStringLiteral("%1 accepts this; %2")
                                    .arg(torchRangesText(accepting), torch.speaksFor());
                break;
            }
        }
    }
    if (raising.empty())
        return;
    const QString others = torchRangesText(raising);
    Diagnostic d;
    d.code = DiagCode::TorchVersionDifference;
    d.severity = Severity::Info;
    d.tensors = {input.path, target.path};
    d.message = QStringLiteral("%1 raises for this pair: %2").arg(others, theirText);
    d.versionNote = QStringLiteral("%1 raises here; %2").arg(others, torch.speaksFor());
    d.explanation = QStringLiteral("torch %1 accepts the pair, but %2 checks it differently and "
                                   "raises. Code that must run under both needs the pair in a "
                                   "form every release accepts.")
                        .arg(torch.version.toString(), others);
    d.fix = QStringLiteral("# pin the release this code runs under, e.g. in requirements.txt:\n"
                           "torch==%1.*")
                .arg(torch.version.toString());
    check.diagnostics.push_back(std::move(d));
}

} // namespace shapescope
