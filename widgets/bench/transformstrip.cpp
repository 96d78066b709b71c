// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformstrip.h"

#include "analysis/transformedanalysis.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace shapescope {

TransformStrip::TransformStrip(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("transformStrip"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    auto* title = new QLabel(tr("<b>Tried on the data</b> (not on the file):"), this);
    row->addWidget(title, 1);
    auto* copy = new QPushButton(tr("Copy as Code"), this);
    copy->setObjectName(QStringLiteral("copyTransforms"));
    copy->setToolTip(tr("The transforms as PyTorch code, for the training loop"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(code()); });
    auto* clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(QStringLiteral("clearTransforms"));
    clear->setToolTip(tr("Analyse the dump as saved again"));
    connect(clear, &QPushButton::clicked, this, &TransformStrip::clearRequested);
    row->addWidget(copy);
    row->addWidget(clear);
    layout->addLayout(row);
    m_items = new QVBoxLayout;
    layout->addLayout(m_items);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("transformVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verdict);
    hide();
}

void TransformStrip::setResult(const AnalysisResult* result)
{
    m_applied = result ? result->transforms : QStringList();
    m_code = result ? transformsCode(*result) : QString();
    qDeleteAll(m_undo);
    m_undo.clear();
    setVisible(!m_applied.isEmpty());
    if (m_applied.isEmpty())
        return;
    const QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (qsizetype i = 0; i < m_applied.size(); ++i) {
        // The button is the transform: clicking it undoes it, as its tooltip says.
        auto* item = new QPushButton(m_applied[i] + QStringLiteral("  \u2715"), this);
        item->setFont(code);
        item->setFlat(true);
        item->setStyleSheet(QStringLiteral("text-align: left"));
        item->setToolTip(tr("Undo this transform"));
        connect(item, &QPushButton::clicked, this, [this, i] { Q_EMIT removeRequested(int(i)); });
        m_items->addWidget(item);
        m_undo << item;
    }
    const TransformVerdict verdict = transformVerdict(*result);
    m_verdict->setText(
        tr("was: %1\nnow: %2")
            .arg(verdict.was.join(QStringLiteral("; ")), verdict.now.join(QStringLiteral("; "))));
}

QString TransformStrip::verdictText() const
{
    return m_verdict->text();
}

QString TransformStrip::code() const
{
    return m_code;
}

} // namespace shapescope
