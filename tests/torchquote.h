// SPDX-License-Identifier: GPL-3.0-or-later
// The check the fixture tests share: a pair's diagnostics quote PyTorch's own error text exactly
// when torch raised one.
#pragma once

#include "analysis/analysisresult.h"

#include <QString>
#include <QStringList>

namespace shapescope::test {

// Empty when the diagnostics of `pair` quote `raised` (or quote nothing when torch raised
// nothing); otherwise the quoted texts against torch's, for the failure message.
inline QString quoteMismatch(const AnalysisResult& result, qsizetype pair, const QString& raised)
{
    QStringList quoted;
    for (const Diagnostic& d : result.diagnostics) {
        if (d.pair == pair && d.hasPytorchError())
            quoted << d.pytorchError;
    }
    const bool agrees = raised.isEmpty() ? quoted.isEmpty() : quoted.contains(raised);
    return agrees ? QString()
                  : quoted.join(QLatin1Char('|')) + QStringLiteral(" vs ") +
                        (raised.isEmpty() ? QStringLiteral("(torch raised nothing)") : raised);
}

} // namespace shapescope::test
