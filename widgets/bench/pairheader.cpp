// SPDX-License-Identifier: GPL-3.0-or-later
#include "pairheader.h"

#include "common/elidedlabel.h"
#include "common/icons.h"
#include "common/statuscolors.h"
#include "state/selectioncoordinator.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace shapescope {

namespace {

// The chooser lists this many pairs at most; the pager and the run strip reach the rest.
constexpr size_t kChooserLimit = 10000;

} // namespace

PairHeader::PairHeader(SelectionCoordinator* selection, QWidget* parent)
    : QWidget(parent), m_selection(selection)
{
    const int line = fontMetrics().height();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // Paths can be long: the title gives way (cut in the middle, where the common prefix of
    // input and target is) rather than widen the window.
    m_title = new ElidedLabel(Qt::ElideMiddle, this);
    m_title->setObjectName(QStringLiteral("benchTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_verdictIcon = new QLabel(this);
    m_verdict = new QLabel(this); // a few words: it keeps them, the title gives way
    m_verdict->setObjectName(QStringLiteral("benchVerdict"));
    QFont verdictFont = m_verdict->font();
    verdictFont.setBold(true);
    m_verdict->setFont(verdictFont);
    m_previous = new QToolButton(this);
    m_previous->setArrowType(Qt::LeftArrow);
    m_previous->setToolTip(tr("Previous pair (Alt+Up)"));
    m_next = new QToolButton(this);
    m_next->setArrowType(Qt::RightArrow);
    m_next->setToolTip(tr("Next pair (Alt+Down)"));
    m_chooser = new QComboBox(this);
    m_chooser->setObjectName(QStringLiteral("pairChooser"));
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_chooser->setMinimumContentsLength(16);
    // Short of room, the title gives way (elided); the verdict and the pager keep their size.
    layout->addWidget(m_title);
    layout->addSpacing(line);
    layout->addWidget(m_verdictIcon);
    layout->addWidget(m_verdict);
    layout->addStretch(1);
    layout->addWidget(m_previous);
    layout->addWidget(m_chooser);
    layout->addWidget(m_next);

    connect(m_previous, &QToolButton::clicked, m_selection,
            [this] { m_selection->selectNextPair(-1); });
    connect(m_next, &QToolButton::clicked, m_selection, [this] { m_selection->selectNextPair(1); });
    connect(m_chooser, &QComboBox::activated, this,
            [this](int index) { m_selection->selectPair(m_chooser->itemData(index).toInt()); });
}

void PairHeader::setResult(const AnalysisResult* result)
{
    m_result = result;
    m_chooser->clear();
    if (!result)
        return;
    std::vector<int> worst(result->pairs.size(), -1);
    for (const Diagnostic& d : result->diagnostics) {
        if (d.pair >= 0 && size_t(d.pair) < worst.size())
            worst[size_t(d.pair)] = std::max(worst[size_t(d.pair)], int(d.severity));
    }
    for (size_t i = 0; i < std::min(result->pairs.size(), kChooserLimit); ++i) {
        const PairResult& pair = result->pairs[i];
        const QIcon icon =
            worst[i] >= int(Severity::Warning) ? icons::severity(Severity(worst[i])) : icons::ok();
        m_chooser->addItem(
            icon, QStringLiteral("%1: %2 \u2192 %3").arg(i + 1).arg(pair.input, pair.target),
            int(i));
    }
}

void PairHeader::updatePager(int pair)
{
    const size_t count = m_result ? m_result->pairs.size() : 0;
    for (QWidget* w : {static_cast<QWidget*>(m_previous), static_cast<QWidget*>(m_chooser),
                       static_cast<QWidget*>(m_next)})
        w->setVisible(count > 1);
    m_previous->setEnabled(pair > 0);
    m_next->setEnabled(pair >= 0 && size_t(pair) + 1 < count);
    m_chooser->setCurrentIndex(pair >= 0 ? m_chooser->findData(pair) : -1);
}

void PairHeader::showPair(int pair)
{
    if (!m_result || pair < 0 || size_t(pair) >= m_result->pairs.size())
        return;
    const PairResult& p = m_result->pairs[size_t(pair)];
    const QString arrow = QStringLiteral("%1 \u2192 %2").arg(p.input, p.target);
    const size_t count = m_result->pairs.size();
    m_title->setFullText(count > 1 ? tr("Pair %1 of %2: %3").arg(pair + 1).arg(count).arg(arrow)
                                   : arrow);
    updatePager(pair);
}

void PairHeader::showTitle(const QString& title)
{
    m_title->setFullText(title);
    updatePager(-1);
}

void PairHeader::setVerdict(int severity, bool pytorchRaises, bool paired, bool valuesPending)
{
    const StatusColors colors = StatusColors::from(palette());
    QString text;
    QColor color = colors.mutedText;
    QIcon icon;
    if (severity >= int(Severity::Error)) {
        text = pytorchRaises ? tr("PyTorch raises an error for this pair")
                             : tr("The loss is wrong or NaN");
        color = colors.error;
        icon = icons::severity(Severity::Error);
    } else if (severity == int(Severity::Warning)) {
        text = tr("PyTorch runs, but the loss is suspect");
        color = colors.warning;
        icon = icons::severity(Severity::Warning);
    } else if (paired && valuesPending) {
        text = tr("PyTorch accepts these shapes; values not checked yet");
    } else if (paired) {
        text = tr("Healthy: PyTorch accepts this pair");
        color = colors.ok;
        icon = icons::ok();
    }
    m_verdict->setText(text);
    QPalette palette = m_verdict->palette();
    palette.setColor(QPalette::WindowText, color);
    m_verdict->setPalette(palette);
    const int size = fontMetrics().height();
    m_verdictIcon->setPixmap(icon.isNull() ? QPixmap()
                                           : icon.pixmap(QSize(size, size), devicePixelRatioF()));
}

QString PairHeader::titleText() const
{
    return m_title->fullText();
}

QString PairHeader::verdictText() const
{
    return m_verdict->text();
}

} // namespace shapescope
