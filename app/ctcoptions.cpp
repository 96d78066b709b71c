// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctcoptions.h"

namespace shapescope::cli {

void addCtcOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        {QStringLiteral("blank"), QStringLiteral("ctc: the blank label (default 0)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("zero-infinity"),
         QStringLiteral("ctc: infinite losses count as 0 (zero_infinity=True).")},
        {QStringLiteral("input-lengths"),
         QStringLiteral("ctc: the tensor holding input_lengths (default: found by name)."),
         QStringLiteral("PATH")},
        {QStringLiteral("target-lengths"),
         QStringLiteral("ctc: the tensor holding target_lengths (default: found by name)."),
         QStringLiteral("PATH")},
    });
}

Status applyCtcOptions(const QCommandLineParser& parser, LossSpec& spec)
{
    const bool any = parser.isSet(QStringLiteral("blank")) ||
                     parser.isSet(QStringLiteral("zero-infinity")) ||
                     parser.isSet(QStringLiteral("input-lengths")) ||
                     parser.isSet(QStringLiteral("target-lengths"));
    if (any && spec.kind != LossKind::Ctc)
        return Error{QStringLiteral(
            "--blank, --zero-infinity, --input-lengths and --target-lengths need --loss ctc")};
    bool ok = false;
    spec.blank = parser.value(QStringLiteral("blank")).toLongLong(&ok);
    if (!ok)
        return Error{QStringLiteral("--blank needs an integer")};
    spec.zeroInfinity = parser.isSet(QStringLiteral("zero-infinity"));
    spec.inputLengthsPath = parser.value(QStringLiteral("input-lengths"));
    spec.targetLengthsPath = parser.value(QStringLiteral("target-lengths"));
    return Status::success();
}

} // namespace shapescope::cli
