// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnosticcard.h"

#include "common/icons.h"
#include "common/statuscolors.h"
#include "common/textformat.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace shapescope {

namespace {

QLabel* selectableLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    label->setMinimumWidth(1);
    return label;
}

QLabel* caption(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

DiagnosticCard::DiagnosticCard(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("diagnosticCard"));
    auto* layout = new QVBoxLayout(this);
    const int line = fontMetrics().height();
    layout->setContentsMargins(line, line / 2, line / 2, line / 2);
    layout->setSpacing(line / 3);

    auto* header = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_code = new QLabel(this);
    QFont codeFont = m_code->font();
    codeFont.setBold(true);
    m_code->setFont(codeFont);
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(m_icon);
    header->addWidget(m_code, 1);
    layout->addLayout(header);

    m_message = selectableLabel(this);
    m_message->setObjectName(QStringLiteral("diagnosticMessage"));
    layout->addWidget(m_message);

    m_whyCaption = caption(tr("Why"), this);
    layout->addWidget(m_whyCaption);
    m_explanation = selectableLabel(this);
    m_explanation->setObjectName(QStringLiteral("diagnosticExplanation"));
    layout->addWidget(m_explanation);

    m_samples = selectableLabel(this);
    layout->addWidget(m_samples);

    m_versionNote = selectableLabel(this);
    m_versionNote->setObjectName(QStringLiteral("diagnosticVersionNote"));
    layout->addWidget(m_versionNote);

    auto* fixHeader = new QHBoxLayout;
    m_fixCaption = caption(tr("Fix"), this);
    m_copy = new QPushButton(icons::named(QStringLiteral("copy")), tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyFixButton"));
    m_copy->setToolTip(tr("Copy the fix to the clipboard"));
    m_copy->setAutoDefault(false);
    m_apply = new QPushButton(tr("Apply to the Dump"), this);
    m_apply->setObjectName(QStringLiteral("applyFixButton"));
    m_apply->setToolTip(tr("Try this fix on the data: the analysis runs again with it, the file "
                           "stays as it is"));
    m_apply->setAutoDefault(false);
    fixHeader->addWidget(m_fixCaption);
    fixHeader->addStretch(1);
    fixHeader->addWidget(m_apply);
    fixHeader->addWidget(m_copy);
    layout->addLayout(fixHeader);

    m_fix = new QPlainTextEdit(this);
    m_fix->setObjectName(QStringLiteral("fixText"));
    m_fix->setReadOnly(true);
    m_fix->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fix->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_fix->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fix->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_fix->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    layout->addWidget(m_fix);

    connect(m_copy, &QPushButton::clicked, this, &DiagnosticCard::copyFix);
    connect(m_apply, &QPushButton::clicked, this, [this] { Q_EMIT applyRequested(m_statements); });
}

void DiagnosticCard::setDiagnostic(const Diagnostic& d, int index, bool selected)
{
    m_severity = d.severity;
    m_index = index;
    m_selected = selected;
    const int iconSize = fontMetrics().height();
    m_icon->setPixmap(
        icons::severity(d.severity).pixmap(QSize(iconSize, iconSize), devicePixelRatioF()));
    m_code->setText(QStringLiteral("%1 \u2014 %2").arg(severityTitle(d.severity), d.codeName()));
    m_message->setText(d.message);
    m_explanation->setText(d.explanation);
    m_whyCaption->setVisible(!d.explanation.isEmpty());
    m_explanation->setVisible(!d.explanation.isEmpty());
    if (!d.samples.empty()) {
        QStringList numbers;
        for (size_t i = 0; i < std::min<size_t>(d.samples.size(), 24); ++i)
            numbers << QString::number(d.samples[i]);
        if (d.samples.size() > 24)
            numbers << QStringLiteral("...");
        m_samples->setText(tr("Samples: %1").arg(numbers.join(QStringLiteral(", "))));
    }
    m_samples->setVisible(!d.samples.empty());
    m_versionNote->setText(tr("Versions: %1").arg(d.versionNote));
    m_versionNote->setVisible(!d.versionNote.isEmpty());
    m_fix->setPlainText(d.fix);
    const bool hasFix = !d.fix.isEmpty();
    m_fixCaption->setVisible(hasFix);
    m_copy->setVisible(hasFix);
    m_fix->setVisible(hasFix);
    m_statements = d.apply;
    m_apply->setVisible(!d.apply.isEmpty());
    m_apply->setToolTip(tr("Try this fix on the data (%1): the analysis runs again with it, the "
                           "file stays as it is")
                            .arg(d.apply.join(QStringLiteral("; "))));
    fitFixHeight();
    setAccessibleName(m_code->text());
    update();
}

QString DiagnosticCard::fixText() const
{
    return m_fix->toPlainText();
}

void DiagnosticCard::fitFixHeight()
{
    const int lines = std::clamp(int(m_fix->document()->blockCount()), 1, 14);
    const QFontMetrics fm(m_fix->font());
    const int scrollBar = m_fix->horizontalScrollBar()->sizeHint().height();
    m_fix->setFixedHeight(lines * fm.lineSpacing() + int(m_fix->document()->documentMargin() * 2) +
                          m_fix->frameWidth() * 2 + scrollBar);
}

void DiagnosticCard::copyFix()
{
    QApplication::clipboard()->setText(m_fix->toPlainText());
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy,
                       [button = m_copy, text = tr("Copy")] { button->setText(text); });
}

void DiagnosticCard::paintEvent(QPaintEvent* event)
{
    QFrame::paintEvent(event);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const StatusColors colors = StatusColors::from(palette());
    const QColor strong = colors.strong(m_severity);
    const qreal radius = fontMetrics().height() / 3.0;
    const QRectF box = QRectF(rect()).adjusted(1, 1, -1, -1);
    p.setPen(QPen(m_selected ? strong : colors.border, m_selected ? 2 : 1));
    p.setBrush(m_selected ? colors.panel(m_severity) : palette().color(QPalette::Base));
    p.drawRoundedRect(box, radius, radius);
    p.setPen(Qt::NoPen);
    p.setBrush(strong);
    const qreal bar = std::max(4.0, fontMetrics().height() / 4.0);
    p.drawRoundedRect(QRectF(box.left(), box.top(), bar, box.height()), radius / 2, radius / 2);
}

void DiagnosticCard::mousePressEvent(QMouseEvent* event)
{
    QFrame::mousePressEvent(event);
    if (!m_selected && m_index >= 0)
        Q_EMIT activated(m_index);
}

void DiagnosticCard::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitFixHeight();
}

} // namespace shapescope
