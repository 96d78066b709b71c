// SPDX-License-Identifier: GPL-3.0-or-later
#include "losssummarypanel.h"

#include "common/textformat.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace shapescope {

LossSummaryPanel::LossSummaryPanel(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("lossSummary"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_grid = new QWidget(this);
    m_gridLayout = new QGridLayout(m_grid);
    m_gridLayout->setContentsMargins(0, 0, 0, 0);
    m_gridLayout->setHorizontalSpacing(fontMetrics().height());
    m_gridLayout->setColumnStretch(1, 1);
    layout->addWidget(m_title);
    layout->addWidget(m_grid);
    layout->addWidget(m_note);
}

void LossSummaryPanel::addRow(const QString& key, const QString& title, const QString& value)
{
    const int row = m_gridLayout->rowCount();
    auto* name = new QLabel(title, m_grid);
    auto* number = new QLabel(value, m_grid);
    number->setTextInteractionFlags(Qt::TextSelectableByMouse);
    number->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_gridLayout->addWidget(name, row, 0);
    m_gridLayout->addWidget(number, row, 1);
    m_values.insert(key, number);
}

QString LossSummaryPanel::valueText(const QString& key) const
{
    const QLabel* label = m_values.value(key);
    return label ? label->text() : QString();
}

QString LossSummaryPanel::noteText() const
{
    return m_note->isVisibleTo(this) ? m_note->text() : QString();
}

void LossSummaryPanel::setPair(const PairResult& pair, const LossSpec& spec,
                               const QString& pendingNote)
{
    while (QLayoutItem* item = m_gridLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_values.clear();
    m_title->setText(tr("Loss: %1").arg(lossSpecText(spec)));
    QStringList notes;
    if (!pair.layout.interpretation.isEmpty())
        notes << tr("Read as: %1.").arg(pair.layout.interpretation);
    if (!pair.hasLosses) {
        m_grid->hide();
        if (!pair.lossError.isEmpty())
            notes.prepend(tr("Not computed: %1").arg(pair.lossError));
        else
            notes.prepend(pendingNote.isEmpty() ? tr("Not computed.") : pendingNote);
        m_note->setText(notes.join(QLatin1Char('\n')));
        m_note->setVisible(true);
        return;
    }
    const LossSummary& s = pair.summary;
    if (!pair.lossCaveat.isEmpty())
        notes.prepend(pair.lossCaveat + QLatin1Char('.'));
    addRow(QStringLiteral("mean"),
           pair.lossCaveat.isEmpty() ? tr("reduction='mean'") : tr("mean over valid positions"),
           numberText(s.mean, 5));
    addRow(QStringLiteral("sum"), tr("reduction='sum'"), numberText(s.sum, 5));
    addRow(QStringLiteral("range"), tr("per-sample min \u2026 max"),
           QStringLiteral("%1 \u2026 %2").arg(numberText(s.min, 5), numberText(s.max, 5)));
    const qint64 samples = s.samplesWithLoss();
    addRow(QStringLiteral("samples"), tr("samples"),
           s.nonFinite > 0 ? tr("%1, %2 NaN/inf").arg(samples).arg(s.nonFinite)
                           : QString::number(samples));
    if (s.positions != samples)
        addRow(QStringLiteral("positions"), tr("positions"), QString::number(s.positions));
    if (s.ignored > 0)
        addRow(QStringLiteral("ignored"), tr("ignored (ignore_index)"),
               tr("%1 (%2%)").arg(s.ignored).arg(s.ignoredShare() * 100.0, 0, 'f', 1));
    if (s.accuracy >= 0)
        addRow(QStringLiteral("accuracy"), tr("accuracy (argmax)"),
               QStringLiteral("%1 %").arg(s.accuracy * 100, 0, 'f', 1));
    addRow(QStringLiteral("layout"), tr("N, C"),
           QStringLiteral("%1, %2").arg(pair.layout.batchSize).arg(pair.layout.numClasses));
    m_grid->show();
    m_note->setText(notes.join(QLatin1Char('\n')));
    m_note->setVisible(!notes.isEmpty());
}

} // namespace shapescope
