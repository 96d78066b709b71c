// SPDX-License-Identifier: GPL-3.0-or-later
#include "selectioncoordinator.h"

#include <algorithm>

namespace shapescope {

namespace {

QStringList pairTensors(const PairResult& pair)
{
    return {pair.input, pair.target};
}

} // namespace

SelectionCoordinator::SelectionCoordinator(QObject* parent) : QObject(parent) {}

void SelectionCoordinator::resetForDump(bool keepSelection)
{
    // On a reload the tensors stay selected (the tree shows them again at once), and
    // clearAnalysis() has remembered the diagnostic to look for in the new analysis.
    if (keepSelection)
        return;
    m_keptDiagnosticCode.reset();
    m_result.reset();
    m_automatic = true;
    apply(-1, -1, {});
}

void SelectionCoordinator::setAnalysis(std::shared_ptr<const AnalysisResult> result)
{
    if (m_result && m_diagnostic >= 0)
        m_keptDiagnosticCode = m_result->diagnostics[size_t(m_diagnostic)].code;
    m_result = std::move(result);
    // What the user picked is kept; what was picked for them is picked again, since the new
    // analysis may have found worse (values checked after a quick shape pass).
    if (!m_automatic && restoreSelection())
        return;
    m_keptDiagnosticCode.reset();
    const int pair = defaultPair();
    if (pair < 0) {
        apply(-1, -1,
              m_tensors.isEmpty() || pairOfTensor(m_tensors.first()) >= 0 ? QStringList()
                                                                          : m_tensors);
    } else if (const int diagnostic = firstDiagnosticOfPair(pair, Severity::Warning);
               diagnostic >= 0) {
        selectDiagnostic(diagnostic);
    } else {
        selectPair(pair);
    }
    m_automatic = true;
}

void SelectionCoordinator::clearAnalysis()
{
    if (m_diagnostic >= 0 && m_result)
        m_keptDiagnosticCode = m_result->diagnostics[size_t(m_diagnostic)].code;
    m_result.reset();
    apply(-1, -1, m_tensors);
}

bool SelectionCoordinator::restoreSelection()
{
    const std::optional<DiagCode> code = m_keptDiagnosticCode;
    m_keptDiagnosticCode.reset();
    if (!m_result || m_tensors.isEmpty())
        return false;
    if (code) {
        const auto& diagnostics = m_result->diagnostics;
        for (size_t i = 0; i < diagnostics.size(); ++i) {
            if (diagnostics[i].code == *code && diagnostics[i].tensors == m_tensors) {
                selectDiagnostic(int(i));
                return true;
            }
        }
    }
    const int pair = pairOfTensor(m_tensors.first());
    if (pair < 0) {
        const bool known =
            std::any_of(m_result->dump.tensors.begin(), m_result->dump.tensors.end(),
                        [&](const TensorInfo& t) { return t.path == m_tensors.first(); });
        if (!known)
            return false;
        apply(-1, -1, {m_tensors.first()});
        return true;
    }
    apply(pair, -1, m_tensors);
    return true;
}

int SelectionCoordinator::pairOfTensor(const QString& path) const
{
    if (!m_result)
        return -1;
    for (size_t i = 0; i < m_result->pairs.size(); ++i) {
        if (m_result->pairs[i].input == path || m_result->pairs[i].target == path)
            return int(i);
    }
    return -1;
}

int SelectionCoordinator::firstDiagnosticOfPair(int pair, Severity atLeast) const
{
    if (!m_result || pair < 0)
        return -1;
    int best = -1;
    for (size_t i = 0; i < m_result->diagnostics.size(); ++i) {
        const Diagnostic& d = m_result->diagnostics[i];
        if (d.pair != pair || d.severity < atLeast)
            continue;
        if (best < 0 || d.severity > m_result->diagnostics[size_t(best)].severity)
            best = int(i);
    }
    return best;
}

int SelectionCoordinator::defaultPair() const
{
    if (!m_result || m_result->pairs.empty())
        return -1;
    for (Severity severity : {Severity::Error, Severity::Warning}) {
        if (const int pair = lowestPairWith(severity); pair >= 0)
            return pair;
    }
    return 0;
}

int SelectionCoordinator::lowestPairWith(Severity severity) const
{
    int lowest = -1;
    for (const Diagnostic& d : m_result->diagnostics) {
        if (d.severity == severity && d.pair >= 0 && size_t(d.pair) < m_result->pairs.size() &&
            (lowest < 0 || d.pair < lowest))
            lowest = d.pair;
    }
    return lowest;
}

void SelectionCoordinator::selectTensor(const QString& path)
{
    m_automatic = false;
    if (path.isEmpty()) {
        apply(m_pair, -1, {});
        return;
    }
    const int pair = pairOfTensor(path);
    // Picking the other tensor of the shown diagnostic keeps that diagnostic.
    int diagnostic = -1;
    if (m_result && m_diagnostic >= 0 &&
        m_result->diagnostics[size_t(m_diagnostic)].tensors.contains(path))
        diagnostic = m_diagnostic;
    apply(pair, diagnostic, {path});
}

void SelectionCoordinator::selectPair(int pair)
{
    m_automatic = false;
    if (!m_result || pair < 0 || size_t(pair) >= m_result->pairs.size()) {
        apply(-1, -1, {});
        return;
    }
    apply(pair, -1, pairTensors(m_result->pairs[size_t(pair)]));
}

void SelectionCoordinator::selectDiagnostic(int index)
{
    m_automatic = false;
    if (!m_result || index < 0 || size_t(index) >= m_result->diagnostics.size()) {
        apply(m_pair, -1, m_tensors);
        return;
    }
    const Diagnostic& d = m_result->diagnostics[size_t(index)];
    int pair = d.pair >= 0 && size_t(d.pair) < m_result->pairs.size() ? d.pair : -1;
    if (pair < 0 && !d.tensors.isEmpty())
        pair = pairOfTensor(d.tensors.first());
    QStringList tensors = d.tensors;
    if (tensors.isEmpty() && pair >= 0)
        tensors = pairTensors(m_result->pairs[size_t(pair)]);
    apply(pair, index, tensors);
}

void SelectionCoordinator::selectNextPair(int step)
{
    if (!m_result || m_result->pairs.empty())
        return;
    const int count = int(m_result->pairs.size());
    const int from = m_pair < 0 ? (step > 0 ? -1 : count) : m_pair;
    selectPair(qBound(0, from + step, count - 1));
}

void SelectionCoordinator::selectNextDiagnostic(int step)
{
    if (!m_result || m_result->diagnostics.empty())
        return;
    const int count = int(m_result->diagnostics.size());
    const int from = m_diagnostic < 0 ? (step > 0 ? -1 : count) : m_diagnostic;
    selectDiagnostic(((from + step) % count + count) % count);
}

void SelectionCoordinator::clear()
{
    apply(-1, -1, {});
}

void SelectionCoordinator::apply(int pair, int diagnostic, const QStringList& tensors)
{
    if (pair == m_pair && diagnostic == m_diagnostic && tensors == m_tensors)
        return;
    m_pair = pair;
    m_diagnostic = diagnostic;
    m_tensors = tensors;
    Q_EMIT selectionChanged();
}

} // namespace shapescope
