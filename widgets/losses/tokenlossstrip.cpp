// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenlossstrip.h"

#include "analysis/elementlosses.h"
#include "tokenlossmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace shapescope {

TokenLossStrip::TokenLossStrip(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_model(new TokenLossModel(this)),
      m_view(new QTableView(this))
{
    m_view->setObjectName(QStringLiteral("tokenLossView"));
    m_view->setModel(m_model);
    m_view->setTabKeyNavigation(false); // Tab leaves the table; arrows move between tokens
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    auto activate = [this](const QModelIndex& index) {
        if (index.isValid())
            Q_EMIT tokenActivated(m_pair, m_sample,
                                  index.data(TokenLossModel::PositionRole).toLongLong());
    };
    connect(m_view, &QTableView::activated, this, activate);
    connect(m_view, &QTableView::clicked, this, activate);
    setSource(nullptr, {}, nullptr);
}

TokenLossStrip::~TokenLossStrip() = default;

bool TokenLossStrip::isTokenPair(const AnalysisResult& result, int pair)
{
    if (pair < 0 || size_t(pair) >= result.pairs.size())
        return false;
    const PairResult& p = result.pairs[size_t(pair)];
    // (B, T, V) or (B, V, T) logits against (B, T) class indices: one loss per token.
    return p.hasLosses && p.layout.batched && p.layout.targetKind == TargetKind::ClassIndices &&
           p.layout.inputRoles.size() == 3;
}

void TokenLossStrip::setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                               std::shared_ptr<const AnalysisResult> result)
{
    m_latest.supersede();
    m_loading = false;
    m_session = std::move(session);
    m_dumpPath = dumpPath;
    m_result = std::move(result);
    m_pair = -1;
    m_sample = -1;
    m_model->clear();
    m_title->setText(tr("Token losses: select a sample of a (B, T, V) sequence pair"));
    setEnabled(false);
}

void TokenLossStrip::showSample(int pair, qint64 sample)
{
    m_latest.supersede();
    m_pair = pair;
    m_sample = sample;
    m_model->clear();
    if (!m_session || !m_result || !isTokenPair(*m_result, pair)) {
        m_loading = false;
        m_title->setText(tr("Token losses: select a sample of a (B, T, V) sequence pair"));
        setEnabled(false);
        return;
    }
    const PairResult& p = m_result->pairs[size_t(pair)];
    ElementLossRequest request{m_dumpPath, m_result->spec, p.input, p.target, p.layout, sample};
    m_loading = true;
    m_title->setText(tr("Token losses of sample %1: computing...").arg(sample));
    m_latest.run(
        nullptr, [session = m_session, request] { return session->elementLosses(request); },
        [this, pair, sample](Expected<ElementLossResult> result) {
            onResult(pair, sample, std::move(result));
        });
}

void TokenLossStrip::onResult(int pair, qint64 sample, Expected<ElementLossResult> result)
{
    m_loading = false;
    if (!result) {
        m_title->setText(tr("Token losses of sample %1: %2").arg(sample).arg(result.error()));
        setEnabled(false);
        Q_EMIT failed(result.error());
        return;
    }
    std::vector<qint64> order = positionsByLoss(result->losses);
    m_title->setText(
        tr("Tokens of sample %1 (%2), highest loss first").arg(sample).arg(result->losses.size()));
    m_title->setToolTip(tr("torch's reduction='none' losses; 0 where the target is ignore_index"));
    m_model->setLosses(std::move(result->losses), std::move(order));
    m_view->resizeColumnsToContents();
    setEnabled(true);
    Q_EMIT loaded(pair, sample);
}

} // namespace shapescope
