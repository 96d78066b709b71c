// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"
#include "state/latestjob.h"

#include <QWidget>
#include <memory>

class QLabel;
class QTableView;

namespace shapescope {

class TokenLossModel;

// The per-token strip of the Losses tab: for a (B, T, V) or (B, V, T) sequence pair, the tokens
// of the selected sample with their losses, highest first. The losses are the session's
// per-element losses of that one sample (Session::elementLosses, computed in core). Activating a
// token asks the window to show that position in the inspector (tokenActivated).
class TokenLossStrip : public QWidget
{
    Q_OBJECT

public:
    explicit TokenLossStrip(QWidget* parent = nullptr);
    ~TokenLossStrip() override;

    void setSource(std::shared_ptr<Session> session, const QString& dumpPath,
                   std::shared_ptr<const AnalysisResult> result);
    // Whether the pair's samples are token sequences the strip can list.
    static bool isTokenPair(const AnalysisResult& result, int pair);

    TokenLossModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    bool isLoading() const { return m_loading; }
    int pair() const { return m_pair; }
    qint64 sample() const { return m_sample; }

public Q_SLOTS:
    void showSample(int pair, qint64 sample);

Q_SIGNALS:
    void loaded(int pair, qint64 sample);
    void failed(const QString& message);
    void tokenActivated(int pair, qint64 sample, qint64 position);

private:
    void onResult(int pair, qint64 sample, Expected<ElementLossResult> result);

    std::shared_ptr<Session> m_session;
    QString m_dumpPath;
    std::shared_ptr<const AnalysisResult> m_result;
    LatestJob m_latest{this};
    bool m_loading = false;
    int m_pair = -1;
    qint64 m_sample = -1;
    QLabel* m_title;
    TokenLossModel* m_model;
    QTableView* m_view;
};

} // namespace shapescope
